package io.autotrade.manager.risk.internal;

import java.math.BigDecimal;

/**
 * The configured limits. Amounts are in the quote currency (KRW on KRW markets); a limit of zero
 * switches its rule off (the minimum total is always on: the exchange's own minimum applies anyway).
 *
 * @param minOrderTotal       smallest order total when the exchange states none (Upbit KRW: 5,000)
 * @param maxOrderNotional    largest order notional (price &times; volume, or a market buy's amount)
 * @param maxOpenOrders       most orders in flight at once, this one included
 * @param maxPositionNotional largest position value plus open buys, per market
 * @param maxTotalExposure    largest sum over markets of position value plus open buys
 * @param dailyLossLimit      largest realized loss net of fees per trading day (KST); past it buys are
 *                            refused and trading halts
 * @param cooldownMinutes     after a losing sell, no buy in that market for this many minutes
 */
record RiskLimits(BigDecimal minOrderTotal, BigDecimal maxOrderNotional, int maxOpenOrders,
        BigDecimal maxPositionNotional, BigDecimal maxTotalExposure, BigDecimal dailyLossLimit, long cooldownMinutes) {

    /** @throws IllegalArgumentException naming the limit that is negative */
    RiskLimits {
        nonNegative("min.order.total", minOrderTotal);
        nonNegative("max.order.notional", maxOrderNotional);
        nonNegative("max.position.notional", maxPositionNotional);
        nonNegative("max.total.exposure", maxTotalExposure);
        nonNegative("daily.loss.limit", dailyLossLimit);
        if (maxOpenOrders < 0 || cooldownMinutes < 0) {
            throw new IllegalArgumentException("max.open.orders and cooldown.after.loss.minutes must be >= 0, were "
                    + maxOpenOrders + " and " + cooldownMinutes);
        }
    }

    private static void nonNegative(String key, BigDecimal value) {
        if (value == null || value.signum() < 0) {
            throw new IllegalArgumentException(key + " must be a number >= 0, was " + value);
        }
    }

    /** @return {@code true} if the rule with this limit is on */
    static boolean on(BigDecimal limit) {
        return limit.signum() > 0;
    }
}
