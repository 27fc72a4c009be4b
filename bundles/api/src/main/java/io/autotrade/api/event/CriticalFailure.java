package io.autotrade.api.event;

import java.util.Objects;
import java.util.UUID;

/**
 * Something failed that a person must look at: the bus gave up delivering an event to a handler
 * after its last retry and moved it to the dead-letter store, or a component could not do its work.
 * Travels in the safety lane; a trading component may halt on it.
 *
 * @param source          what failed: a handler id (see {@link EventProperties#HANDLER_ID}) or a component name
 * @param failedEventId   the event whose handling failed, or {@code null} when no event was involved
 * @param failedEventType that event's type, or {@code null}
 * @param attempts        how many times it was tried, 0 when not applicable
 * @param error           the last error, for people: exception class and message
 * @param deadLetterId    the dead-letter entry holding the event, or 0 when none was written
 */
public record CriticalFailure(String source, UUID failedEventId, String failedEventType, int attempts, String error,
        long deadLetterId) implements EventPayload {
    /** Type {@code system.critical_failure}, topic {@link Topics#CRITICAL_FAILURE}, safety lane, durable. */
    public static final EventKind KIND = new EventKind("system.critical_failure", 1, Topics.CRITICAL_FAILURE,
            Priority.HIGH_SAFETY, true, CriticalFailure.class);

    /** @throws IllegalArgumentException if source or error is blank, or attempts or deadLetterId is negative */
    public CriticalFailure {
        if (source == null || source.isBlank()) {
            throw new IllegalArgumentException("critical failure needs a source");
        }
        if (error == null || error.isBlank()) {
            throw new IllegalArgumentException("critical failure of " + source + " needs an error text");
        }
        if (attempts < 0 || deadLetterId < 0) {
            throw new IllegalArgumentException("critical failure of " + source + ": attempts (" + attempts
                    + ") and dead-letter id (" + deadLetterId + ") must be >= 0");
        }
        if ((failedEventId == null) != (failedEventType == null)) {
            throw new IllegalArgumentException("critical failure of " + source
                    + ": failed event id and type go together");
        }
        Objects.requireNonNull(source);
    }

    @Override
    public EventKind kind() {
        return KIND;
    }

    @Override
    public String aggregateId() {
        return "failure/" + source;
    }
}
