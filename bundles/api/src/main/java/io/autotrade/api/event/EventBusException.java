package io.autotrade.api.event;

/** The bus could not accept an event; the message names the event type and lane. */
public class EventBusException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** @param message what happened, naming event and lane */
    public EventBusException(String message) {
        super(message);
    }

    /**
     * @param message what happened
     * @param cause   the underlying failure
     */
    public EventBusException(String message, Throwable cause) {
        super(message, cause);
    }
}
