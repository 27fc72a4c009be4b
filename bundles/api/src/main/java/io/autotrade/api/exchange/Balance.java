package io.autotrade.api.exchange;

import java.math.BigDecimal;
import java.util.Objects;

/**
 * One currency's balance, as Upbit's {@code accounts}: {@code balance} free to use and {@code locked}
 * held by open orders.
 *
 * @param currency  currency code, e.g. {@code KRW}
 * @param available free amount ({@code balance} in Upbit's reply)
 * @param locked    amount held by open orders
 */
public record Balance(String currency, BigDecimal available, BigDecimal locked) {

    /** @throws IllegalArgumentException if an amount is negative */
    public Balance {
        Objects.requireNonNull(currency, "currency");
        Objects.requireNonNull(available, "available");
        Objects.requireNonNull(locked, "locked");
        if (available.signum() < 0 || locked.signum() < 0) {
            throw new IllegalArgumentException("balance of " + currency + " must not be negative: available "
                    + available.toPlainString() + ", locked " + locked.toPlainString());
        }
    }

    /** @return available + locked */
    public BigDecimal total() {
        return available.add(locked);
    }
}
