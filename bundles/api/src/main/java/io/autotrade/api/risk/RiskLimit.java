package io.autotrade.api.risk;

import java.math.BigDecimal;

/**
 * One risk rule as the operator sees it.
 *
 * @param rule  the configuration key, e.g. {@code max.order.notional}
 * @param limit the configured limit; zero means the rule is off
 * @param usage how much of it is used now (for per-market rules, the largest market), same unit
 * @param unit  {@code KRW} (the quote currency), {@code orders} or {@code minutes}
 * @param note  what the usage is made of, for people
 */
public record RiskLimit(String rule, BigDecimal limit, BigDecimal usage, String unit, String note) {

    /**
     * The name a money rule has for one quote currency: KRW's is the rule itself, every other quote currency's the
     * rule with its code after a dot (the risk manager's configuration keys and {@link RiskView#limits()} both).
     *
     * @param rule          a money rule, e.g. {@code max.order.notional}
     * @param quoteCurrency a quote currency, e.g. {@code USDT}
     * @return e.g. {@code max.order.notional} for KRW, {@code max.order.notional.USDT} for USDT
     */
    public static String forQuote(String rule, String quoteCurrency) {
        return rule + quoteSuffix(quoteCurrency);
    }

    /**
     * @param quoteCurrency a quote currency
     * @return what follows a money rule's name for it: nothing for KRW, else a dot and the code ({@code .USDT})
     */
    public static String quoteSuffix(String quoteCurrency) {
        return quoteCurrency.equals("KRW") ? "" : "." + quoteCurrency;
    }
}
