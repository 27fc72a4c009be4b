package io.autotrade.exchange.upbit.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.autotrade.api.exchange.ExchangeException;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;

/**
 * Upbit's REST API over the runtime's one {@link HttpClient}, every request through the one
 * {@link RateLimiter}. Private requests carry a signed JWT ({@link UpbitAuth}); GET and DELETE send
 * their parameters in the URL, POST as a JSON body (Upbit API docs, "REST API guide"). A 429 is tried
 * again after the limiter's backoff (at most {@value #TRIES_ON_429} times: Upbit refused it before
 * acting on it); any other error is an {@link UpbitApiException} with Upbit's error name.
 */
final class UpbitClient {
    /** How often a request refused with 429 is sent in all. */
    static final int TRIES_ON_429 = 5;

    /** No answer came (timeout, connection lost): a POST may or may not have reached Upbit. */
    static final class NoAnswerException extends ExchangeException {
        private static final long serialVersionUID = 1L;

        NoAnswerException(String message, Throwable cause) {
            super(message, cause);
        }
    }

    private final HttpClient http;
    private final String base;
    private final UpbitAuth auth;
    private final RateLimiter limiter;
    private final Duration timeout;

    /**
     * @param http    the shared client
     * @param base    the REST base URL, e.g. {@code https://api.upbit.com/v1}
     * @param auth    signs private requests, or null when no keys are configured (public requests only)
     * @param limiter the runtime's limiter
     * @param timeout how long one request may take before it counts as unanswered
     */
    UpbitClient(HttpClient http, String base, UpbitAuth auth, RateLimiter limiter, Duration timeout) {
        this.http = http;
        this.base = base.endsWith("/") ? base.substring(0, base.length() - 1) : base;
        this.auth = auth;
        this.limiter = limiter;
        this.timeout = timeout;
    }

    /** A public (quotation) GET. */
    JsonNode publicGet(String path, Query query) {
        return send("GET", path, query, false);
    }

    /** A signed GET. */
    JsonNode get(String path, Query query) {
        return send("GET", path, query, true);
    }

    /** A signed POST with the parameters as a JSON body. */
    JsonNode post(String path, Query query) {
        return send("POST", path, query, true);
    }

    /** A signed DELETE. */
    JsonNode delete(String path, Query query) {
        return send("DELETE", path, query, true);
    }

    /** The last request's outcome: whether Upbit answered (any status below 500), in words, and when. */
    record Contact(boolean reached, String what, java.time.Instant at) {
    }

    private volatile Contact lastContact;

    /** @return the last request's outcome, or null before the first */
    Contact lastContact() {
        return lastContact;
    }

    /** @return the rate limiter every request goes through */
    RateLimiter limiter() {
        return limiter;
    }

    private JsonNode send(String method, String path, Query query, boolean signed) {
        if (signed && auth == null) {
            throw new ExchangeException(method + " " + path + " needs the Upbit API keys (access.key and secret.key, or"
                    + " UPBIT_ACCESS_KEY and UPBIT_SECRET_KEY)");
        }
        RateGroup group = RateGroup.forRequest(method, path);
        for (int attempt = 1;; attempt++) {
            try {
                limiter.acquire(group);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new ExchangeException("interrupted while waiting for Upbit's rate limit (" + group.upbitName() + ")", e);
            }
            HttpResponse<String> reply;
            try {
                reply = exchange(method, path, query, signed);
            } catch (NoAnswerException e) {
                lastContact = new Contact(false, e.getMessage(), java.time.Instant.now());
                throw e;
            }
            int status = reply.statusCode();
            lastContact = new Contact(status < 500, status < 500 ? "Upbit answered " + method + " " + path
                    : "Upbit answered HTTP " + status + " to " + method + " " + path, java.time.Instant.now());
            limiter.replied(group, status, reply.headers().firstValue("Remaining-Req").orElse(null),
                    reply.headers().firstValue("Retry-After").orElse(null), reply.body());
            if (status >= 200 && status < 300) {
                return UpbitJson.parse(reply.body(), method + " " + path);
            }
            if (status == 429 && attempt < TRIES_ON_429) {
                continue;
            }
            String[] error = UpbitJson.error(reply.body());
            String name = error != null ? error[0] : "http_" + status;
            String message = error != null ? error[1] : UpbitJson.abbreviate(reply.body());
            throw new UpbitApiException(status, name, method + " " + path + " refused by Upbit (HTTP " + status + ", " + name
                    + "): " + message);
        }
    }

    private HttpResponse<String> exchange(String method, String path, Query query, boolean signed) {
        boolean inBody = method.equals("POST");
        String url = base + path + (!inBody && !query.isEmpty() ? "?" + query.encoded() : "");
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).timeout(timeout)
                .header("Accept", "application/json");
        if (signed) {
            request.header("Authorization", auth.authorization(query));
        }
        if (inBody) {
            String body;
            try {
                body = UpbitJson.MAPPER.writeValueAsString(query.asMap());
            } catch (JsonProcessingException e) {
                throw new IllegalStateException("cannot write the request body: " + e.getMessage(), e);
            }
            request.header("Content-Type", "application/json; charset=utf-8").POST(HttpRequest.BodyPublishers.ofString(body));
        } else {
            request.method(method, HttpRequest.BodyPublishers.noBody());
        }
        try {
            return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (HttpTimeoutException e) {
            throw new NoAnswerException(method + " " + path + ": no answer from Upbit within " + timeout.toMillis() + " ms", e);
        } catch (IOException e) {
            throw new NoAnswerException(method + " " + path + ": the connection to Upbit failed: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new NoAnswerException(method + " " + path + ": interrupted while waiting for Upbit", e);
        }
    }
}
