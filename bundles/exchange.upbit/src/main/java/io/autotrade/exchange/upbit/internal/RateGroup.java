package io.autotrade.exchange.upbit.internal;

import java.time.Duration;
import java.util.Locale;

/**
 * Upbit's request groups, each with its own limit (Upbit API docs, "Rate limits"; the group of a reply
 * is named in its {@code Remaining-Req} header). The defaults are Upbit's published limits.
 */
enum RateGroup {
    /** {@code market/all}. */
    MARKET(10, Duration.ofSeconds(1)),
    /** {@code candles/*}. */
    CANDLE(10, Duration.ofSeconds(1)),
    /** {@code trades/ticks}. */
    TRADE(10, Duration.ofSeconds(1)),
    /** {@code ticker}. */
    TICKER(10, Duration.ofSeconds(1)),
    /** {@code orderbook}, {@code orderbook/instruments}. */
    ORDERBOOK(10, Duration.ofSeconds(1)),
    /** Private requests other than orders: accounts, order lookups, {@code orders/chance}, cancels. */
    DEFAULT(30, Duration.ofSeconds(1)),
    /** {@code POST orders}: 12 per second since 2026-08-21 (Upbit changelog; 8 before). */
    ORDER(12, Duration.ofSeconds(1)),
    /** {@code POST orders/test} (an order checked, not placed; Upbit API docs "주문 생성 테스트", since 2025-10-27). */
    ORDER_TEST(8, Duration.ofSeconds(1)),
    /** {@code DELETE orders/open} (cancel all). */
    ORDER_CANCEL_ALL(1, Duration.ofSeconds(2));

    final int permits;
    final Duration window;

    RateGroup(int permits, Duration window) {
        this.permits = permits;
        this.window = window;
    }

    /** @return the name Upbit uses in {@code Remaining-Req}: {@code order-cancel-all}, {@code default}, ... */
    String upbitName() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    /**
     * @param upbitName a group name from {@code Remaining-Req}
     * @return the group, or {@link #DEFAULT} for a name this adapter does not know
     */
    static RateGroup of(String upbitName) {
        for (RateGroup g : values()) {
            if (g.upbitName().equals(upbitName.strip())) {
                return g;
            }
        }
        return DEFAULT;
    }

    /**
     * @param method HTTP method
     * @param path   the request path after the base URL, e.g. {@code /candles/minutes/1}
     * @return the group Upbit counts the request in
     */
    static RateGroup forRequest(String method, String path) {
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
        if (path.equals("/orders") && method.equals("POST")) {
            return ORDER;
        }
        if (path.equals("/orders/test") && method.equals("POST")) {
            return ORDER_TEST;
        }
        if (path.equals("/orders/open") && method.equals("DELETE")) {
            return ORDER_CANCEL_ALL;
        }
        return DEFAULT;
    }
}
