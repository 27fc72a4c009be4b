package io.autotrade.core.internal;

import static io.autotrade.core.internal.TestBus.handler;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.autotrade.api.event.CriticalFailure;
import io.autotrade.api.event.DeadLetter;
import io.autotrade.api.event.DomainEvent;
import io.autotrade.api.event.EventBusAdmin.ReplayOutcome;
import io.autotrade.api.event.EventBusException;
import io.autotrade.api.event.EventProperties;
import io.autotrade.api.event.LaneStatistics;
import io.autotrade.api.event.Priority;
import io.autotrade.api.trading.ClientOrderId;
import io.autotrade.api.trading.Market;
import io.autotrade.api.trading.OrderRequested;
import io.autotrade.api.trading.OrderSpec;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.osgi.framework.FrameworkUtil;
import org.osgi.service.event.Event;

class LaneBusTest {
    private static final Market BTC = Market.of("KRW-BTC");
    private final TestLogs.Capture log = new TestLogs.Capture();
    private final MemoryDeadLetters deadLetters = new MemoryDeadLetters();
    private LaneBus bus;

    @AfterEach
    void stop() throws InterruptedException {
        if (bus != null) {
            bus.stop();
        }
    }

    /** An order request of order {@code o<order>} whose amount encodes a sequence number. */
    private static DomainEvent<OrderRequested> order(String order, int seq) {
        return DomainEvent.of(new OrderRequested(new ClientOrderId(order), "s",
                OrderSpec.marketBuy(BTC, new BigDecimal(5000 + seq))), Instant.ofEpochMilli(seq));
    }

    private static DomainEvent<OrderRequested> order(int n) {
        return order("o" + n, n);
    }

    private static int seq(Event e) {
        OrderRequested r = (OrderRequested) EventProperties.domainEvent(e).payload();
        return r.order().price().intValue() - 5000;
    }

    private static LaneBus.Settings settings(int capacity, int workers, int attempts, long baseMillis) {
        return new LaneBus.Settings(TestBus.perLane(capacity), TestBus.perLane(workers), 100, 2_000,
                new RetryPolicy(attempts, baseMillis, 2.0, 1_000, 0.5), 10_000, new Routes(Routes.DEFAULTS), 1_000);
    }

    private LaneBus start(LaneBus.Settings settings) {
        bus = new LaneBus(settings, deadLetters, log.logger);
        bus.start();
        return bus;
    }

