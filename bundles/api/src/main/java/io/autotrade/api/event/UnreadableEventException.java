package io.autotrade.api.event;

import java.util.UUID;

/**
 * A stored event cannot be decoded any more: its type is unknown to this runtime, or its payload or
 * envelope is malformed (a damaged row, or one written by an incompatible version). The row itself is
 * left as it is in the store. The message names the database file, the row's journal sequence, its
 * type and what was wrong.
 */
public class UnreadableEventException extends EventStoreException {
    private static final long serialVersionUID = 1L;

    private final long sequence;
    private final UUID eventId;
    private final String type;

    /**
     * @param message  what was wrong, naming the file and the row
     * @param cause    the decoding failure, or null
     * @param sequence the row's journal sequence, or 0 when it is not from the journal
     * @param eventId  the row's event id, or null when that column is itself unreadable
     * @param type     the row's event type as stored, or null when the event id is unreadable (the two go together)
     */
    public UnreadableEventException(String message, Throwable cause, long sequence, UUID eventId, String type) {
        super(message, cause);
        this.sequence = sequence;
        this.eventId = eventId;
        this.type = eventId == null ? null : type;
    }

    /** @return the row's journal sequence, or 0 when it is not from the journal */
    public long sequence() {
        return sequence;
    }

    /** @return the event id, or null when it is unreadable */
    public UUID eventId() {
        return eventId;
    }

    /** @return the stored event type, or null when the event id is unreadable */
    public String type() {
        return type;
    }
}
