package io.autotrade.backtest.internal;

import io.autotrade.api.risk.RiskLimit;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * A backtest's {@code --risk} limits are in its market's quote currency; the risk manager keeps the
 * money limits of a quote currency other than KRW under {@code RULE.CURRENCY} (e.g.
 * {@code max.order.notional.USDT}).
 */
final class RiskKeys {
    private static final Pattern CURRENCY = Pattern.compile("[A-Z][A-Z0-9]{1,9}");

    private RiskKeys() {
    }

    /**
     * @param limits  the run's limits by rule
     * @param quote   the market's quote currency
     * @param current the risk manager's limits (their units tell which rules are amounts of money)
     * @return the limits keyed as the risk manager keeps them for that currency
     */
    static Map<String, String> forQuote(Map<String, String> limits, String quote, List<RiskLimit> current) {
        Map<String, String> keyed = new LinkedHashMap<>();
        limits.forEach((rule, value) -> {
            boolean money = current.stream().anyMatch(l -> l.rule().equals(rule) && isCurrency(l.unit()));
            keyed.put(money ? RiskLimit.forQuote(rule, quote) : rule, value);
        });
        return keyed;
    }

    /** @return the rule of a limit's name, without a currency suffix ({@code max.order.notional.USDT} -> {@code max.order.notional}) */
    static String rule(String name) {
        int dot = name.lastIndexOf('.');
        return dot > 0 && CURRENCY.matcher(name.substring(dot + 1)).matches() ? name.substring(0, dot) : name;
    }

    /** @return {@code true} if the unit is a currency code rather than a count or a time */
    static boolean isCurrency(String unit) {
        return CURRENCY.matcher(unit).matches();
    }
}
