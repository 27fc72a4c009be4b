package io.autotrade.api.trading;

/**
 * The kill switch: halting puts the trading state to {@link TradingState#HALTED}, in which no new
 * order passes the pre-trade checks, while cancels still do. Implemented by the core bundle; used by
 * the shell ({@code trade:halt}, {@code trade:resume}), the risk manager (daily loss limit, critical
 * failures of the order path) and exchange adapters (Upbit HTTP 418). The state survives a restart.
 */
public interface KillSwitch {

    /**
     * Halts trading; halting a halted runtime only records the new reason.
     *
     * @param reason why, for people (shown by {@code trade:status}, stored in the event)
     */
    void halt(String reason);

    /**
     * Lifts the halt: the state becomes TRADING or IDLE from the orders in flight.
     *
     * @param reason why, for people
     * @return {@code false} if trading was not halted
     */
    boolean resume(String reason);

    /** @return why trading is halted, or null when it is not */
    String haltReason();
}
