package io.autotrade.testing.upbit;

/**
 * Upbit's request groups and their published limits, restated here from the Upbit API docs ("Rate
 * limits") rather than taken from the adapter, so the stub checks the adapter against the docs and not
 * against itself.
 */
enum StubGroup {
    // group, requests per window, window (ms), then the endpoints the docs list in it ("METHOD /path", or a
    // path prefix ending in * for every method); a request no group lists is in the default group
    MARKET("market", 10, 1000, "* /market/*"),
    CANDLE("candle", 10, 1000, "* /candles/*"),
    TRADE("trade", 10, 1000, "* /trades/*"),
    TICKER("ticker", 10, 1000, "* /ticker*"),
    ORDERBOOK("orderbook", 10, 1000, "* /orderbook*"),
    DEFAULT("default", 30, 1000),
    /** Upbit changelog of 2026-08-21: the order group went from 8 to 12 requests per second. */
    ORDER("order", 12, 1000, "POST /orders"),
    ORDER_TEST("order-test", 8, 1000, "POST /orders/test"),
    ORDER_CANCEL_ALL("order-cancel-all", 1, 2000, "DELETE /orders/open");

    /** The name in {@code Remaining-Req}. */
    final String upbitName;
    /** Requests allowed per window. */
    final int permits;
    /** The window, ms. */
    final long windowMillis;
    private final java.util.List<String> endpoints;

    StubGroup(String upbitName, int permits, long windowMillis, String... endpoints) {
        this.upbitName = upbitName;
        this.permits = permits;
        this.windowMillis = windowMillis;
        this.endpoints = java.util.List.of(endpoints);
    }

    /** @return the group Upbit counts a request in: the one whose endpoint list names it, else the default group */
    static StubGroup of(String method, String path) {
        for (StubGroup g : values()) {
            for (String endpoint : g.endpoints) {
                String[] m = endpoint.split(" ", 2);
                boolean methodMatches = m[0].equals("*") || m[0].equals(method);
                boolean pathMatches = m[1].endsWith("*") ? path.startsWith(m[1].substring(0, m[1].length() - 1)) : path.equals(m[1]);
                if (methodMatches && pathMatches) {
                    return g;
                }
            }
        }
        return DEFAULT;
    }

    /** @return whether requests of this group need no key (quotation API) */
    boolean quotation() {
        return ordinal() <= ORDERBOOK.ordinal();
    }
}
