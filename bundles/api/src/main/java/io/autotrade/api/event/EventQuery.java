package io.autotrade.api.event;

import java.time.Instant;
import java.util.UUID;

/**
 * A filter over stored events; null fields do not filter. Results come in store order (the order
 * events were appended).
 *
 * @param aggregateId   only events of this aggregate
 * @param correlationId only events of this correlation chain
 * @param type          only events of this type ({@code entity.action})
 * @param since         only events that occurred at or after this instant
 * @param limit         at most this many events; 0 means no limit. When more match, the newest ones, or with
 *                      {@code after} the oldest ones after it (a page forward from a cursor)
 * @param handledBy     only events the handler with this id has handled (per the processing log): a
 *                      component rebuilding its state after a restart folds exactly these, and the bus
 *                      redelivers the rest to it
 * @param after         only events appended after the stored event with this id (a cursor: a reader that
 *                      saw it asks for what came next, in append order); an id that is not stored matches
 *                      nothing
 */
public record EventQuery(String aggregateId, UUID correlationId, String type, Instant since, int limit,
        String handledBy, UUID after) {

    /** @throws IllegalArgumentException if the limit is negative */
    public EventQuery {
        if (limit < 0) {
            throw new IllegalArgumentException("limit must be >= 0, was " + limit);
        }
    }

    /** @return a query matching every event */
    public static EventQuery all() {
        return new EventQuery(null, null, null, null, 0, null, null);
    }

    /** @param type an event type @return a query for every event of that type */
    public static EventQuery ofType(String type) {
        return new EventQuery(null, null, type, null, 0, null, null);
    }

    /** @param aggregateId an aggregate id @return this query narrowed to that aggregate */
    public EventQuery aggregate(String aggregateId) {
        return new EventQuery(aggregateId, correlationId, type, since, limit, handledBy, after);
    }

    /** @param correlationId a correlation id @return this query narrowed to that chain */
    public EventQuery correlation(UUID correlationId) {
        return new EventQuery(aggregateId, correlationId, type, since, limit, handledBy, after);
    }

    /** @param type an event type @return this query narrowed to that type */
    public EventQuery type(String type) {
        return new EventQuery(aggregateId, correlationId, type, since, limit, handledBy, after);
    }

    /** @param since an instant @return this query narrowed to events at or after it */
    public EventQuery since(Instant since) {
        return new EventQuery(aggregateId, correlationId, type, since, limit, handledBy, after);
    }

    /** @param handlerId a handler id @return this query narrowed to the events that handler has handled */
    public EventQuery handledBy(String handlerId) {
        return new EventQuery(aggregateId, correlationId, type, since, limit, handlerId, after);
    }

    /** @param limit maximum number of events, 0 for all @return this query with that limit */
    public EventQuery limit(int limit) {
        return new EventQuery(aggregateId, correlationId, type, since, limit, handledBy, after);
    }

    /**
     * @param eventId the id of a stored event, the last one a reader saw
     * @return this query narrowed to the events appended after it; with a limit, the oldest of those first
     */
    public EventQuery after(UUID eventId) {
        return new EventQuery(aggregateId, correlationId, type, since, limit, handledBy, eventId);
    }
}
