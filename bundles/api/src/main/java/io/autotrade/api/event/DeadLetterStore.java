package io.autotrade.api.event;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * Durable storage of dead letters and of the processing log, the record of which handler has
 * handled which event. Implemented by the event store bundle in the same database as the events,
 * so both survive a restart together. All methods are thread-safe.
 */
public interface DeadLetterStore {

    /**
     * @param letter the letter to keep; its id is ignored
     * @return the letter with the id it was stored under
     * @throws EventStoreException if it cannot be written (the caller must not consider it stored)
     */
    DeadLetter add(DeadLetter letter);

    /**
     * @return every letter, oldest (lowest id) first
     * @throws EventStoreException if the store cannot be read or a stored letter cannot be decoded
     */
    List<DeadLetter> list();

    /**
     * @param id a letter id
     * @return the letter, or empty if there is none with that id
     * @throws EventStoreException if the store cannot be read
     */
    Optional<DeadLetter> get(long id);

    /**
     * Records a failed replay: the letter stays, with its attempts and error updated.
     *
     * @param id           the letter
     * @param attempts     the attempts now
     * @param lastError    the replay's error
     * @param stackSummary the replay's stack summary
     * @throws EventStoreException if it cannot be written
     */
    void replayFailed(long id, int attempts, String lastError, String stackSummary);

    /**
     * Removes a letter after its event was handled: in one transaction records (event, handler) in
     * the processing log and deletes the letter, so a later replay of the same pair is refused.
     *
     * @param id        the letter
     * @param handledAt when the handler succeeded
     * @return {@code false} if there was no such letter
     * @throws EventStoreException if it cannot be written
     */
    boolean resolve(long id, Instant handledAt);

    /**
     * Removes a letter without handling it.
     *
     * @param id the letter
     * @return {@code false} if there was no such letter
     * @throws EventStoreException if it cannot be written
     */
    boolean discard(long id);

    /**
     * @param eventId   an event
     * @param handlerId a handler
     * @return {@code true} if the processing log says the handler has handled the event
     * @throws EventStoreException if the store cannot be read
     */
    boolean handled(UUID eventId, String handlerId);
}
