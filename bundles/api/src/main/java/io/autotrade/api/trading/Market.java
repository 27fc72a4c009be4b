package io.autotrade.api.trading;

import java.util.Objects;
import java.util.regex.Pattern;

/**
 * An Upbit market code, quote currency first: {@code KRW-BTC} trades BTC (base) for KRW (quote).
 *
 * @param code the market code, upper case, {@code QUOTE-BASE}
 */
public record Market(String code) {
    private static final Pattern CODE = Pattern.compile("[A-Z0-9]{2,10}-[A-Z0-9]{1,15}");

    /** @throws IllegalArgumentException if the code is not {@code QUOTE-BASE} in upper-case letters and digits */
    public Market {
        Objects.requireNonNull(code, "market code");
        if (!CODE.matcher(code).matches()) {
            throw new IllegalArgumentException(
                    "market code must be QUOTE-BASE in upper case, quote first (e.g. KRW-BTC), was '" + code + "'");
        }
    }

    /**
     * @param code a market code such as {@code KRW-BTC}
     * @return the market
     * @throws IllegalArgumentException if the code is malformed
     */
    public static Market of(String code) {
        return new Market(code);
    }

    /** @return the quote currency, e.g. {@code KRW} */
    public String quote() {
        return code.substring(0, code.indexOf('-'));
    }

    /** @return the base currency, e.g. {@code BTC} */
    public String base() {
        return code.substring(code.indexOf('-') + 1);
    }

    @Override
    public String toString() {
        return code;
    }
}
