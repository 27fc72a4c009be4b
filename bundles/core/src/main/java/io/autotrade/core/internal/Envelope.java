package io.autotrade.core.internal;

import io.autotrade.api.event.DomainEvent;
import org.osgi.service.event.Event;

/**
 * A published event on its way through a lane: the domain event, the OSGi event built once for all
 * handlers, when it was published, and how many handler deliveries are still open. Touched only by
 * the worker that owns its aggregate after it is queued.
 */
final class Envelope {
    final DomainEvent<?> event;
    final long publishedNanos;
    /**
     * Whether the journal holds it, with a pending delivery per recipient: a durable event, unless a replay published
     * it not to be journaled ({@code EventBus.publishReplayed}). Only a journaled event's deliveries are recorded.
     */
    final boolean journaled;
    /**
     * The handlers it goes to, fixed when it was journaled (their pending deliveries), or null to ask
     * the registry at delivery time (not journaled: no journal, or not durable).
     */
    Subscription[] recipients;
    private Event osgi;
    /** Handler deliveries not finished yet (delivered or dead-lettered), plus one while being fanned out. */
    int pending;

    Envelope(DomainEvent<?> event, long publishedNanos) {
        this(event, publishedNanos, event.kind().durable());
    }

    Envelope(DomainEvent<?> event, long publishedNanos, boolean journaled) {
        this.event = event;
        this.publishedNanos = publishedNanos;
        this.journaled = journaled;
    }

    Event osgi() {
        Event e = osgi;
        if (e == null) {
            e = OsgiEvents.toOsgi(event);
            osgi = e;
        }
        return e;
    }
}
