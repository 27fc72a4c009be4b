package io.autotrade.api.event;

import org.osgi.service.event.Event;

/**
 * Property names of the OSGi events the bus sends, and the way back from an OSGi event to the
 * domain event. Handlers can filter on these with {@code event.filter} (OSGi Compendium 113.4), e.g.
 * {@code (market=KRW-BTC)}.
 */
public final class EventProperties {
    /** The {@link DomainEvent} itself. */
    public static final String EVENT = "autotrade.event";
    /** Event id, a UUID string. */
    public static final String EVENT_ID = "event.id";
    /** Event type, {@code entity.action}. */
    public static final String EVENT_TYPE = "event.type";
    /** Payload schema version, Integer. */
    public static final String EVENT_VERSION = "event.version";
    /** When it happened, Long epoch milliseconds UTC. */
    public static final String OCCURRED_AT = "occurred.at";
    /** Aggregate id, String. */
    public static final String AGGREGATE_ID = "aggregate.id";
    /** Correlation id, a UUID string. */
    public static final String CORRELATION_ID = "correlation.id";
    /** Causation id, a UUID string. */
    public static final String CAUSATION_ID = "causation.id";
    /** Lane rank 1..5, Integer. */
    public static final String PRIORITY = "priority";
    /** Boolean: the event store keeps this event. */
    public static final String DURABLE = "durable";
    /** Market code such as {@code KRW-BTC}, for events about one market. */
    public static final String MARKET = "market";
    /** Strategy id, for events caused by one strategy. */
    public static final String STRATEGY_ID = "strategy.id";

    /**
     * Service property of an {@code EventHandler}: the handler's stable name, used in dead letters,
     * the processing log and the watchdog's reports. Without it the bus uses {@code component.name},
     * then {@code service.pid}, then the handler's class name.
     */
    public static final String HANDLER_ID = "autotrade.handler.id";

    private EventProperties() {
    }

    /**
     * @param event an OSGi event sent by the autotrade bus
     * @return the domain event it carries
     * @throws InvalidEventException if the event was not sent by the autotrade bus
     */
    public static DomainEvent<?> domainEvent(Event event) {
        if (event instanceof BusEvent carrier) {
            return carrier.domainEvent();
        }
        Object value = event.getProperty(EVENT);
        if (value instanceof DomainEvent<?> domainEvent) {
            return domainEvent;
        }
        throw new InvalidEventException("OSGi event on " + event.getTopic() + " carries no '" + EVENT
                + "' property: it was not sent through the autotrade event bus");
    }
}
