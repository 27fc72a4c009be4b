package io.autotrade.api.exchange;

import io.autotrade.api.trading.Market;
import java.math.BigDecimal;
import java.util.Objects;

/**
 * Trading rules of one market (Upbit API, GET /v1/orders/chance: {@code bid_fee}, {@code ask_fee},
 * {@code market.bid.min_total}).
 *
 * @param market   the market
 * @param bidFee   fee rate on buys, a fraction (0.0005 = 0.05%)
 * @param askFee   fee rate on sells, a fraction
 * @param minTotal smallest order total, quote currency (5,000 KRW on KRW markets)
 */
public record MarketRules(Market market, BigDecimal bidFee, BigDecimal askFee, BigDecimal minTotal) {

    /** @throws IllegalArgumentException if a rate or the minimum is negative */
    public MarketRules {
        Objects.requireNonNull(market, "market");
        Objects.requireNonNull(bidFee, "bidFee");
        Objects.requireNonNull(askFee, "askFee");
        Objects.requireNonNull(minTotal, "minTotal");
        if (bidFee.signum() < 0 || askFee.signum() < 0 || minTotal.signum() < 0) {
            throw new IllegalArgumentException("market rules of " + market + " must not be negative");
        }
    }
}
