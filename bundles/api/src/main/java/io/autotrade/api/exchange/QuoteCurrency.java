package io.autotrade.api.exchange;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.Map;
import java.util.Optional;

/**
 * A quote currency's defaults: the starting cash of a paper account or backtest, from which the default
 * order amount follows ({@link #DEFAULT_ORDER_SHARE} of it). Market rules (price units, minimum order
 * totals) are the exchange's to state ({@link Exchange#rules}).
 *
 * @param code        the currency code, e.g. {@code KRW}
 * @param defaultCash the starting balance of a paper account or a backtest, in that currency
 */
public record QuoteCurrency(String code, BigDecimal defaultCash) {
    /** Share of the starting cash that one buy spends by default: 10%. */
    public static final BigDecimal DEFAULT_ORDER_SHARE = new BigDecimal("0.1");

    private static final Map<String, QuoteCurrency> KNOWN = Map.of(
            "KRW", new QuoteCurrency("KRW", new BigDecimal("10000000")),
            "BTC", new QuoteCurrency("BTC", new BigDecimal("0.1")),
            "USDT", new QuoteCurrency("USDT", new BigDecimal("10000")));

    /**
     * @param code a currency code
     * @return the currency's defaults, or empty for a quote currency Upbit does not list
     */
    public static Optional<QuoteCurrency> of(String code) {
        return Optional.ofNullable(KNOWN.get(code));
    }

    /**
     * @param cash a starting balance, quote currency
     * @return {@link #DEFAULT_ORDER_SHARE} of it, without trailing zeros
     */
    public static BigDecimal orderAmountFor(BigDecimal cash) {
        return cash.multiply(DEFAULT_ORDER_SHARE).setScale(8, RoundingMode.DOWN).stripTrailingZeros();
    }

    /** @return the default amount of one buy: {@link #DEFAULT_ORDER_SHARE} of {@link #defaultCash()} */
    public BigDecimal defaultOrderAmount() {
        return orderAmountFor(defaultCash);
    }
}
