package io.autotrade.exchange.upbit.internal;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.EnumMap;
import java.util.Map;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The runtime's one Upbit rate limiter: a sliding window per {@link RateGroup} (at most
 * {@code permits} requests in any {@code window}, the window lengthened by {@link #MARGIN}), shared by every thread and every bundle that calls
 * Upbit through this adapter's client. It also obeys what Upbit says:
 * <ul>
 *   <li>{@code Remaining-Req: group=order; min=...; sec=0} closes the group until the next second;</li>
 *   <li>a 429 (too many requests) closes the group for a backoff that doubles with each 429 in a row
 *       (from 250 ms, at most 8 s) and resets on the next success;</li>
 *   <li>a 418 (blocked) closes every group until the block ends ({@code Retry-After}, else the seconds
 *       named in the reply, else 60 s) and reports it, so trading can be HALTED with the reason.</li>
 * </ul>
 * Times come from an injectable clock, so tests need no sleeping.
 */
final class RateLimiter {
    /** A clock and a way to wait, replaceable in tests. */
    interface Clock {
        Instant now();

        void sleep(Duration d) throws InterruptedException;
    }

    static final Clock SYSTEM = new Clock() {
        @Override
        public Instant now() {
            return Instant.now();
        }

        @Override
        public void sleep(Duration d) throws InterruptedException {
            Thread.sleep(Math.max(1, d.toMillis()));
        }
    };

    /** How the report of a 418 block begins: {@code Upbit blocked this client (HTTP 418) until <time>}. */
    static final String BLOCKED = "Upbit blocked this client (HTTP 418)";
    private static final Pattern REMAINING = Pattern.compile("group=([\\w-]+);\\s*min=(\\d+);\\s*sec=(\\d+)");
    private static final Pattern SECONDS = Pattern.compile("(\\d+)\\s*(?:s\\b|sec|second|초)");
    /** Added to each window: a request sent at the window's edge may reach Upbit a little later than the one before it. */
    static final Duration MARGIN = Duration.ofMillis(50);
    private static final Duration FIRST_BACKOFF = Duration.ofMillis(250);
    private static final Duration MAX_BACKOFF = Duration.ofSeconds(8);
    private static final Duration DEFAULT_BLOCK = Duration.ofSeconds(60);

    private final class Window {
        final int permits;
        final Duration length;
        final ArrayDeque<Instant> calls = new ArrayDeque<>();
        Instant closedUntil = Instant.MIN;
        Duration backoff = Duration.ZERO;

        Window(int permits, Duration length) {
            this.permits = permits;
            this.length = length;
        }
    }

    private final Map<RateGroup, Window> windows = new EnumMap<>(RateGroup.class);
    private final Clock clock;
    private final Consumer<String> onBlocked;
    private Instant blockedUntil = Instant.MIN;

    /**
     * @param permits   requests allowed per group's window (Upbit's defaults for the groups not given)
     * @param clock     the time
     * @param onBlocked told the reason when Upbit blocks (418), and {@code null} when the block has ended
     */
    RateLimiter(Map<RateGroup, Integer> permits, Clock clock, Consumer<String> onBlocked) {
        for (RateGroup g : RateGroup.values()) {
            int n = permits.getOrDefault(g, g.permits);
            if (n < 1) {
                throw new IllegalArgumentException("rate limit of Upbit group " + g.upbitName() + " must be at least 1, was " + n);
            }
            windows.put(g, new Window(n, g.window.plus(MARGIN)));
        }
        this.clock = clock;
        this.onBlocked = onBlocked;
    }

    /**
     * Waits until a request of the group may go, and counts it.
     *
     * @throws InterruptedException if interrupted while waiting
     */
    void acquire(RateGroup group) throws InterruptedException {
        Window w = windows.get(group);
        while (true) {
            Duration wait;
            boolean blockEnded = false;
            synchronized (this) {
                Instant now = clock.now();
                blockEnded = endBlock(now);
                while (!w.calls.isEmpty() && !w.calls.peekFirst().plus(w.length).isAfter(now)) {
                    w.calls.pollFirst();
                }
                Instant next = max(blockedUntil, w.closedUntil);
                if (w.calls.size() >= w.permits) {
                    next = max(next, w.calls.peekFirst().plus(w.length));
                }
                if (!next.isAfter(now)) {
                    w.calls.addLast(now);
                    wait = Duration.ZERO;
                } else {
                    wait = Duration.between(now, next);
                }
            }
            if (blockEnded) {
                onBlocked.accept(null); // outside the lock: the listener may lift a halt, which publishes
            }
            if (wait.isZero()) {
                return;
            }
            clock.sleep(wait);
        }
    }

    /** @return whether a block was on and has ended by {@code now} (it is then cleared) */
    private boolean endBlock(Instant now) {
        if (!blockedUntil.equals(Instant.MIN) && !now.isBefore(blockedUntil)) {
            blockedUntil = Instant.MIN;
            return true;
        }
        return false;
    }

    /**
     * Ends a block whose time has passed, telling the listener, even when no request comes to notice it (the
     * private stream can leave the client idle). The adapter calls it on its poll timer.
     */
    void endBlockIfOver() {
        boolean ended;
        synchronized (this) {
            ended = endBlock(clock.now());
        }
        if (ended) {
            onBlocked.accept(null); // outside the lock: the listener may lift a halt, which publishes
        }
    }

    /**
     * @return each group's budget now: requests in its current window, its permits and window, and until when it is
     *         closed (a 418 block, a 429 backoff or an exhausted {@code Remaining-Req}), if it is
     */
    synchronized java.util.List<io.autotrade.api.exchange.ExchangeStatus.RateLimitUsage> usage() {
        Instant now = clock.now();
        java.util.List<io.autotrade.api.exchange.ExchangeStatus.RateLimitUsage> out = new java.util.ArrayList<>();
        for (Map.Entry<RateGroup, Window> e : windows.entrySet()) {
            Window w = e.getValue();
            long used = w.calls.stream().filter(t -> t.plus(w.length).isAfter(now)).count();
            Instant closed = max(blockedUntil, w.closedUntil);
            out.add(new io.autotrade.api.exchange.ExchangeStatus.RateLimitUsage(e.getKey().upbitName(), (int) used, w.permits,
                    w.length.minus(MARGIN), closed.isAfter(now) ? closed : null));
        }
        return out;
    }

    /** @return the time until which Upbit blocks this client, or empty */
    synchronized java.util.Optional<Instant> blockedUntil() {
        return blockedUntil.equals(Instant.MIN) || !blockedUntil.isAfter(clock.now()) ? java.util.Optional.empty()
                : java.util.Optional.of(blockedUntil);
    }

    /**
     * A reply came: applies its {@code Remaining-Req} header and its status.
     *
     * @param group      the request's group
     * @param status     the HTTP status
     * @param remaining  the {@code Remaining-Req} header, or null
     * @param retryAfter the {@code Retry-After} header, or null
     * @param body       the reply's body (for a 418's block time), or null
     */
    void replied(RateGroup group, int status, String remaining, String retryAfter, String body) {
        String blockReport;
        synchronized (this) {
            blockReport = apply(group, status, remaining, retryAfter, body);
        }
        if (blockReport != null) {
            onBlocked.accept(blockReport); // outside the lock: the listener halts trading, which publishes
        }
    }

    /** @return the report of a new 418 block, or null */
    private String apply(RateGroup group, int status, String remaining, String retryAfter, String body) {
        String blockReport = null;
        Instant now = clock.now();
        if (remaining != null) {
            Matcher m = REMAINING.matcher(remaining);
            if (m.find() && Integer.parseInt(m.group(3)) == 0) {
                Window w = windows.get(RateGroup.of(m.group(1)));
                w.closedUntil = max(w.closedUntil, now.plusSeconds(1));
            }
        }
        Window w = windows.get(group);
        if (status == 429) {
            w.backoff = w.backoff.isZero() ? FIRST_BACKOFF : min(w.backoff.multipliedBy(2), MAX_BACKOFF);
            w.closedUntil = max(w.closedUntil, now.plus(w.backoff));
        } else if (status == 418) {
            Duration block = blockTime(retryAfter, body);
            blockedUntil = max(blockedUntil, now.plus(block));
            blockReport = BLOCKED + " until " + blockedUntil;
        } else if (status < 400) {
            w.backoff = Duration.ZERO;
        }
        return blockReport;
    }

    static Duration blockTime(String retryAfter, String body) {
        if (retryAfter != null && retryAfter.strip().matches("\\d+")) {
            return Duration.ofSeconds(Long.parseLong(retryAfter.strip()));
        }
        if (body != null) {
            Matcher m = SECONDS.matcher(body);
            if (m.find()) {
                return Duration.ofSeconds(Long.parseLong(m.group(1)));
            }
        }
        return DEFAULT_BLOCK;
    }

    private static Instant max(Instant a, Instant b) {
        return a.isAfter(b) ? a : b;
    }

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) < 0 ? a : b;
    }
}
