package io.autotrade.exchange.upbit.internal;

import io.autotrade.api.exchange.ExchangeException;

/**
 * Upbit answered with an error: its reply {@code {"error":{"name":..., "message":...}}} (Upbit API
 * docs, "Errors"), e.g. {@code insufficient_funds_bid}, {@code under_min_total_bid},
 * {@code invalid_price_bid}, {@code jwt_verification}, {@code too_many_requests}.
 */
final class UpbitApiException extends ExchangeException {
    private static final long serialVersionUID = 1L;

    private final int status;
    private final String errorName;

    /**
     * @param status    the HTTP status
     * @param errorName Upbit's error name ({@code error.name}), or {@code http_<status>} when the reply had none
     * @param message   Upbit's message, with the request named
     */
    UpbitApiException(int status, String errorName, String message) {
        super(message);
        this.status = status;
        this.errorName = errorName;
    }

    /** @return the HTTP status */
    int status() {
        return status;
    }

    /** @return Upbit's error name, e.g. {@code insufficient_funds_bid} */
    String errorName() {
        return errorName;
    }

    /** @return {@code true} for a refusal of the request itself (4xx other than 418 and 429): sending it again changes nothing */
    boolean refused() {
        return status >= 400 && status < 500 && status != 418 && status != 429;
    }
}
