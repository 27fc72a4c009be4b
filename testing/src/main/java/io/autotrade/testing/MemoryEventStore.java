package io.autotrade.testing;

import io.autotrade.api.event.DomainEvent;
import io.autotrade.api.event.EventQuery;
import io.autotrade.api.event.EventStore;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * An event store in memory for unit tests: appends once per event id and answers queries with the
 * same filters as the SQLite store (aggregate, correlation, type, since, newest N, handled by).
 */
public final class MemoryEventStore implements EventStore {
    private final List<DomainEvent<?>> events = Collections.synchronizedList(new ArrayList<>());
    private final java.util.Set<String> handled = java.util.concurrent.ConcurrentHashMap.newKeySet();

    /**
     * @param initial events already stored, oldest first
     * @return a store holding them
     */
    public static MemoryEventStore of(List<? extends DomainEvent<?>> initial) {
        MemoryEventStore store = new MemoryEventStore();
        initial.forEach(store::append);
        return store;
    }

    /**
     * Records in the processing log that the handler handled these events.
     *
     * @param handlerId the handler
     * @param handledEvents events it handled
     * @return this store
     */
    public MemoryEventStore handledBy(String handlerId, List<? extends DomainEvent<?>> handledEvents) {
        handledEvents.forEach(e -> handled.add(e.eventId() + "/" + handlerId));
        return this;
    }

    @Override
    public boolean append(DomainEvent<?> event) {
        synchronized (events) {
            if (events.stream().anyMatch(e -> e.eventId().equals(event.eventId()))) {
                return false;
            }
            return events.add(event);
        }
    }

    @Override
    public List<DomainEvent<?>> query(EventQuery q) {
        List<DomainEvent<?>> hits;
        synchronized (events) {
            hits = events.stream()
                    .filter(e -> q.aggregateId() == null || e.aggregateId().equals(q.aggregateId()))
                    .filter(e -> q.correlationId() == null || e.correlationId().equals(q.correlationId()))
                    .filter(e -> q.type() == null || e.type().equals(q.type()))
                    .filter(e -> q.since() == null || !e.occurredAt().isBefore(q.since()))
                    .filter(e -> q.handledBy() == null || handled.contains(e.eventId() + "/" + q.handledBy()))
                    .toList();
        }
        return q.limit() > 0 && hits.size() > q.limit() ? hits.subList(hits.size() - q.limit(), hits.size()) : hits;
    }

    @Override
    public long count() {
        return events.size();
    }

    @Override
    public String location() {
        return "memory";
    }
}
