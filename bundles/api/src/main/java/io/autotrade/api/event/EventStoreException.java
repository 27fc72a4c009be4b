package io.autotrade.api.event;

/** The event store could not read or write; the message names the database file and the operation. */
public class EventStoreException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** @param message what failed, naming the file */
    public EventStoreException(String message) {
        super(message);
    }

    /**
     * @param message what failed, naming the file
     * @param cause   the underlying failure
     */
    public EventStoreException(String message, Throwable cause) {
        super(message, cause);
    }
}
