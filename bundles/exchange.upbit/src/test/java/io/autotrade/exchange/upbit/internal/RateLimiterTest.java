package io.autotrade.exchange.upbit.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RateLimiterTest {
    /** A clock that moves only when the limiter sleeps. */
    private static final class FakeClock implements RateLimiter.Clock {
        Instant now = Instant.parse("2026-01-01T00:00:00Z");

        @Override
        public Instant now() {
            return now;
        }

        @Override
        public void sleep(Duration d) {
            now = now.plus(d);
        }
    }

    private final FakeClock clock = new FakeClock();
    private final List<String> blocks = new ArrayList<>();
    private final RateLimiter limiter = new RateLimiter(Map.of(), clock, blocks::add);

    /** @return the most requests seen in any window of the given length */
    private static int busiest(List<Instant> sent, Duration window) {
        int most = 0;
        for (int i = 0; i < sent.size(); i++) {
            int n = 0;
            for (Instant t : sent) {
                if (!t.isBefore(sent.get(i)) && t.isBefore(sent.get(i).plus(window))) {
                    n++;
                }
            }
            most = Math.max(most, n);
        }
        return most;
    }

    @Test
    void aBurstOfOrdersNeverExceedsTwelveInAnySecond() throws InterruptedException {
        List<Instant> sent = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            limiter.acquire(RateGroup.ORDER);
            sent.add(clock.now());
        }
        assertEquals(12, busiest(sent, Duration.ofSeconds(1)), "Upbit's order group since 2026-08-21");
        assertTrue(Duration.between(sent.get(0), sent.get(99)).toMillis() >= 8_000, "100 orders take at least 8 more windows");
    }

    @Test
    void usageSaysWhatEachGroupHasLeftAndUntilWhenItIsClosed() throws InterruptedException {
        for (int i = 0; i < 9; i++) {
            limiter.acquire(RateGroup.ORDER);
        }
        var order = limiter.usage().stream().filter(u -> u.group().equals("order")).findFirst().orElseThrow();
        assertEquals(9, order.used());
        assertEquals(12, order.permits());
        assertEquals(Duration.ofSeconds(1), order.window());
        assertEquals(0.25, order.headroom(), 1e-9);
        assertEquals(null, order.blockedUntil());
        limiter.replied(RateGroup.ORDER, 418, null, "30", "{}");
        order = limiter.usage().stream().filter(u -> u.group().equals("order")).findFirst().orElseThrow();
        assertEquals(clock.now().plusSeconds(30), order.blockedUntil(), "a 418 closes the group until Retry-After");
        assertEquals(0, order.headroom());
        clock.now = clock.now.plusSeconds(31);
        order = limiter.usage().stream().filter(u -> u.group().equals("order")).findFirst().orElseThrow();
        assertEquals(0, order.used(), "the window has passed");
        assertEquals(null, order.blockedUntil());
    }

    @Test
    void groupsAreCountedApartAndCancelAllIsOncePerTwoSeconds() throws InterruptedException {
        for (int i = 0; i < 8; i++) {
            limiter.acquire(RateGroup.ORDER);
        }
        Instant start = clock.now();
        limiter.acquire(RateGroup.DEFAULT);
        limiter.acquire(RateGroup.CANDLE);
        assertEquals(start, clock.now(), "other groups do not wait for the order group");
        limiter.acquire(RateGroup.ORDER_CANCEL_ALL);
        limiter.acquire(RateGroup.ORDER_CANCEL_ALL);
        assertTrue(Duration.between(start, clock.now()).toMillis() >= 2000);
    }

    @Test
    void remainingReqWithNoSecondLeftClosesThatGroupUntilTheNextSecond() throws InterruptedException {
        Instant start = clock.now();
        limiter.replied(RateGroup.DEFAULT, 200, "group=default; min=1799; sec=0", null, null);
        limiter.acquire(RateGroup.ORDER);
        assertEquals(start, clock.now());
        limiter.acquire(RateGroup.DEFAULT);
        assertEquals(start.plusSeconds(1), clock.now());
    }

    @Test
    void a429BacksOffLongerEachTimeAndASuccessResetsIt() throws InterruptedException {
        Instant t0 = clock.now();
        limiter.replied(RateGroup.ORDER, 429, null, null, null);
        limiter.acquire(RateGroup.ORDER);
        Duration first = Duration.between(t0, clock.now());
        Instant t1 = clock.now();
        limiter.replied(RateGroup.ORDER, 429, null, null, null);
        limiter.acquire(RateGroup.ORDER);
        Duration second = Duration.between(t1, clock.now());
        assertEquals(Duration.ofMillis(250), first);
        assertEquals(Duration.ofMillis(500), second);
        limiter.replied(RateGroup.ORDER, 201, null, null, null);
        Instant t2 = clock.now();
        limiter.replied(RateGroup.ORDER, 429, null, null, null);
        limiter.acquire(RateGroup.ORDER);
        assertEquals(Duration.ofMillis(250), Duration.between(t2, clock.now()));
    }

    @Test
    void a418BlocksEveryGroupUntilTheBlockEndsAndSaysSoTwice() throws InterruptedException {
        Instant t0 = clock.now();
        limiter.replied(RateGroup.ORDER, 418, "group=order; min=0; sec=0", null,
                "{\"error\":{\"name\":\"blocked\",\"message\":\"blocked for 30 seconds\"}}");
        assertEquals(1, blocks.size());
        assertTrue(blocks.get(0).startsWith("Upbit blocked this client (HTTP 418) until 2026-01-01T00:00:30Z"), blocks.get(0));
        assertEquals(t0.plusSeconds(30), limiter.blockedUntil().orElseThrow());
        limiter.acquire(RateGroup.TICKER);
        assertEquals(t0.plusSeconds(30), clock.now());
        assertEquals(2, blocks.size());
        assertEquals(null, blocks.get(1), "the end of the block is reported");
        assertEquals(Duration.ofSeconds(120), RateLimiter.blockTime("120", null), "Retry-After first");
        assertEquals(Duration.ofSeconds(60), RateLimiter.blockTime(null, "no time given"));
    }
}
