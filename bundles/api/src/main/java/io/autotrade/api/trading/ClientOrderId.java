package io.autotrade.api.trading;

import java.util.Objects;
import java.util.UUID;

/**
 * Our own id of an order, chosen before it is sent; sent to Upbit as {@code identifier} so that an
 * order whose submission had no clear answer can be looked up instead of sent twice.
 *
 * @param value the id, 1..64 characters of letters, digits, '-' and '_'
 */
public record ClientOrderId(String value) {

    /** @throws IllegalArgumentException if the value is empty, too long or has other characters */
    public ClientOrderId {
        Objects.requireNonNull(value, "client order id");
        if (!value.matches("[A-Za-z0-9_-]{1,64}")) {
            throw new IllegalArgumentException("client order id must be 1..64 of [A-Za-z0-9_-], was '" + value + "'");
        }
    }

    /** @return a new random id */
    public static ClientOrderId random() {
        return new ClientOrderId(UUID.randomUUID().toString());
    }

    @Override
    public String toString() {
        return value;
    }
}
