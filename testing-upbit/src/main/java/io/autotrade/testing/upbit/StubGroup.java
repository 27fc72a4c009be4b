package io.autotrade.testing.upbit;

/**
 * Upbit's request groups and their published limits, restated here from the Upbit API docs ("Rate
 * limits") rather than taken from the adapter, so the stub checks the adapter against the docs and not
 * against itself.
 */
enum StubGroup {
    MARKET("market", 10, 1000),
    CANDLE("candle", 10, 1000),
    TRADE("trade", 10, 1000),
    TICKER("ticker", 10, 1000),
    ORDERBOOK("orderbook", 10, 1000),
    DEFAULT("default", 30, 1000),
    /** Upbit changelog of 2026-08-21: the order group went from 8 to 12 requests per second. */
    ORDER("order", 12, 1000),
    ORDER_TEST("order-test", 8, 1000),
    ORDER_CANCEL_ALL("order-cancel-all", 1, 2000);

    /** The name in {@code Remaining-Req}. */
    final String upbitName;
    /** Requests allowed per window. */
    final int permits;
    /** The window, ms. */
    final long windowMillis;

    StubGroup(String upbitName, int permits, long windowMillis) {
        this.upbitName = upbitName;
        this.permits = permits;
        this.windowMillis = windowMillis;
    }

    /** @return the group Upbit counts a request in */
    static StubGroup of(String method, String path) {
        if (path.startsWith("/market/")) {
            return MARKET;
        }
        if (path.startsWith("/candles/")) {
            return CANDLE;
        }
        if (path.startsWith("/trades/")) {
            return TRADE;
        }
        if (path.startsWith("/ticker")) {
            return TICKER;
        }
        if (path.startsWith("/orderbook")) {
            return ORDERBOOK;
        }
        if (method.equals("POST") && path.equals("/orders")) {
            return ORDER;
        }
        if (method.equals("POST") && path.equals("/orders/test")) {
            return ORDER_TEST;
        }
        if (method.equals("DELETE") && path.equals("/orders/open")) {
            return ORDER_CANCEL_ALL;
        }
        return DEFAULT;
    }

    /** @return whether requests of this group need no key (quotation API) */
    boolean quotation() {
        return ordinal() <= ORDERBOOK.ordinal();
    }
}
