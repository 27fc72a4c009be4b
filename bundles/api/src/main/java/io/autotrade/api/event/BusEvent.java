package io.autotrade.api.event;

import java.util.Map;
import org.osgi.service.event.Event;

/**
 * The OSGi event the autotrade bus hands its handlers (OSGi Compendium R8, 113.3 "The Event"): on the domain event's
 * topic, with the {@link EventProperties} read from it, and carrying the domain event itself, so that
 * {@link EventProperties#domainEvent(Event)} returns it without a property lookup (a handler call on a backtest's
 * hot path makes one).
 */
public final class BusEvent extends Event {
    private final DomainEvent<?> domainEvent;

    /**
     * @param domainEvent the domain event; its topic is this event's
     * @param properties  this event's properties ({@link EventProperties}), {@link EventProperties#EVENT} among them
     * @throws IllegalArgumentException if the topic is not a valid OSGi topic (113.3.1)
     */
    public BusEvent(DomainEvent<?> domainEvent, Map<String, ?> properties) {
        super(domainEvent.topic(), properties);
        this.domainEvent = domainEvent;
    }

    /** @return the domain event this OSGi event carries */
    public DomainEvent<?> domainEvent() {
        return domainEvent;
    }
}
