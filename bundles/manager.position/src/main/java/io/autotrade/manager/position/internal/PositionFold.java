package io.autotrade.manager.position.internal;

import io.autotrade.api.trading.OrderFilled;
import io.autotrade.api.trading.Position;
import io.autotrade.api.trading.Side;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Instant;

/**
 * One step of the position fold, average-cost method. A buy adds its notional to the cost basis; a
 * sell removes the sold share of the cost basis ({@code cost * sold / held}, rounded half-even to
 * {@value #COST_SCALE} places, the whole basis when the position closes) and realizes
 * {@code proceeds - cost removed}. Because the removed cost is subtracted from the basis exactly, the
 * books always balance: {@code realized + unrealized == proceeds + market value - bought notional}.
 */
final class PositionFold {
    /** Decimal places of the cost basis removed by a partial sell. */
    static final int COST_SCALE = 12;

    private PositionFold() {
    }

    /**
     * @param before the position before the fill (use {@link Position#flat} for the first)
     * @param fill   a fill of the same market
     * @param at     when it happened
     * @return the position after the fill, marked at the fill price
     * @throws IllegalStateException if a sell is larger than the position (no shorts on spot markets)
     */
    static Position apply(Position before, OrderFilled fill, Instant at) {
        if (!before.market().equals(fill.market())) {
            throw new IllegalArgumentException("fill of " + fill.market() + " applied to the position in " + before.market());
        }
        BigDecimal fees = before.feesPaid().add(fill.fee());
        if (fill.side() == Side.BID) {
            return new Position(before.market(), before.volume().add(fill.volume()),
                    before.costBasis().add(fill.notional()), before.realizedPnl(), fees, fill.price(), at);
        }
        int cmp = fill.volume().compareTo(before.volume());
        if (cmp > 0) {
            throw new IllegalStateException("sell of " + fill.volume().toPlainString() + " " + fill.market().base()
                    + " (order " + fill.orderId() + ") exceeds the position of " + before.volume().toPlainString());
        }
        BigDecimal costRemoved = cmp == 0 ? before.costBasis()
                : before.costBasis().multiply(fill.volume()).divide(before.volume(), COST_SCALE, RoundingMode.HALF_EVEN);
        BigDecimal realized = before.realizedPnl().add(fill.notional()).subtract(costRemoved);
        return new Position(before.market(), before.volume().subtract(fill.volume()),
                before.costBasis().subtract(costRemoved), realized, fees, fill.price(), at);
    }
}
