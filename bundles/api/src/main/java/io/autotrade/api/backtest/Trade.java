package io.autotrade.api.backtest;

import io.autotrade.api.trading.ExitReason;
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
 * @param exitReason why a sell closed the position ({@code signal} for the strategy's own), null for a buy
 */
public record Trade(Instant time, Side side, BigDecimal price, BigDecimal volume, BigDecimal fee, ExitReason exitReason) {

    /**
     * A fill without an exit reason: a buy (a sell counts as the strategy's signal).
     *
     * @param time   when it filled, UTC
     * @param side   bid or ask
     * @param price  fill price
     * @param volume filled volume
     * @param fee    fee paid
     */
    public Trade(Instant time, Side side, BigDecimal price, BigDecimal volume, BigDecimal fee) {
        this(time, side, price, volume, fee, ExitReason.of(null, side));
    }
}
