package io.autotrade.api.exchange;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * An exchange's connection and request budget as of now, for health checks and metrics.
 *
 * @param connected  whether orders, fills and balances can flow now
 * @param connection one sentence on how, e.g. {@code private WebSocket up} or {@code in-process simulation}
 * @param rateLimits each request group's budget (Upbit API, "요청 수 제한" / rate limits); empty when the exchange
 *                   has none
 */
public record ExchangeStatus(boolean connected, String connection, List<RateLimitUsage> rateLimits) {

    /** @throws NullPointerException if a field is null */
    public ExchangeStatus {
        Objects.requireNonNull(connection, "connection");
        rateLimits = List.copyOf(rateLimits);
    }

    /**
     * One request group's budget.
     *
     * @param group        the exchange's name of the group, e.g. Upbit's {@code order}
     * @param used         requests sent in the current window
     * @param permits      requests allowed per window
     * @param window       the window's length
     * @param blockedUntil until when the exchange refuses this group (a 429 backoff or a 418 block), or null
     */
    public record RateLimitUsage(String group, int used, int permits, Duration window, Instant blockedUntil) {
        /** @return the share of the window's budget left, 0..1 (0 while blocked) */
        public double headroom() {
            return blockedUntil != null ? 0 : Math.max(0, permits - used) / (double) permits;
        }
    }
}
