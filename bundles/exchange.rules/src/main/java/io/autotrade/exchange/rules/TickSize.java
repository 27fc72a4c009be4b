package io.autotrade.exchange.rules;

import io.autotrade.api.trading.Market;
import java.math.BigDecimal;
import java.math.RoundingMode;

/**
 * Upbit's order price units (tick sizes) by quote currency and price band, for when the exchange
 * has not told us (the live adapter asks {@code GET /v1/orderbook/instruments} first).
 *
 * <p>Sources (Upbit Developer Center, guides "KRW / BTC / USDT market order price unit"):
 * <ul>
 * <li>KRW, since 2025-07-31: &ge; 1,000,000: 1,000; &ge; 500,000: 500; &ge; 100,000: 100;
 *     &ge; 50,000: 50; &ge; 10,000: 10; &ge; 5,000: 5; &ge; 100: 1; &ge; 10: 0.01; &ge; 1: 0.001;
 *     &ge; 0.1: 0.0001; &ge; 0.01: 0.00001; &ge; 0.001: 0.000001; &ge; 0.0001: 0.0000001;
 *     below: 0.00000001 (the bands under 100 KRW as published in 2024);</li>
 * <li>BTC: 0.00000001 at every price;</li>
 * <li>USDT, since 2024-08-19: &ge; 10: 0.01; &ge; 1: 0.001; &ge; 0.1: 0.0001; &ge; 0.01: 0.00001;
 *     &ge; 0.001: 0.000001; &ge; 0.0001: 0.0000001; below: 0.00000001.</li>
 * </ul>
 */
public final class TickSize {
    private static final String[][] KRW = {
        {"1000000", "1000"}, {"500000", "500"}, {"100000", "100"}, {"50000", "50"}, {"10000", "10"},
        {"5000", "5"}, {"100", "1"}, {"10", "0.01"}, {"1", "0.001"}, {"0.1", "0.0001"}, {"0.01", "0.00001"},
        {"0.001", "0.000001"}, {"0.0001", "0.0000001"}, {"0", "0.00000001"}};
    private static final String[][] USDT = {
        {"10", "0.01"}, {"1", "0.001"}, {"0.1", "0.0001"}, {"0.01", "0.00001"}, {"0.001", "0.000001"},
        {"0.0001", "0.0000001"}, {"0", "0.00000001"}};
    private static final BigDecimal SATOSHI = new BigDecimal("0.00000001");

    private TickSize() {
    }

    /**
     * @param market a market
     * @param price  a positive price in the market's quote currency
     * @return the price unit that applies at that price
     * @throws IllegalArgumentException if the price is not positive or the quote currency has no table
     */
    public static BigDecimal of(Market market, BigDecimal price) {
        if (price == null || price.signum() <= 0) {
            throw new IllegalArgumentException("tick size needs a positive price, was " + price);
        }
        String[][] table = switch (market.quote()) {
            case "KRW" -> KRW;
            case "USDT" -> USDT;
            case "BTC" -> null;
            default -> throw new IllegalArgumentException("no tick size table for quote currency " + market.quote());
        };
        if (table == null) {
            return SATOSHI;
        }
        for (String[] band : table) {
            if (price.compareTo(new BigDecimal(band[0])) >= 0) {
                return new BigDecimal(band[1]);
            }
        }
        return SATOSHI;
    }

    /**
     * Rounds a price to a multiple of its tick. The tick is the one at the rounded result's band, so a
     * price just under a band edge may round onto the edge (e.g. 999,999 KRW up to 1,000,000).
     *
     * @param market a market
     * @param price  a positive price
     * @param mode   {@link RoundingMode#DOWN} for a bid (never pay more), {@link RoundingMode#UP} for an ask
     * @return the rounded price, stripped of trailing zeros in its scale
     * @throws IllegalArgumentException if the price is not positive
     */
    public static BigDecimal round(Market market, BigDecimal price, RoundingMode mode) {
        BigDecimal tick = of(market, price);
        BigDecimal rounded = price.divide(tick, 0, mode).multiply(tick);
        if (rounded.signum() <= 0) {
            rounded = tick;
        }
        BigDecimal tickThere = of(market, rounded);
        if (tickThere.compareTo(tick) != 0) {
            rounded = price.divide(tickThere, 0, mode).multiply(tickThere);
        }
        return rounded.stripTrailingZeros().scale() < 0 ? rounded.setScale(0) : rounded.stripTrailingZeros();
    }

    /**
     * @param market a market
     * @param price  a positive price
     * @return {@code true} if the price is a multiple of its tick
     */
    public static boolean isOnTick(Market market, BigDecimal price) {
        return price.remainder(of(market, price)).signum() == 0;
    }
}
