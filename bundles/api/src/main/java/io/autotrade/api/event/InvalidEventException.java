package io.autotrade.api.event;

/** A domain event or payload failed validation; the message names the field and the value. */
public class InvalidEventException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    /** @param message what was wrong, naming the field */
    public InvalidEventException(String message) {
        super(message);
    }
}
