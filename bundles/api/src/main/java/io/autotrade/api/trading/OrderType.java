package io.autotrade.api.trading;

/**
 * Order type, by Upbit's {@code ord_type} values (Upbit API, "주문하기" / POST /v1/orders).
 */
public enum OrderType {
    /** Limit order: {@code volume} at {@code price}, either side. */
    LIMIT("limit"),
    /** Market buy by quote amount: {@code price} is the amount of quote currency to spend; bid only. */
    PRICE("price"),
    /** Market sell by volume: {@code volume} of the base currency; ask only. */
    MARKET("market"),
    /**
     * Best-price order ({@code 최유리 지정가}): a limit at the best opposite price on arrival, with
     * {@link TimeInForce#IOC} or {@link TimeInForce#FOK} (required). A bid spends {@code price} in the quote
     * currency, as {@link #PRICE}; an ask sells {@code volume}, as {@link #MARKET}.
     */
    BEST("best");

    private final String upbitName;

    OrderType(String upbitName) {
        this.upbitName = upbitName;
    }

    /** @return the Upbit {@code ord_type} value */
    public String upbitName() {
        return upbitName;
    }
}
