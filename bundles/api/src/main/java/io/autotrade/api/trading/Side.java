package io.autotrade.api.trading;

/** Order side, by Upbit's names: {@code bid} buys the base currency, {@code ask} sells it. */
public enum Side {
    /** Buy. */
    BID("bid"),
    /** Sell. */
    ASK("ask");

    private final String upbitName;

    Side(String upbitName) {
        this.upbitName = upbitName;
    }

    /** @return {@code bid} or {@code ask}, as in the Upbit API's {@code side} field */
    public String upbitName() {
        return upbitName;
    }
}
