package io.autotrade.api.backtest;

/** A backtest could not run or finish; the message says at which step. */
public class BacktestException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** @param message what failed */
    public BacktestException(String message) {
        super(message);
    }

    /**
     * @param message what failed
     * @param cause   the underlying failure
     */
    public BacktestException(String message, Throwable cause) {
        super(message, cause);
    }
}
