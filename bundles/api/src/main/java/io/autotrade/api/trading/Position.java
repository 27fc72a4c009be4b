package io.autotrade.api.trading;

import static io.autotrade.api.trading.Decimals.nonNegative;
import static io.autotrade.api.trading.Decimals.required;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Instant;

/**
 * A long position in one market, as a fold over its fills (average-cost method; the fold is the position
 * manager's, {@code io.autotrade.manager.position}). Short positions do not exist on Upbit spot markets.
 *
 * <p>The cost basis is kept exactly; the average entry price is derived from it. So
 * {@code unrealizedPnl = volume * markPrice - costBasis} exactly, and for the whole account
 * {@code initial cash + realized + unrealized - fees == cash + volume * markPrice}.
 *
 * @param market      the market
 * @param volume      held volume, base currency, &ge; 0
 * @param costBasis   what the held volume cost, quote currency, excluding fees
 * @param realizedPnl sum over sells of proceeds minus the cost basis sold, quote currency, gross of fees
 * @param feesPaid    fees of every fill so far, quote currency
 * @param markPrice   the last known price (last fill or last candle close), quote per base
 * @param updatedAt   when the position last changed, UTC
 */
public record Position(Market market, BigDecimal volume, BigDecimal costBasis, BigDecimal realizedPnl,
        BigDecimal feesPaid, BigDecimal markPrice, Instant updatedAt) {

    /** Scale of {@link #averageEntryPrice()}. */
    public static final int AVERAGE_PRICE_SCALE = 8;

    /** @throws IllegalArgumentException if a field is missing or volume, cost or fees are negative */
    public Position {
        required(market, "market");
        nonNegative(volume, "position volume");
        nonNegative(costBasis, "cost basis");
        required(realizedPnl, "realized PnL");
        nonNegative(feesPaid, "fees paid");
        nonNegative(markPrice, "mark price");
        required(updatedAt, "updated at");
    }

    /**
     * @param market the market
     * @param at     when
     * @return a flat position with nothing realized
     */
    public static Position flat(Market market, Instant at) {
        return new Position(market, BigDecimal.ZERO, BigDecimal.ZERO, BigDecimal.ZERO, BigDecimal.ZERO,
                BigDecimal.ZERO, at);
    }

    /** @return cost basis / volume, rounded half-even to {@value #AVERAGE_PRICE_SCALE} places; 0 when flat */
    public BigDecimal averageEntryPrice() {
        return volume.signum() == 0 ? BigDecimal.ZERO
                : costBasis.divide(volume, AVERAGE_PRICE_SCALE, RoundingMode.HALF_EVEN);
    }

    /** @return {@code volume * markPrice - costBasis}, quote currency, exact */
    public BigDecimal unrealizedPnl() {
        return volume.multiply(markPrice).subtract(costBasis);
    }

    /** @return {@code volume * markPrice}, quote currency, exact */
    public BigDecimal marketValue() {
        return volume.multiply(markPrice);
    }

    /**
     * @param price the new mark price
     * @return this position marked at that price (nothing else changes)
     */
    public Position markedAt(BigDecimal price) {
        return new Position(market, volume, costBasis, realizedPnl, feesPaid, price, updatedAt);
    }

    /** @return {@code true} if nothing is held */
    public boolean isFlat() {
        return volume.signum() == 0;
    }
}
