package io.autotrade.web.api.internal;

/** Paths of the API. */
final class Api {
    /** Every resource of version 1 is under this path. */
    static final String BASE = "/api/v1";

    private Api() {
    }
}
