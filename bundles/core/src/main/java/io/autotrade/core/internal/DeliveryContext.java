package io.autotrade.core.internal;

import io.autotrade.api.event.DomainEvent;
import java.util.ArrayList;
import java.util.List;

/**
 * One handler call in progress on a lane worker, with what the handler publishes during it. The
 * outputs are not dispatched at once: when the call succeeds they are journaled in one transaction
 * with the record that the handler handled the event, then dispatched. So after a crash either both
 * exist or neither, and the redelivered event makes the handler publish them again: nothing is lost
 * and nothing happens twice.
 */
final class DeliveryContext {
    /**
     * The call in progress per thread, in a slot the thread keeps: setting and removing a thread-local for every call
     * costs more than the call of a small handler (the map is probed and cleaned at each set).
     */
    private static final ThreadLocal<DeliveryContext[]> CURRENT = ThreadLocal.withInitial(() -> new DeliveryContext[1]);

    final Envelope envelope;
    final Subscription subscription;
    /** What the handler published during the call, in order; null until it publishes (most calls publish nothing). */
    private List<DomainEvent<?>> outputs;
    private final DeliveryContext[] slot;

    private DeliveryContext(Envelope envelope, Subscription subscription, DeliveryContext[] slot) {
        this.envelope = envelope;
        this.subscription = subscription;
        this.slot = slot;
    }

    /**
     * @return this thread's slot, which a thread that delivers many events keeps and passes to {@link #open}: no
     *         thread-local lookup per call then
     */
    static DeliveryContext[] slot() {
        return CURRENT.get();
    }

    /**
     * @param slot the calling thread's {@link #slot()}
     * @return the call, in progress on this thread until {@link #close()}
     */
    static DeliveryContext open(Envelope envelope, Subscription subscription, DeliveryContext[] slot) {
        DeliveryContext context = new DeliveryContext(envelope, subscription, slot);
        slot[0] = context;
        return context;
    }

    /** @return the call in progress on this thread, or null */
    static DeliveryContext current() {
        return CURRENT.get()[0];
    }

    /** @param event published by the handler during the call: journaled with its record when the call succeeds */
    void publish(DomainEvent<?> event) {
        if (outputs == null) {
            outputs = new ArrayList<>(2);
        }
        outputs.add(event);
    }

    /** @return what the handler published during the call, in order (empty if nothing) */
    List<DomainEvent<?>> outputs() {
        return outputs == null ? List.of() : outputs;
    }

    /** Ends the call on the thread that opened it (the slot it was put in: no second thread-local lookup). */
    void close() {
        slot[0] = null;
    }
}
