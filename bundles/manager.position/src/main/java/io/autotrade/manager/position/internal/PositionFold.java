package io.autotrade.manager.position.internal;

import io.autotrade.api.trading.Market;
import io.autotrade.api.trading.OrderFilled;
import io.autotrade.api.trading.Position;
import io.autotrade.api.trading.Side;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Instant;

/**
 * The position fold: a {@link Position} after each fill, average-cost method. Public for the paper exchange's
 * accounting property test, which checks its books against this fold; the package is not exported.
 */
public final class PositionFold {
    private PositionFold() {
    }

    /** Decimal places of the cost basis removed by a partial sell. */
    public static final int COST_SCALE = 12;

    /**
     * One step of the position fold, average-cost method. A buy adds its notional to the cost basis;
     * a sell removes the sold share of the cost basis ({@code cost * sold / held}, rounded half-even to
     * {@value #COST_SCALE} places; the whole basis when the position closes) and realizes
     * {@code proceeds - cost removed}. Because the removed cost leaves the basis exactly, the books
     * always balance: {@code realized + unrealized == proceeds + market value - bought notional}.
     * Fees are summed, never folded into the basis.
     *
     * @param p    the position before
     * @param fill a fill of the position's market
     * @param at   when it happened
     * @return the position after the fill, marked at the fill price
     * @throws IllegalArgumentException if the fill is of another market
     * @throws IllegalStateException    if a sell is larger than the position (no shorts on spot markets)
     */
    public static Position apply(Position p, OrderFilled fill, Instant at) {
        Market market = p.market();
        if (!market.equals(fill.market())) {
            throw new IllegalArgumentException("fill of " + fill.market() + " applied to the position in " + market);
        }
        BigDecimal fees = p.feesPaid().add(fill.fee());
        if (fill.side() == Side.BID) {
            return new Position(market, p.volume().add(fill.volume()), p.costBasis().add(fill.notional()), p.realizedPnl(),
                    fees, fill.price(), at);
        }
        int cmp = fill.volume().compareTo(p.volume());
        if (cmp > 0) {
            throw new IllegalStateException("sell of " + fill.volume().toPlainString() + " " + market.base()
                    + " (order " + fill.orderId() + ") exceeds the position of " + p.volume().toPlainString());
        }
        BigDecimal costRemoved = cmp == 0 ? p.costBasis()
                : p.costBasis().multiply(fill.volume()).divide(p.volume(), COST_SCALE, RoundingMode.HALF_EVEN);
        return new Position(market, p.volume().subtract(fill.volume()), p.costBasis().subtract(costRemoved),
                p.realizedPnl().add(fill.notional()).subtract(costRemoved), fees, fill.price(), at);
    }
}
