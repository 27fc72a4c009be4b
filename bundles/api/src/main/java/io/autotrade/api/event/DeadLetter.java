package io.autotrade.api.event;

import java.time.Instant;
import java.util.Objects;

/**
 * An event one handler could not handle after its last retry, kept until it is replayed or discarded.
 * Other handlers of the same event are not affected: a dead letter is always about one
 * (event, handler) pair.
 *
 * @param id             the store's number for it, increasing in the order letters were written; 0 before it is stored
 * @param event          the event, complete
 * @param handlerId      the handler that failed (see {@link EventProperties#HANDLER_ID})
 * @param lane           the lane it was delivered in
 * @param attempts       calls made so far, including failed replays; 0 when the event never reached the
 *                       handler (it was still queued or parked when the bus stopped, or the handler was gone)
 * @param lastError      the last exception's class and message
 * @param stackSummary   the top frames of the last exception's stack and its causes, one per line
 * @param deadLetteredAt when it was given up on (wall clock, UTC)
 */
public record DeadLetter(long id, DomainEvent<?> event, String handlerId, Priority lane, int attempts,
        String lastError, String stackSummary, Instant deadLetteredAt) {

    /** @throws NullPointerException if a reference is missing; IllegalArgumentException if attempts is negative */
    public DeadLetter {
        Objects.requireNonNull(event, "event");
        Objects.requireNonNull(handlerId, "handlerId");
        Objects.requireNonNull(lane, "lane");
        Objects.requireNonNull(lastError, "lastError");
        Objects.requireNonNull(stackSummary, "stackSummary");
        Objects.requireNonNull(deadLetteredAt, "deadLetteredAt");
        if (attempts < 0) {
            throw new IllegalArgumentException("dead letter attempts must be >= 0, was " + attempts);
        }
    }

    /**
     * @param newId the id the store gave it
     * @return this letter with that id
     */
    public DeadLetter withId(long newId) {
        return new DeadLetter(newId, event, handlerId, lane, attempts, lastError, stackSummary, deadLetteredAt);
    }
}
