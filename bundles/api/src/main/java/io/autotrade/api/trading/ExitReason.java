package io.autotrade.api.trading;

import java.util.Locale;

/**
 * Why a position was closed: the reason on every closing order, its fills in reports and {@code trade:orders}.
 * {@link #code()} is the lower-case name used in events, JSON and the shell ({@code stop_loss}).
 */
public enum ExitReason {
    /** The strategy signalled the sell. */
    SIGNAL,
    /** The price fell to the stop level: entry &times; (1 &minus; {@code stop.loss}). */
    STOP_LOSS,
    /** The price rose to the target: entry &times; (1 + {@code take.profit}), or the ROI table's target then. */
    TAKE_PROFIT,
    /** The price fell {@code trailing.stop} below the highest price since entry. */
    TRAILING_STOP,
    /** The position was held {@code max.holding} long. */
    TIME_EXIT,
    /** Closed because trading was halted. */
    HALT,
    /** Closed by an operator. */
    MANUAL;

    /** @return the lower-case name, e.g. {@code stop_loss} */
    public String code() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * @param exit the protective exit an order is, or null
     * @param side the order's side
     * @return why such an order closes a position: its exit's reason, else {@link #SIGNAL} for a sell (the strategy's
     *         own), else null (a buy closes nothing)
     */
    public static ExitReason of(Exit exit, Side side) {
        return exit != null ? exit.reason() : side == Side.ASK ? SIGNAL : null;
    }
}
