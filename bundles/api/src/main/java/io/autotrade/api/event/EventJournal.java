package io.autotrade.api.event;

import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Consumer;

/**
 * The write-ahead journal the event bus commits durable events to before it dispatches them, with
 * the delivery log: for every journaled event, one pending delivery per handler that should get it,
 * turned into a processing-log entry when the handler succeeds. After a crash the pending deliveries
 * are exactly the unfinished work. Implemented by the event store bundle; thread-safe.
 */
public interface EventJournal {

    /** One (event, handler) pair. */
    record Delivery(UUID eventId, String handlerId) {
    }

    /**
     * What to commit in one transaction.
     *
     * @param events     durable events to append, in order
     * @param recipients for each event id, the handlers that must get it (its pending deliveries)
     * @param done       deliveries that succeeded: they leave the pending set and enter the processing log
     */
    record Batch(List<DomainEvent<?>> events, Map<UUID, List<String>> recipients, List<Delivery> done) {
        /** Copies the collections. */
        public Batch {
            events = List.copyOf(events);
            recipients = Map.copyOf(recipients);
            done = List.copyOf(done);
        }
    }

    /**
     * Commits the batch, grouped with other callers' batches into one transaction (synchronous=FULL)
     * that waits at most the configured grouping delay; returns once it is durable.
     *
     * @param batch events, their recipients and finished deliveries
     * @return for each event, in order, {@code true} if it was appended, {@code false} if an event with
     *         that id was already journaled (it is not appended again and gets no new deliveries)
     * @throws EventStoreException if the commit failed; then nothing of the batch is stored
     */
    boolean[] commit(Batch batch);

    /**
     * Journals the batch with later ones, in one transaction, for the thread that drives a replay
     * ({@link EventBus#drive}), whose every step would otherwise be a commit of its own. The result is what
     * {@link #commit} gives: an event the journal or the deferred batches hold already is not appended. The deferred
     * batches are committed, in order and together, when they are many, before any other read or write of the store,
     * and at {@link #flushDeferred()}; a crash before loses them whole, so the journal stays a prefix of what was
     * published. A journal without deferral commits at once.
     *
     * @param batch events, their recipients and finished deliveries
     * @return for each event, in order, whether it is appended
     * @throws EventStoreException if a commit this causes failed
     */
    default boolean[] commitDeferred(Batch batch) {
        return commit(batch);
    }

    /**
     * Commits what {@link #commitDeferred} holds.
     *
     * @throws EventStoreException if the commit failed; then nothing of the deferred batches is stored
     */
    default void flushDeferred() {
    }

    /**
     * Marks the point after the last {@link #commitDeferred} batch at which a replay's step is handled whole
     * ({@link EventBus#boundary}): the deferred batches are committed only at such points, when they are many, when the
     * store is read or written otherwise (then the batches after the last point stay deferred) and at
     * {@link #flushDeferred()}; each commit ends with the checkpoint event of its last point, so a crash leaves the
     * journal at a checkpoint. A journal without deferral ignores it.
     *
     * @param checkpoint makes the checkpoint event when a commit ends at this point (at most once)
     */
    default void boundary(java.util.function.Supplier<DomainEvent<?>> checkpoint) {
    }

    /**
     * Records finished deliveries without waiting: they are committed with the next group. A crash
     * before that commit leaves them pending, so the handler gets the event again; use this only for
     * deliveries whose handler published nothing (its state is rebuilt from what the log says it handled).
     *
     * @param done deliveries that succeeded
     */
    void commitLater(List<Delivery> done);

    /**
     * @param handlerId a handler id
     * @return journaled events with a pending delivery to that handler, in journal order
     * @throws EventStoreException if the journal cannot be read
     */
    List<DomainEvent<?>> pending(String handlerId);

    /**
     * Hands the events with a pending delivery to the handler, in journal order, to {@code page} a page
     * at a time on the calling thread: for a large backlog (a recovery), which then needs neither to be
     * held in memory at once nor to be read whole before the first event is redelivered. The backlog is
     * the one at the call: events journaled during it are not included. A journal may read and decode
     * the next page while the caller handles one; this default hands over {@link #pending(String)} as one
     * page.
     *
     * @param handlerId a handler id
     * @param page      called once per page, in journal order, with at least one event each
     * @return how many events were handed over
     * @throws UnreadableEventException if a pending event cannot be decoded: the pages handed over before
     *                                   stay handed over; that event and the ones after it stay pending
     * @throws EventStoreException       if the journal cannot be read; the pages handed over before stay handed over
     */
    default long pending(String handlerId, Consumer<List<DomainEvent<?>>> page) {
        List<DomainEvent<?>> all = pending(handlerId);
        if (!all.isEmpty()) {
            page.accept(all);
        }
        return all.size();
    }

    /**
     * A handler's subscription as the journal keeps it, so that events published while the handler
     * is away (not started yet after a restart, being updated) still get a pending delivery for it.
     *
     * @param handlerId the handler's id
     * @param topics    its {@code event.topics}
     * @param filter    its {@code event.filter}, or null
     */
    record DurableSubscription(String handlerId, List<String> topics, String filter) {
        /** Copies the topics. */
        public DurableSubscription {
            topics = List.copyOf(topics);
        }
    }

    /**
     * Remembers (or updates) a handler's subscription.
     *
     * @param subscription the handler's id, topics and filter
     * @throws EventStoreException if it cannot be written
     */
    void remember(DurableSubscription subscription);

    /**
     * @return every remembered subscription
     * @throws EventStoreException if the journal cannot be read
     */
    List<DurableSubscription> subscriptions();

    /**
     * Forgets a handler: its subscription and its pending deliveries (an operator's decision that it
     * will not come back).
     *
     * @param handlerId the handler's id
     * @return how many pending deliveries were dropped
     * @throws EventStoreException if it cannot be written
     */
    int forget(String handlerId);

    /**
     * Drops a pending delivery without recording it as handled (the event went to the dead-letter
     * queue, which now owns it).
     *
     * @param delivery the pair
     * @throws EventStoreException if it cannot be written
     */
    void abandon(Delivery delivery);

    /**
     * Checks that the journal can commit now: a real write, through the same group commit as
     * {@link #commit(Batch)} (it is how the bus learns that a fault such as a full disk, a read-only
     * file or a lock held by another process has cleared).
     *
     * @throws EventStoreException if that write fails, with the database's reason
     */
    void probe();
}
