package io.autotrade.api.event;

import java.util.List;

/**
 * The append-only store of durable domain events (store.sqlite bundle). Events are kept exactly as
 * published, envelope and payload, and can be read back typed.
 */
public interface EventStore {

    /**
     * Appends an event. Appending an event id that is already stored is a no-op, so redelivery never
     * stores an event twice.
     *
     * @param event a durable domain event
     * @return {@code true} if it was stored now, {@code false} if it was already there
     * @throws EventStoreException if the event cannot be written; nothing is acknowledged then
     */
    boolean append(DomainEvent<?> event);

    /**
     * @param query the filter
     * @return matching events in append order
     * @throws EventStoreException if the store cannot be read or a stored payload cannot be decoded
     */
    List<DomainEvent<?>> query(EventQuery query);

    /**
     * @return the number of stored events
     * @throws EventStoreException if the store cannot be read
     */
    long count();

    /** @return where the events are kept, e.g. the database file path, for display */
    String location();
}
