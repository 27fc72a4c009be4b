package io.autotrade.manager.risk.internal;

import java.math.BigDecimal;
import java.util.List;
import java.util.Map;

/**
 * The configured limits. The top-level amounts are KRW, for KRW markets; the markets of another quote
 * currency have their own money limits ({@link #of(String)}); a limit of zero switches its rule off (the minimum total is always on: the exchange's own minimum applies anyway).
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
        BigDecimal maxPositionNotional, BigDecimal maxTotalExposure, BigDecimal dailyLossLimit, long cooldownMinutes,
        Map<String, QuoteLimits> otherQuotes) {

    /**
     * The money limits of one quote currency. Every amount is in that currency.
     *
     * @param currency            the quote currency, e.g. {@code USDT}
     * @param minOrderTotal       smallest order total when the exchange states none
     * @param maxOrderNotional    largest order notional; 0 = off
     * @param maxPositionNotional largest position value plus open buys, per market; 0 = off
     * @param maxTotalExposure    largest sum over the currency's markets; 0 = off
     * @param dailyLossLimit      largest realized loss net of fees per trading day (KST); 0 = off
     */
    record QuoteLimits(String currency, BigDecimal minOrderTotal, BigDecimal maxOrderNotional,
            BigDecimal maxPositionNotional, BigDecimal maxTotalExposure, BigDecimal dailyLossLimit) {
        QuoteLimits {
            nonNegative("min.order.total." + currency, minOrderTotal);
            nonNegative("max.order.notional." + currency, maxOrderNotional);
            nonNegative("max.position.notional." + currency, maxPositionNotional);
            nonNegative("max.total.exposure." + currency, maxTotalExposure);
            nonNegative("daily.loss.limit." + currency, dailyLossLimit);
        }

        /** @return limits with every money rule off (a quote currency nobody configured) */
        static QuoteLimits off(String currency) {
            return new QuoteLimits(currency, BigDecimal.ZERO, BigDecimal.ZERO, BigDecimal.ZERO, BigDecimal.ZERO, BigDecimal.ZERO);
        }
    }

    /** The money rules that have a limit per quote currency, as configuration keys. */
    static final List<String> MONEY_RULES = List.of("min.order.total", "max.order.notional", "max.position.notional",
            "max.total.exposure", "daily.loss.limit");

    /**
     * Defaults of the quote currencies other than KRW: the same shares of each currency's default cash
     * ({@code QuoteCurrency}: USDT 10,000, BTC 0.1) as KRW's are of 10,000,000 (order 50%, position 100%,
     * exposure 200%, daily loss 10%), and Upbit's minimum order totals (USDT 0.5, BTC 0.00005).
     */
    static final Map<String, QuoteLimits> DEFAULT_OTHER_QUOTES = Map.of(
            "USDT", new QuoteLimits("USDT", new BigDecimal("0.5"), new BigDecimal("5000"), new BigDecimal("10000"),
                    new BigDecimal("20000"), new BigDecimal("1000")),
            "BTC", new QuoteLimits("BTC", new BigDecimal("0.00005"), new BigDecimal("0.05"), new BigDecimal("0.1"),
                    new BigDecimal("0.2"), new BigDecimal("0.01")));

    /** Limits with the default limits of the quote currencies other than KRW. */
    RiskLimits(BigDecimal minOrderTotal, BigDecimal maxOrderNotional, int maxOpenOrders, BigDecimal maxPositionNotional,
            BigDecimal maxTotalExposure, BigDecimal dailyLossLimit, long cooldownMinutes) {
        this(minOrderTotal, maxOrderNotional, maxOpenOrders, maxPositionNotional, maxTotalExposure, dailyLossLimit,
                cooldownMinutes, DEFAULT_OTHER_QUOTES);
    }

    /** @throws IllegalArgumentException naming the limit that is negative */
    RiskLimits {
        otherQuotes = Map.copyOf(otherQuotes);
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

    /**
     * @param quote a quote currency
     * @return its money limits; a quote currency without limits has every money rule off
     */
    QuoteLimits of(String quote) {
        if (quote.equals("KRW")) {
            return new QuoteLimits("KRW", minOrderTotal, maxOrderNotional, maxPositionNotional, maxTotalExposure, dailyLossLimit);
        }
        return otherQuotes.getOrDefault(quote, QuoteLimits.off(quote));
    }

    /** @return {@code true} if the rule with this limit is on */
    static boolean on(BigDecimal limit) {
        return limit.signum() > 0;
    }
}
