package io.autotrade.api.backtest;

import io.autotrade.api.trading.Side;
import java.math.BigDecimal;
import java.time.Instant;

/**
 * One fill of a backtest.
 *
 * @param time   when it filled, UTC
 * @param side   bid or ask
 * @param price  fill price, quote currency per base unit
 * @param volume filled volume, base currency
 * @param fee    fee paid, quote currency
 */
public record Trade(Instant time, Side side, BigDecimal price, BigDecimal volume, BigDecimal fee) {
}
