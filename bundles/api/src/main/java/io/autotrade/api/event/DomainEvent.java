package io.autotrade.api.event;

import java.time.Instant;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The envelope every domain event travels in: identity, type, schema version, time, aggregate,
 * the correlation and causation chain, the delivery lane and the typed payload. Immutable and
 * validated at construction: an invalid event never enters the bus.
 *
 * <p>A root event (nothing caused it) has {@code correlationId == causationId == eventId}. An event
 * caused by another carries the cause's correlation id and the cause's event id as causation id
 * (see {@link #causedBy(DomainEvent, EventPayload, Instant)}), so the chain
 * signal &rarr; order &rarr; fill &rarr; position can be followed in the store.
 *
 * @param eventId       unique id of this event
 * @param type          {@code entity.action}, equal to {@code payload.kind().type()}
 * @param version       payload schema version, equal to {@code payload.kind().version()}
 * @param occurredAt    when the fact happened, UTC; in a backtest the market time, not the wall clock;
 *                      kept to the millisecond (the event property and the store carry epoch ms)
 * @param aggregateId   equal to {@code payload.aggregateId()}
 * @param correlationId id of the root event of the chain this event belongs to
 * @param causationId   id of the event that caused this one ({@code eventId} for a root event)
 * @param priority      the lane the event travels in
 * @param payload       the typed body
 * @param <P>           the payload type
 */
public record DomainEvent<P extends EventPayload>(UUID eventId, String type, int version, Instant occurredAt,
        String aggregateId, UUID correlationId, UUID causationId, Priority priority, P payload) {

    /**
     * @throws InvalidEventException if a field is missing or disagrees with the payload
     */
    public DomainEvent {
        require(eventId, "event.id");
        require(type, "event.type");
        require(occurredAt, "occurred.at");
        require(aggregateId, "aggregate.id");
        require(correlationId, "correlation.id");
        require(causationId, "causation.id");
        require(priority, "priority");
        require(payload, "payload");
        EventKind kind = Objects.requireNonNull(payload.kind(), "payload.kind()");
        if (!type.equals(kind.type())) {
            throw new InvalidEventException("event.type '" + type + "' does not match payload "
                    + payload.getClass().getSimpleName() + " of type '" + kind.type() + "'");
        }
        if (version != kind.version()) {
            throw new InvalidEventException("event.version " + version + " of " + type
                    + " does not match the payload schema version " + kind.version());
        }
        if (aggregateId.isBlank() || !aggregateId.equals(payload.aggregateId())) {
            throw new InvalidEventException("aggregate.id '" + aggregateId + "' of " + type
                    + " does not match the payload's '" + payload.aggregateId() + "'");
        }
        if (occurredAt.toEpochMilli() < 0) {
            throw new InvalidEventException("occurred.at of " + type + " is before 1970: " + occurredAt);
        }
        occurredAt = occurredAt.truncatedTo(java.time.temporal.ChronoUnit.MILLIS);
    }

    private static void require(Object value, String field) {
        if (value == null) {
            throw new InvalidEventException("domain event field '" + field + "' is required");
        }
    }

    /**
     * Creates a root event: a new correlation chain starts here.
     *
     * @param payload    the body
     * @param occurredAt when it happened (UTC)
     * @param <P>        payload type
     * @return the event, in the payload kind's default lane
     * @throws InvalidEventException if the payload is invalid
     */
    public static <P extends EventPayload> DomainEvent<P> of(P payload, Instant occurredAt) {
        UUID id = newEventId();
        EventKind kind = kindOf(payload);
        return new DomainEvent<>(id, kind.type(), kind.version(), occurredAt, payload.aggregateId(), id, id,
                kind.defaultPriority(), payload);
    }

    /**
     * Creates a root event with a given id, for a source that publishes the same fact again after a
     * restart (e.g. a candle of a replay): the journal acknowledges a second copy without dispatching it.
     *
     * @param payload    the body
     * @param occurredAt when it happened (UTC)
     * @param eventId    the id, derived from the fact (e.g. {@link UUID#nameUUIDFromBytes(byte[])})
     * @param <P>        payload type
     * @return the event, in the payload kind's default lane
     * @throws InvalidEventException if the payload is invalid
     */
    public static <P extends EventPayload> DomainEvent<P> of(P payload, Instant occurredAt, UUID eventId) {
        EventKind kind = kindOf(payload);
        return new DomainEvent<>(eventId, kind.type(), kind.version(), occurredAt, payload.aggregateId(), eventId,
                eventId, kind.defaultPriority(), payload);
    }

    /**
     * Creates an event caused by {@code cause}: same correlation id, causation id = the cause's id.
     *
     * @param cause      the event that led to this one
     * @param payload    the body
     * @param occurredAt when it happened (UTC)
     * @param <P>        payload type
     * @return the event, in the payload kind's default lane
     * @throws InvalidEventException if the payload is invalid
     */
    public static <P extends EventPayload> DomainEvent<P> causedBy(DomainEvent<?> cause, P payload, Instant occurredAt) {
        Objects.requireNonNull(cause, "cause");
        EventKind kind = kindOf(payload);
        return new DomainEvent<>(newEventId(), kind.type(), kind.version(), occurredAt, payload.aggregateId(),
                cause.correlationId(), cause.eventId(), kind.defaultPriority(), payload);
    }

    /**
     * A new event id: a time-ordered UUID, version 7 (RFC 9562, section 5.7): 48 bits of Unix epoch
     * milliseconds, then 74 random bits. Ids made later sort later, so the store's id and correlation
     * indexes grow at their end instead of at random pages, which keeps durable commits fast.
     *
     * @return a fresh id
     */
    public static UUID newEventId() {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        long millis = System.currentTimeMillis() & 0xFFFF_FFFF_FFFFL;
        long msb = (millis << 16) | 0x7000L | (random.nextLong() & 0x0FFFL);
        long lsb = Long.MIN_VALUE | (random.nextLong() & 0x3FFF_FFFF_FFFF_FFFFL);
        return new UUID(msb, lsb);
    }

    private static EventKind kindOf(EventPayload payload) {
        if (payload == null) {
            throw new InvalidEventException("domain event field 'payload' is required");
        }
        return Objects.requireNonNull(payload.kind(), "payload.kind()");
    }

    /** @return this event's kind (topic, lane, durability) */
    public EventKind kind() {
        return payload.kind();
    }

    /** @return the EventAdmin topic this event is delivered on */
    public String topic() {
        return payload.kind().topic();
    }

    /**
     * @param newPriority the lane to travel in instead of the kind's default
     * @return a copy of this event in that lane
     */
    public DomainEvent<P> withPriority(Priority newPriority) {
        return new DomainEvent<>(eventId, type, version, occurredAt, aggregateId, correlationId, causationId,
                newPriority, payload);
    }

    /**
     * @param payloadType the expected payload class
     * @param <T>         the payload type
     * @return this event, typed
     * @throws ClassCastException if the payload is of another class
     */
    @SuppressWarnings("unchecked")
    public <T extends EventPayload> DomainEvent<T> as(Class<T> payloadType) {
        payloadType.cast(payload);
        return (DomainEvent<T>) this;
    }
}
