package io.autotrade.api.backtest;

import io.autotrade.api.trading.Side;
import java.time.Instant;

/**
 * A signal of the run, as stored ({@code signal.generated}): what the strategy (or a protective exit) asked for, and
 * when.
 *
 * @param time     when it was signalled (the candle event that caused it), UTC
 * @param strategy the strategy instance
 * @param side     {@code BID} buy, {@code ASK} sell
 * @param reason   the signal's reason, for people
 */
public record BacktestSignal(Instant time, String strategy, Side side, String reason) {
}
