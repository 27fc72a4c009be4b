package io.autotrade.core.internal;

import io.autotrade.api.event.EventKind;
import io.autotrade.api.event.EventPayload;
import io.autotrade.api.event.Priority;

/** A log-lane payload for tests of the lanes. */
record LogLine(String source, String text) implements EventPayload {
    static final EventKind KIND = new EventKind("log.entry", 1, "autotrade/log/ENTRY", Priority.LOW_LOGGING, false,
            LogLine.class);

    @Override
    public EventKind kind() {
        return KIND;
    }

    @Override
    public String aggregateId() {
        return source;
    }
}
