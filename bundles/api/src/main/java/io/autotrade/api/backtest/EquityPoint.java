package io.autotrade.api.backtest;

import java.math.BigDecimal;
import java.time.Instant;

/**
 * The account marked at one candle close.
 *
 * @param time     the candle's close time, UTC
 * @param close    the candle's close, quote currency per base unit
 * @param equity   cash (available + locked) + held volume &times; close, quote currency
 * @param position held volume, base currency
 */
public record EquityPoint(Instant time, BigDecimal close, BigDecimal equity, BigDecimal position) {
}
