package io.autotrade.web.api.internal;

/**
 * A request the API refuses, with the HTTP status and the error code of its JSON body
 * ({@code {"error": code, "message": message}}).
 */
final class ApiException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final int status;
    private final String error;

    /**
     * @param status  HTTP status, e.g. 400
     * @param error   machine-readable code, e.g. {@code bad_request}
     * @param message what was wrong, naming the field or path
     */
    ApiException(int status, String error, String message) {
        super(message);
        this.status = status;
        this.error = error;
    }

    static ApiException badRequest(String message) {
        return new ApiException(400, "bad_request", message);
    }

    static ApiException notFound(String message) {
        return new ApiException(404, "not_found", message);
    }

    static ApiException conflict(String message) {
        return new ApiException(409, "conflict", message);
    }

    static ApiException unavailable(String message) {
        return new ApiException(503, "unavailable", message);
    }

    int status() {
        return status;
    }

    String error() {
        return error;
    }
}
