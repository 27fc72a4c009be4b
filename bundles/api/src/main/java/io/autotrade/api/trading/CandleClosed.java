package io.autotrade.api.trading;

import static io.autotrade.api.trading.Decimals.required;

import io.autotrade.api.event.EventKind;
import io.autotrade.api.event.EventPayload;
import io.autotrade.api.event.Priority;
import io.autotrade.api.event.Topics;

/**
 * A candle closed: its prices and volume are final. Strategies decide on this. Not stored (raw
 * market data; the source file is the record).
 *
 * @param candle the closed candle
 * @param warmUp {@code true} for a candle that only warms strategies up (a backtest window's lead-in): strategies
 *               update their indicators on it and signal nothing; null or {@code false} otherwise (added December
 *               2026; events stored before decode with it null)
 */
public record CandleClosed(Candle candle, Boolean warmUp) implements EventPayload, MarketScoped {
    /**
     * Type {@code candle.closed}, topic {@link Topics#CANDLE_CLOSED}, trading lane, durable: journaled so a
     * restart knows which candles strategies and managers handled.
     */
    public static final EventKind KIND = new EventKind("candle.closed", 1, Topics.CANDLE_CLOSED,
            Priority.CRITICAL_TRADING, true, CandleClosed.class);

    /** @throws IllegalArgumentException if the candle is missing */
    public CandleClosed {
        required(candle, "candle");
    }

    /**
     * A candle that trades.
     *
     * @param candle the closed candle
     * @throws IllegalArgumentException if the candle is missing
     */
    public CandleClosed(Candle candle) {
        this(candle, null);
    }

    /** @return whether the candle only warms strategies up ({@link #warmUp}) */
    public boolean warmingUp() {
        return Boolean.TRUE.equals(warmUp);
    }

    @Override
    public EventKind kind() {
        return KIND;
    }

    @Override
    public String aggregateId() {
        return candle.market().code();
    }

    @Override
    public Market market() {
        return candle.market();
    }
}
