package io.autotrade.core.internal;

import io.autotrade.api.event.CriticalFailure;
import io.autotrade.api.event.DomainEvent;
import io.autotrade.api.event.EventBusException;
import io.autotrade.api.event.EventJournal;
import io.autotrade.api.event.EventStoreException;
import io.autotrade.api.event.UnreadableEventException;
import java.time.Instant;
import java.util.function.Consumer;
import org.osgi.service.log.Logger;

/**
 * A durable handler's recovery when it registers: its backlog in the journal (what a crash, a stop or its
 * absence left unhandled) redelivered in journal order, page by page; a backlog that cannot be read whole is
 * reported as a {@code CRITICAL_FAILURE} and stays pending.
 */
final class Recovery {
    private final EventJournal journal;
    private final Logger logger;
    private final Consumer<Envelope> redeliver;
    private final Consumer<DomainEvent<?>> publish;

    /**
     * @param journal   the journal
     * @param logger    for what was redelivered and what could not be
     * @param redeliver queues one redelivery on its aggregate's worker, past the lane's bound
     * @param publish   publishes the CRITICAL_FAILURE of a backlog that cannot be read
     */
    Recovery(EventJournal journal, Logger logger, Consumer<Envelope> redeliver, Consumer<DomainEvent<?>> publish) {
        this.journal = journal;
        this.logger = logger;
        this.redeliver = redeliver;
        this.publish = publish;
    }

    /**
     * Redelivers what the journal says this handler has not handled yet, in journal order, each on its
     * aggregate's worker: the work a crash, a stop or its absence left unfinished. A delivery still
     * queued for an earlier registration of the handler is skipped there (that subscription is gone),
     * so none is delivered twice.
     */
    void recover(Subscription subscription) {
        long redelivered;
        try {
            redelivered = journal.pending(subscription.id(), page -> {
                for (DomainEvent<?> event : page) {
                    Envelope envelope = new Envelope(event, System.nanoTime());
                    envelope.recipients = new Subscription[] {subscription};
                    try {
                        redeliver.accept(envelope);
                    } catch (EventBusException e) {
                        logger.error("cannot redeliver {} {} to {} now; it stays pending for the next start",
                                event.type(), event.eventId(), subscription.id());
                    }
                }
            });
        } catch (EventStoreException e) {
            logger.error("cannot read the pending deliveries of handler {}: {}; the rest stays pending for the next start",
                    subscription.id(), e.getMessage());
            unrecovered(subscription.id(), e);
            return;
        }
        if (redelivered > 0) {
            logger.warn("redelivered {} unfinished deliveries to handler {}", redelivered, subscription.id());
        }
    }

    /**
     * A handler's backlog could not be redelivered whole: it now misses events it should have seen, so a
     * {@code CRITICAL_FAILURE} names it and, when a stored event could not be decoded, that event (the
     * trading-state tracker halts trading when it is on the order path). Nothing is dropped: the rest
     * stays pending.
     */
    private void unrecovered(String handlerId, EventStoreException failure) {
        UnreadableEventException unreadable = failure instanceof UnreadableEventException u ? u : null;
        CriticalFailure payload = new CriticalFailure(handlerId, unreadable == null ? null : unreadable.eventId(),
                unreadable == null ? null : unreadable.type(), 0,
                "its pending deliveries cannot be redelivered; the rest stays pending: " + failure.getMessage(), 0);
        try {
            publish.accept(DomainEvent.of(payload, Instant.now()));
        } catch (EventBusException e) {
            logger.error("could not raise CRITICAL_FAILURE for the recovery of handler {}: {}", handlerId, e.getMessage());
        }
    }
}
