package io.autotrade.api.trading;

/** Whether orders are in flight; trade-safe changes wait for {@link #IDLE}. */
public enum TradingState {
    /** No order in flight. */
    IDLE,
    /** At least one order submitted and not yet final (filled, canceled or rejected). */
    TRADING,
    /** Kill switch on: no new orders. */
    HALTED
}
