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
}
