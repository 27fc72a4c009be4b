package io.autotrade.it.osgi;

import io.autotrade.api.event.EventKind;
import io.autotrade.api.event.EventPayload;
import io.autotrade.api.event.Priority;

/** A log-lane payload of the test probe: {@code autotrade/log/ENTRY}, not durable. */
public record FloodLine(String source, int n) implements EventPayload {
    static final EventKind KIND = new EventKind("log.entry", 1, "autotrade/log/ENTRY", Priority.LOW_LOGGING, false,
            FloodLine.class);

    @Override
    public EventKind kind() {
        return KIND;
    }

    @Override
    public String aggregateId() {
        return source;
    }
}
