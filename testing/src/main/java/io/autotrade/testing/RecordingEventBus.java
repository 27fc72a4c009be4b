package io.autotrade.testing;

import io.autotrade.api.event.DomainEvent;
import io.autotrade.api.event.EventBus;
import io.autotrade.api.event.EventPayload;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** An event bus for unit tests: keeps what is published, in order, and delivers nothing. */
public final class RecordingEventBus implements EventBus {
    private final List<DomainEvent<?>> published = Collections.synchronizedList(new ArrayList<>());

    @Override
    public void publish(DomainEvent<?> event) {
        published.add(event);
    }

    /** Nothing is ever in flight. */
    @Override
    public void awaitQuiescence(Duration timeout) {
    }

    /** @return everything published so far, oldest first (a live view) */
    public List<DomainEvent<?>> published() {
        return published;
    }

    /**
     * @param payloadType a payload class
     * @param <P>         its type
     * @return the payloads of that class published so far, oldest first
     */
    public <P extends EventPayload> List<P> payloads(Class<P> payloadType) {
        synchronized (published) {
            return published.stream().map(DomainEvent::payload).filter(payloadType::isInstance).map(payloadType::cast)
                    .toList();
        }
    }
}
