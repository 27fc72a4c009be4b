package io.autotrade.api.exchange;

/** An exchange could not do what was asked; the message says what and why. */
public class ExchangeException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** @param message what failed */
    public ExchangeException(String message) {
        super(message);
    }

    /**
     * @param message what failed
     * @param cause   the underlying failure
     */
    public ExchangeException(String message, Throwable cause) {
        super(message, cause);
    }
}
