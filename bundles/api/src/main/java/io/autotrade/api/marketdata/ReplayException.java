package io.autotrade.api.marketdata;

/** A replay could not finish; the message names the candle it stopped at. */
public class ReplayException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /**
     * @param message what happened
     * @param cause   the underlying failure
     */
    public ReplayException(String message, Throwable cause) {
        super(message, cause);
    }
}
