package io.autotrade.api.marketdata;

import io.autotrade.api.trading.Candle;

/** Told by a replay when one candle and all its consequences have been handled. */
@FunctionalInterface
public interface ReplayListener {
    /**
     * @param candle the candle whose {@code CandleClosed} and every consequence are handled
     */
    void candleDone(Candle candle);
}
