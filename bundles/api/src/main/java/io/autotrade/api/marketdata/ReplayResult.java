package io.autotrade.api.marketdata;

import io.autotrade.api.trading.Market;
import java.time.Instant;

/**
 * What a replay did.
 *
 * @param market    the market replayed
 * @param candles   number of candles published
 * @param firstOpen open time of the first candle, UTC
 * @param lastClose close time of the last candle, UTC
 */
public record ReplayResult(Market market, int candles, Instant firstOpen, Instant lastClose) {
}
