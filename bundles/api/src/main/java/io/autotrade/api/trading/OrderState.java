package io.autotrade.api.trading;

import java.util.EnumSet;
import java.util.Set;

/**
 * The states of an order and the legal transitions between them. A transition not listed here is a
 * defect and is refused, never applied silently.
 *
 * <pre>
 * REQUESTED -&gt; SUBMITTED | REJECTED
 * SUBMITTED -&gt; ACCEPTED | REJECTED | CANCELED
 * ACCEPTED  -&gt; PARTIALLY_FILLED | FILLED | CANCELED
 * PARTIALLY_FILLED -&gt; PARTIALLY_FILLED | FILLED | CANCELED
 * FILLED, CANCELED, REJECTED: final
 * </pre>
 */
public enum OrderState {
    /** Created by the order manager, not yet sent. */
    REQUESTED,
    /** Handed to an exchange, no answer yet. */
    SUBMITTED,
    /** The exchange has it open (Upbit {@code wait}). */
    ACCEPTED,
    /** Some volume filled, the rest still open. */
    PARTIALLY_FILLED,
    /** Completely filled (Upbit {@code done}). Final. */
    FILLED,
    /** Canceled (Upbit {@code cancel}); what filled stays filled. Final. */
    CANCELED,
    /** Refused before anything filled. Final. */
    REJECTED;

    /** @return the states this one may move to */
    public Set<OrderState> next() {
        return switch (this) {
            case REQUESTED -> EnumSet.of(SUBMITTED, REJECTED);
            case SUBMITTED -> EnumSet.of(ACCEPTED, REJECTED, CANCELED);
            case ACCEPTED -> EnumSet.of(PARTIALLY_FILLED, FILLED, CANCELED);
            case PARTIALLY_FILLED -> EnumSet.of(PARTIALLY_FILLED, FILLED, CANCELED);
            case FILLED, CANCELED, REJECTED -> EnumSet.noneOf(OrderState.class);
        };
    }

    /** @return {@code true} for FILLED, CANCELED and REJECTED */
    public boolean isFinal() {
        return next().isEmpty();
    }

    /**
     * @param target the state to move to
     * @return {@code target}
     * @throws IllegalStateException if the move is not allowed
     */
    public OrderState transitionTo(OrderState target) {
        if (!next().contains(target)) {
            throw new IllegalStateException("illegal order transition " + this + " -> " + target);
        }
        return target;
    }
}
