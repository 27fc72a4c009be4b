package io.autotrade.core.internal;

import io.autotrade.api.event.BusEvent;
import io.autotrade.api.event.DomainEvent;
import org.osgi.service.event.Event;

/** Turns a domain event into the OSGi event handlers receive ({@link BusEvent}), its properties computed on demand. */
final class OsgiEvents {
    private OsgiEvents() {
    }

    static Event toOsgi(DomainEvent<?> event) {
        return new BusEvent(event, new DomainEventProperties(event));
    }
}