    @Test
    void deliversInPublishOrderWithEnvelopeProperties() throws Exception {
        List<Event> seen = Collections.synchronizedList(new ArrayList<>());
        start(settings(100, 1, 3, 10)).subscribe(handler("h", "autotrade/order/*", seen::add));
        List<DomainEvent<OrderRequested>> sent = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            sent.add(order(i));
            bus.publish(sent.get(i));
        }
        bus.awaitQuiescence(Duration.ofSeconds(5));
        assertEquals(50, seen.size());
        for (int i = 0; i < 50; i++) {
            Event e = seen.get(i);
            assertEquals(sent.get(i), EventProperties.domainEvent(e));
            assertEquals("autotrade/order/REQUESTED", e.getTopic());
            assertEquals("KRW-BTC", e.getProperty(EventProperties.MARKET));
            assertEquals("s", e.getProperty(EventProperties.STRATEGY_ID));
            assertEquals(Boolean.TRUE, e.getProperty(EventProperties.DURABLE));
            assertEquals(1, e.getProperty(EventProperties.PRIORITY));
            assertEquals(sent.get(i).eventId().toString(), e.getProperty(EventProperties.EVENT_ID));
            assertEquals(Set.of("event.topics", EventProperties.EVENT, EventProperties.EVENT_ID, EventProperties.EVENT_TYPE,
                    EventProperties.EVENT_VERSION, EventProperties.OCCURRED_AT, EventProperties.AGGREGATE_ID,
                    EventProperties.CORRELATION_ID, EventProperties.CAUSATION_ID, EventProperties.PRIORITY,
                    EventProperties.DURABLE, EventProperties.MARKET, EventProperties.STRATEGY_ID),
                    Set.of(e.getPropertyNames()));
            assertEquals(i, e.getProperty(EventProperties.OCCURRED_AT) instanceof Long t ? t.intValue() : -1);
        }
        LaneStatistics trading = bus.statistics().get(0);
        assertEquals(50, trading.published());
        assertEquals(50, trading.delivered());
        assertTrue(trading.latencyP50Nanos() > 0 && trading.latencyP99Nanos() >= trading.latencyP50Nanos());
    }

    /**
     * A driver delivers every event on its own thread, the consequences of one step before its next, and what
     * another thread published meanwhile at its next wait; after the drive the workers deliver again.
     */
    @Test
    void aDriverDeliversEverythingOnItsOwnThreadAndTheWorkersResumeAfterIt() throws Exception {
        List<String> threads = Collections.synchronizedList(new ArrayList<>());
        List<Integer> order = Collections.synchronizedList(new ArrayList<>());
        start(settings(4, 2, 3, 10));
        bus.subscribe(handler("h", "autotrade/order/*", e -> {
            threads.add(Thread.currentThread().getName());
            order.add(seq(e));
            if (seq(e) < 100) {
                bus.publish(order("c" + seq(e), seq(e) + 100)); // a consequence, published by the handler
            }
        }));
        Thread driver = Thread.currentThread();
        bus.drive(() -> {
            try {
                for (int i = 0; i < 20; i++) { // 40 events through lanes of 4: the driver never waits for room
                    bus.publish(order(i));
                    bus.awaitQuiescence(Duration.ofSeconds(5));
                    assertEquals(List.of(i, i + 100), order.subList(2 * i, 2 * i + 2), "the step and its consequence, in order");
                }
                Thread other = new Thread(() -> bus.publish(order(50)));
                other.start();
                other.join();
                assertEquals(40, order.size(), "another thread's event waits for the driver");
                bus.awaitQuiescence(Duration.ofSeconds(5));
                assertEquals(42, order.size());
            } catch (Exception e) {
                throw new AssertionError(e);
            }
        });
        assertTrue(threads.stream().allMatch(driver.getName()::equals), "every delivery on the driver: " + Set.copyOf(threads));
        bus.publish(order(60));
        bus.awaitQuiescence(Duration.ofSeconds(5));
        assertTrue(threads.get(threads.size() - 1).startsWith("autotrade-bus-CRITICAL_TRADING"), "the workers deliver again");
        assertEquals(44, order.size());
    }

    @Test
    void topicsAndFiltersChooseTheHandlers() throws Exception {
        List<String> seen = Collections.synchronizedList(new ArrayList<>());
        start(settings(100, 1, 3, 10));
        bus.subscribe(handler("exact", "autotrade/order/REQUESTED", e -> seen.add("exact")));
        bus.subscribe(handler("other", "autotrade/order/FILLED", e -> seen.add("other")));
        bus.subscribe(new Subscription("eth-only", new String[] {"*"}, FrameworkUtil.createFilter("(market=KRW-ETH)"),
                () -> e -> seen.add("eth-only")));
        bus.subscribe(new Subscription("btc-only", new String[] {"autotrade/*"},
                FrameworkUtil.createFilter("(market=KRW-BTC)"), () -> e -> seen.add("btc-only")));
        bus.publish(order(1));
        bus.awaitQuiescence(Duration.ofSeconds(5));
        assertEquals(Set.of("exact", "btc-only"), Set.copyOf(seen));
        assertEquals(2, seen.size());
    }

    @Test
    void quiescenceWaitsForEventsPublishedByHandlers() throws Exception {
        List<Integer> seen = Collections.synchronizedList(new ArrayList<>());
        start(settings(100, 1, 3, 10)).subscribe(handler("chain", "autotrade/order/REQUESTED", e -> {
            int n = seq(e);
            seen.add(n);
            sleep(5);
            if (n < 5) {
                bus.publish(order(n + 1));
            }
        }));
        bus.publish(order(0));
        bus.awaitQuiescence(Duration.ofSeconds(5));
        assertEquals(List.of(0, 1, 2, 3, 4, 5), seen);
    }

    @Test
    void aLoggingFloodDoesNotDelayATradingEvent() throws Exception {
        int flood = 100_000;
        AtomicLong logsHandled = new AtomicLong();
        AtomicLong logsHandledWhenTradingSeen = new AtomicLong(-1);
        CountDownLatch firstLog = new CountDownLatch(1);
        start(settings(flood, 1, 3, 10));
        bus.subscribe(handler("slow-log", "autotrade/log/*", e -> {
            firstLog.countDown();
            if (logsHandledWhenTradingSeen.get() < 0) {
                sleep(1); // slow while the trading event has not been seen; then drains quickly
            }
            logsHandled.incrementAndGet();
        }));
        bus.subscribe(handler("trader", "autotrade/order/*", e -> logsHandledWhenTradingSeen.set(logsHandled.get())));
        for (int i = 0; i < flood; i++) {
            bus.publish(DomainEvent.of(new LogLine("src" + (i % 7), "line " + i), Instant.ofEpochMilli(i)));
        }
        assertTrue(firstLog.await(5, TimeUnit.SECONDS));
        bus.publish(order(1));
        bus.awaitQuiescence(Duration.ofSeconds(60));
        assertEquals(flood, logsHandled.get());
        assertTrue(logsHandledWhenTradingSeen.get() >= 0, "the trading event was delivered");
        assertTrue(logsHandledWhenTradingSeen.get() < flood / 2,
                "the trading event came before the flood drained: " + logsHandledWhenTradingSeen.get() + " of " + flood);
        assertEquals(flood, bus.statistics().get(Priority.LOW_LOGGING.ordinal()).delivered());
    }

    @Test
    void perAggregateOrderHoldsWithSeveralWorkers() throws Exception {
        int aggregates = 16;
        int perAggregate = 500;
        Map<String, List<Integer>> seen = new ConcurrentHashMap<>();
        Set<String> threads = ConcurrentHashMap.newKeySet();
        start(settings(aggregates * perAggregate, 4, 3, 10)).subscribe(handler("h", "autotrade/order/*", e -> {
            threads.add(Thread.currentThread().getName());
            String aggregate = (String) e.getProperty(EventProperties.AGGREGATE_ID);
            seen.computeIfAbsent(aggregate, k -> Collections.synchronizedList(new ArrayList<>())).add(seq(e));
            if (seq(e) % 97 == 0) {
                Thread.yield();
            }
        }));
        for (int i = 0; i < perAggregate; i++) {
            for (int a = 0; a < aggregates; a++) {
                bus.publish(order("agg" + a, i));
            }
        }
        bus.awaitQuiescence(Duration.ofSeconds(30));
        assertEquals(aggregates, seen.size());
        for (Map.Entry<String, List<Integer>> e : seen.entrySet()) {
            List<Integer> expected = new ArrayList<>();
            for (int i = 0; i < perAggregate; i++) {
                expected.add(i);
            }
            assertEquals(expected, e.getValue(), "order of " + e.getKey());
        }
        assertTrue(threads.size() > 1, "several workers delivered: " + threads);
    }

    @Test
    void aFullLowLaneRejectsAtOnceWithAnExceptionAndACount() {
        CountDownLatch release = new CountDownLatch(1);
        start(settings(2, 1, 3, 10)).subscribe(handler("blocked", "autotrade/order/*", e -> await(release)));
        EventBusException error = assertThrows(EventBusException.class, () -> {
            for (int i = 0; i < 10; i++) {
                bus.publish(order(i).withPriority(Priority.LOWEST_CLEANUP));
            }
        });
        assertTrue(error.getMessage().contains("LOWEST_CLEANUP is full"), error.getMessage());
        assertEquals(1, bus.statistics().get(Priority.LOWEST_CLEANUP.ordinal()).rejected());
        assertTrue(log.any("error", "LOWEST_CLEANUP is full"));
        release.countDown();
    }

    @Test
    void aFullTradingLaneMakesThePublisherWaitThenThrow() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        start(settings(2, 1, 3, 10)).subscribe(handler("blocked", "autotrade/order/*", e -> await(release)));
        EventBusException error = assertThrows(EventBusException.class, () -> {
            for (int i = 0; i < 10; i++) {
                bus.publish(order(i));
            }
        });
        assertTrue(error.getMessage().contains("after waiting 100 ms"), error.getMessage());
        LaneStatistics trading = bus.statistics().get(0);
        assertEquals(1, trading.rejected());
        assertEquals(2, trading.highWaterMark());
        release.countDown();
        bus.awaitQuiescence(Duration.ofSeconds(5));
        assertEquals(trading.published(), bus.statistics().get(0).delivered());
    }

    @Test
    void aHandlerThatFailsTwiceIsCalledThreeTimesAndNotDeadLettered() throws Exception {
        AtomicInteger calls = new AtomicInteger();
        start(settings(100, 1, 3, 5)).subscribe(handler("flaky", "autotrade/order/*", e -> {
            if (calls.incrementAndGet() <= 2) {
                throw new IllegalStateException("flaky " + calls.get());
            }
        }));
        bus.publish(order(1));
        bus.awaitQuiescence(Duration.ofSeconds(5));
        assertEquals(3, calls.get());
        assertEquals(List.of(), deadLetters.list());
        LaneStatistics trading = bus.statistics().get(0);
        assertEquals(2, trading.retried());
        assertEquals(0, trading.deadLettered());
        assertEquals(1, trading.delivered());
    }

    @Test
    void aHandlerThatAlwaysFailsEndsInTheDeadLetterStoreAndReleasesItsAggregate() throws Exception {
        AtomicInteger calls = new AtomicInteger();
        AtomicInteger fixed = new AtomicInteger();
        List<Integer> handled = Collections.synchronizedList(new ArrayList<>());
        List<DomainEvent<?>> failures = Collections.synchronizedList(new ArrayList<>());
        start(settings(100, 1, 3, 5));
        bus.subscribe(handler("broken", "autotrade/order/*", e -> {
            if (seq(e) == 1 && fixed.get() == 0) {
                calls.incrementAndGet();
                throw new IllegalArgumentException("cannot handle order 1");
            }
            handled.add(seq(e));
        }));
        bus.subscribe(handler("alarm", "autotrade/system/*", e -> failures.add(EventProperties.domainEvent(e))));
        DomainEvent<OrderRequested> first = order("same", 1);
        bus.publish(first);
        bus.publish(order("same", 2));
        bus.awaitQuiescence(Duration.ofSeconds(5));

        assertEquals(3, calls.get());
        assertEquals(List.of(2), handled, "the aggregate was released after the dead letter");
        List<DeadLetter> letters = bus.deadLetters();
        assertEquals(1, letters.size());
        DeadLetter letter = letters.get(0);
        assertEquals(first, letter.event());
        assertEquals("broken", letter.handlerId());
        assertEquals(3, letter.attempts());
        assertEquals(Priority.CRITICAL_TRADING, letter.lane());
        assertEquals("java.lang.IllegalArgumentException: cannot handle order 1", letter.lastError());
        assertTrue(letter.stackSummary().contains("at io.autotrade.core.internal.LaneBusTest"), letter.stackSummary());
        assertEquals(1, failures.size());
        CriticalFailure failure = (CriticalFailure) failures.get(0).payload();
        assertEquals(new CriticalFailure("broken", first.eventId(), "order.requested", 3,
                "java.lang.IllegalArgumentException: cannot handle order 1", letter.id()), failure);
        assertEquals(first.eventId(), failures.get(0).causationId());
        assertEquals(1, bus.statistics().get(0).deadLettered());

        fixed.set(1);
        assertEquals(ReplayOutcome.DELIVERED, bus.replay(letter.id()));
        assertEquals(List.of(2, 1), handled);
        assertEquals(List.of(), bus.deadLetters());
        assertEquals(ReplayOutcome.NOT_FOUND, bus.replay(letter.id()));
        assertEquals(List.of(2, 1), handled, "a replay never runs a handler twice");
    }

    @Test
    void aReplayOfAnEventTheHandlerAlreadyHandledDoesNotCallIt() throws Exception {
        AtomicInteger calls = new AtomicInteger();
        start(settings(100, 1, 1, 5)).subscribe(handler("h", "autotrade/order/*", e -> {
            calls.incrementAndGet();
            throw new IllegalStateException("down");
        }));
        DomainEvent<OrderRequested> event = order(1);
        bus.publish(event);
        bus.awaitQuiescence(Duration.ofSeconds(5));
        assertEquals(1, calls.get());
        long id = bus.deadLetters().get(0).id();
        assertEquals(ReplayOutcome.FAILED, bus.replay(id));
        assertEquals(2, calls.get());
        assertEquals(2, bus.deadLetters().get(0).attempts());
        deadLetters.processed.add(event.eventId() + "/h");
        assertEquals(ReplayOutcome.ALREADY_HANDLED, bus.replay(id));
        assertEquals(2, calls.get());
        assertEquals(List.of(), bus.deadLetters());
    }

    @Test
    void aReplayForAnAbsentHandlerKeepsTheLetter() throws Exception {
        Subscription h = handler("gone", "autotrade/order/*", e -> {
            throw new IllegalStateException("down");
        });
        start(settings(100, 1, 1, 5)).subscribe(h);
        bus.publish(order(1));
        bus.awaitQuiescence(Duration.ofSeconds(5));
        bus.unsubscribe(h);
        long id = bus.deadLetters().get(0).id();
        assertEquals(ReplayOutcome.HANDLER_ABSENT, bus.replay(id));
        assertEquals(1, bus.deadLetters().size());
        assertTrue(bus.discard(id));
        assertFalse(bus.discard(id));
    }

    @Test
    void aRetryWaitsWithoutBlockingOtherAggregatesOrOtherHandlers() throws Exception {
        List<String> slow = Collections.synchronizedList(new ArrayList<>());
        List<String> other = Collections.synchronizedList(new ArrayList<>());
        AtomicInteger failuresLeft = new AtomicInteger(1);
        start(settings(100, 1, 3, 300));
        bus.subscribe(handler("retrying", "autotrade/order/*", e -> {
            String name = e.getProperty(EventProperties.AGGREGATE_ID) + ":" + seq(e);
            if (name.equals("A:1") && failuresLeft.getAndDecrement() > 0) {
                slow.add(name + "!");
                throw new IllegalStateException("first call of A:1 fails");
            }
            slow.add(name);
        }));
        bus.subscribe(handler("other", "autotrade/order/*",
                e -> other.add(e.getProperty(EventProperties.AGGREGATE_ID) + ":" + seq(e))));
        bus.publish(order("A", 1));
        bus.publish(order("B", 1));
        bus.publish(order("A", 2));
        bus.publish(order("B", 2));
        bus.awaitQuiescence(Duration.ofSeconds(5));
        assertEquals(List.of("A:1!", "B:1", "B:2", "A:1", "A:2"), slow);
        assertEquals(List.of("A:1", "B:1", "A:2", "B:2"), other);
    }

    @Test
    void theWatchdogReportsASlowHandlerWithHandlerAndEvent() throws Exception {
        LaneBus.Settings base = settings(100, 1, 3, 5);
        start(new LaneBus.Settings(base.capacity(), base.workers(), 100, 2_000, base.retry(), 20, base.routes(), 1_000));
        bus.subscribe(handler("sluggish", "autotrade/order/*", e -> sleep(200)));
        DomainEvent<OrderRequested> event = order(1);
        bus.publish(event);
        bus.awaitQuiescence(Duration.ofSeconds(5));
        assertTrue(log.any("warn", "slow handler sluggish"), log.lines.toString());
        assertTrue(log.any("warn", event.eventId().toString()), log.lines.toString());
        assertEquals(1, bus.statistics().get(0).slowCalls(), "reported once per call");
    }

    @Test
    void stoppingDeadLettersWhatIsLeftAndEndsEveryThread() throws Exception {
        for (int round = 0; round < 20; round++) {
            CountDownLatch release = new CountDownLatch(1);
            LaneBus.Settings base = settings(100, 2, 3, 5_000);
            LaneBus b = new LaneBus(new LaneBus.Settings(base.capacity(), base.workers(), 100, 50, base.retry(), 10_000,
                    base.routes(), 1_000), deadLetters, log.logger);
            b.start();
            b.subscribe(handler("h", "autotrade/order/REQUESTED", e -> {
                if ("y".equals(e.getProperty(EventProperties.AGGREGATE_ID))) {
                    throw new IllegalStateException("y fails");
                }
                await(release);
            }));
            b.publish(order("y", 1)); // fails, waits 2.5-5 s for its retry
            b.publish(order("x", 1)); // blocks its worker past the drain timeout
            b.publish(order("x", 2)); // still queued when the bus stops
            b.stop();
            release.countDown();
            assertEquals(0, busThreads(), "round " + round);
        }
        List<DeadLetter> letters = deadLetters.list();
        assertEquals(40, letters.size());
        assertTrue(letters.stream().allMatch(l -> l.lastError().contains("the event bus stopped") && l.handlerId().equals("h")));
        assertEquals(20, letters.stream().filter(l -> l.event().aggregateId().equals("y") && l.attempts() == 1).count());
        assertEquals(20, letters.stream().filter(l -> l.event().aggregateId().equals("x") && l.attempts() == 0).count());
    }

    @Test
    void awaitingQuiescenceFromALaneWorkerIsRefused() throws Exception {
        List<Throwable> errors = Collections.synchronizedList(new ArrayList<>());
        start(settings(10, 1, 3, 5)).subscribe(handler("h", "autotrade/order/*", e -> {
            try {
                bus.awaitQuiescence(Duration.ofMillis(10));
            } catch (Exception | Error x) {
                errors.add(x);
            }
        }));
        bus.publish(order(1));
        bus.awaitQuiescence(Duration.ofSeconds(5));
        assertEquals(1, errors.size());
        assertTrue(errors.get(0) instanceof IllegalStateException);
    }

    @Test
    void aStoppedBusRefusesToPublish() throws Exception {
        start(settings(10, 1, 3, 5));
        bus.stop();
        EventBusException e = assertThrows(EventBusException.class, () -> bus.publish(order(1)));
        assertTrue(e.getMessage().contains("stopped"));
        bus = null;
    }

    @Test
    void quiescenceTimesOutWhileAHandlerIsBlocked() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        start(settings(10, 1, 3, 5)).subscribe(handler("h", "autotrade/order/*", e -> await(release)));
        bus.publish(order(1));
        assertThrows(TimeoutException.class, () -> bus.awaitQuiescence(Duration.ofMillis(50)));
        release.countDown();
        bus.awaitQuiescence(Duration.ofSeconds(5));
    }

    static long busThreads() {
        Map<String, Integer> names = new HashMap<>();
        for (Thread t : Thread.getAllStackTraces().keySet()) {
            if (t.getName().startsWith("autotrade-bus") && t.isAlive()) {
                names.merge(t.getName(), 1, Integer::sum);
            }
        }
        return names.values().stream().mapToInt(Integer::intValue).sum();
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
