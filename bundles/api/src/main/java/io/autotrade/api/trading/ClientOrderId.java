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
        if (!valid(value)) {
            throw new IllegalArgumentException("client order id must be 1..64 of [A-Za-z0-9_-], was '" + value + "'");
        }
    }

    /** @return whether the value is 1..64 of {@code [A-Za-z0-9_-]} (without a regex compiled per id: a report reads thousands) */
    private static boolean valid(String value) {
        if (value.isEmpty() || value.length() > 64) {
            return false;
        }
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (!(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_' || c == '-')) {
                return false;
            }
        }
        return true;
    }

    /** @return a new random id */
    public static ClientOrderId random() {
        return new ClientOrderId(UUID.randomUUID().toString());
    }

    /**
     * The id of the order a signal leads to: the order manager derives it from the signal's event id, so a
     * retried or redelivered signal makes the same order, never a second one, and a strategy can find the
     * order of its last signal in the blotter ({@code OrderBlotter.order}).
     *
     * @param signalEventId a {@code signal.generated} event's id
     * @return a name-based UUID (RFC 4122 version 3) of {@code "order:" + signalEventId}
     */
    public static ClientOrderId forSignal(UUID signalEventId) {
        Objects.requireNonNull(signalEventId, "signal event id");
        return new ClientOrderId(UUID.nameUUIDFromBytes(("order:" + signalEventId)
                .getBytes(java.nio.charset.StandardCharsets.UTF_8)).toString());
    }

    @Override
    public String toString() {
        return value;
    }
}
