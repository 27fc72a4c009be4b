package io.autotrade.it.osgi;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import io.autotrade.api.event.CriticalFailure;
import io.autotrade.api.event.DeadLetter;
import io.autotrade.api.event.DomainEvent;
import io.autotrade.api.event.EventBus;
import io.autotrade.api.event.EventBusAdmin;
import io.autotrade.api.event.EventBusException;
import io.autotrade.api.event.EventProperties;
import io.autotrade.api.event.EventQuery;
import io.autotrade.api.event.EventStore;
import io.autotrade.api.event.LaneStatistics;
import io.autotrade.api.event.Priority;
import io.autotrade.api.trading.Candle;
import io.autotrade.api.trading.CandleClosed;
import io.autotrade.api.trading.Market;
import io.autotrade.api.trading.TradingState;
import io.autotrade.api.trading.TradingStateChanged;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Hashtable;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import javax.inject.Inject;
import org.junit.Before;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.service.event.EventHandler;

/**
 * The event bus inside real Felix with the real bundles of the backtest feature: lanes under a
 * logging flood, per-aggregate order with two workers, back-pressure, retries, dead letters in the
 * SQLite store across restarts, replay from the shell, and the bundle lifecycle of its threads.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class EventBusIT {
    private static final String BUS_PID = "io.autotrade.core.bus";
    private static final int FLOOD = 100_000;
    private static boolean configured;

    @Inject
    private BundleContext context;

    @Configuration
    public Option[] config() {
        return FeatureOptions.of("backtest");
    }

    /** Once per framework: a logging lane big enough for the flood, a tiny cleanup lane, two trading workers. */
    @Before
    public void configureBus() throws Exception {
        if (configured) {
            return;
        }
        ConfigurationAdmin cm = Probe.service(context, ConfigurationAdmin.class);
        Hashtable<String, Object> props = new Hashtable<>();
        props.put("low.capacity", FLOOD + 1_000);
        props.put("lowest.capacity", 4);
        props.put("critical.workers", 2);
        cm.getConfiguration(BUS_PID, null).update(props);
        restart("io.autotrade.core");
        for (int i = 0; i < 100 && admin().statistics().get(0).workers() != 2; i++) {
            Probe.sleep(50);
        }
        assertEquals(2, admin().statistics().get(0).workers());
        configured = true;
    }

    private EventBus bus() throws InterruptedException {
        return Probe.service(context, EventBus.class);
    }

    private EventBusAdmin admin() throws InterruptedException {
        return Probe.service(context, EventBusAdmin.class);
    }

    private void restart(String... symbolicNames) throws Exception {
        for (String name : symbolicNames) {
            Probe.bundle(context, name).stop();
        }
        for (int i = symbolicNames.length - 1; i >= 0; i--) {
            Probe.bundle(context, symbolicNames[i]).start();
        }
        bus();
    }

    private static DomainEvent<CandleClosed> candle(String market, int day) {
        BigDecimal p = new BigDecimal(1000 + day);
        return DomainEvent.of(new CandleClosed(new Candle(Market.of(market), Duration.ofDays(1),
                Instant.EPOCH.plus(Duration.ofDays(day)), p, p, p, p, BigDecimal.ONE, p)), Instant.EPOCH.plus(Duration.ofDays(day + 1)));
    }

    private static DomainEvent<TradingStateChanged> state(String scope) {
        return DomainEvent.of(new TradingStateChanged(scope, TradingState.IDLE, TradingState.TRADING, List.of(), "it"),
                Instant.now());
    }

    private static String scope(org.osgi.service.event.Event e) {
        return ((TradingStateChanged) EventProperties.domainEvent(e).payload()).scope();
    }

    @Test
    public void aLoggingFloodDoesNotDelayACriticalEvent() throws Exception {
        AtomicLong logsHandled = new AtomicLong();
        AtomicLong logsWhenCandleSeen = new AtomicLong(-1);
        CountDownLatch floodStarted = new CountDownLatch(1);
        ServiceRegistration<EventHandler> slowLog = Probe.handler(context, "it.slow-log", "autotrade/log/*", e -> {
            floodStarted.countDown();
            if (logsWhenCandleSeen.get() < 0) {
                Probe.sleep(1);
            }
            logsHandled.incrementAndGet();
        });
        ServiceRegistration<EventHandler> trader = Probe.handler(context, "it.trader", "autotrade/candle/CLOSED", e -> {
            if ("KRW-FLOOD".equals(e.getProperty(EventProperties.MARKET))) {
                logsWhenCandleSeen.set(logsHandled.get());
            }
        });
        try {
            EventBus bus = bus();
            for (int i = 0; i < FLOOD; i++) {
                bus.publish(DomainEvent.of(new FloodLine("src-" + (i % 5), i), Instant.ofEpochMilli(i)));
            }
            assertTrue(floodStarted.await(10, TimeUnit.SECONDS));
            bus.publish(candle("KRW-FLOOD", 1));
            bus.awaitQuiescence(Duration.ofSeconds(120));
            assertEquals(FLOOD, logsHandled.get());
            assertTrue("the candle was delivered", logsWhenCandleSeen.get() >= 0);
            assertTrue("the candle came before the flood drained: after " + logsWhenCandleSeen.get() + " of " + FLOOD,
                    logsWhenCandleSeen.get() < FLOOD / 2);
            LaneStatistics low = admin().statistics().get(Priority.LOW_LOGGING.ordinal());
            assertTrue(low.delivered() >= FLOOD);
            assertTrue("high-water mark " + low.highWaterMark(), low.highWaterMark() > FLOOD / 2);
        } finally {
            slowLog.unregister();
            trader.unregister();
        }
    }

    @Test
    public void eventsOfOneAggregateStayInOrderAcrossTwoWorkers() throws Exception {
        Map<String, List<Long>> seen = new ConcurrentHashMap<>();
        Set<String> threads = ConcurrentHashMap.newKeySet();
        ServiceRegistration<EventHandler> h = Probe.handler(context, "it.order-check", "autotrade/candle/CLOSED", e -> {
            String market = (String) e.getProperty(EventProperties.MARKET);
            if (market.startsWith("KRW-ORD")) {
                threads.add(Thread.currentThread().getName());
                seen.computeIfAbsent(market, k -> Collections.synchronizedList(new ArrayList<>()))
                        .add(((CandleClosed) EventProperties.domainEvent(e).payload()).candle().openTime().toEpochMilli());
            }
        });
        try {
            EventBus bus = bus();
            for (int day = 0; day < 300; day++) {
                for (int m = 0; m < 8; m++) {
                    bus.publish(candle("KRW-ORD" + m, day));
                }
            }
            bus.awaitQuiescence(Duration.ofSeconds(60));
            assertEquals(8, seen.size());
            for (Map.Entry<String, List<Long>> e : seen.entrySet()) {
                List<Long> times = e.getValue();
                assertEquals(300, times.size());
                for (int i = 1; i < times.size(); i++) {
                    assertTrue(e.getKey() + " out of order at " + i, times.get(i - 1) < times.get(i));
                }
            }
            assertEquals("both trading workers delivered: " + threads, 2, threads.size());
        } finally {
            h.unregister();
        }
    }

    @Test
    public void aFullLaneGivesThePublisherAnExceptionAndACount() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        ServiceRegistration<EventHandler> blocked = Probe.handler(context, "it.blocked", "autotrade/log/*", e -> {
            if (((FloodLine) EventProperties.domainEvent(e).payload()).source().equals("cleanup")) {
                try {
                    release.await(30, TimeUnit.SECONDS);
                } catch (InterruptedException x) {
                    Thread.currentThread().interrupt();
                }
            }
        });
        try {
            EventBus bus = bus();
            long rejectedBefore = admin().statistics().get(Priority.LOWEST_CLEANUP.ordinal()).rejected();
            int accepted = 0;
            try {
                for (int i = 0; i < 20; i++) {
                    bus.publish(DomainEvent.of(new FloodLine("cleanup", i), Instant.now()).withPriority(Priority.LOWEST_CLEANUP));
                    accepted++;
                }
                fail("a lane of capacity 4 with a blocked handler took 20 events");
            } catch (EventBusException expected) {
                assertTrue(expected.getMessage(), expected.getMessage().contains("LOWEST_CLEANUP is full"));
            }
            assertTrue("accepted " + accepted, accepted >= 4 && accepted <= 5);
            assertEquals(rejectedBefore + 1, admin().statistics().get(Priority.LOWEST_CLEANUP.ordinal()).rejected());
            release.countDown();
            bus.awaitQuiescence(Duration.ofSeconds(10));
        } finally {
            release.countDown();
            blocked.unregister();
        }
    }

    @Test
    public void retriesThenDeadLettersSurviveARestartAndReplayOnceFromTheShell() throws Exception {
        AtomicInteger flakyCalls = new AtomicInteger();
        AtomicInteger brokenCalls = new AtomicInteger();
        AtomicBoolean fixed = new AtomicBoolean();
        ServiceRegistration<EventHandler> flaky = Probe.handler(context, "it.flaky", "autotrade/trading/*", e -> {
            if (scope(e).equals("it-flaky") && flakyCalls.incrementAndGet() <= 2) {
                throw new IllegalStateException("flaky call " + flakyCalls.get());
            }
        });
        ServiceRegistration<EventHandler> broken = Probe.handler(context, "it.broken", "autotrade/trading/*", e -> {
            if (scope(e).equals("it-broken")) {
                brokenCalls.incrementAndGet();
                if (!fixed.get()) {
                    throw new IllegalArgumentException("it.broken cannot handle this yet");
                }
            }
        });
        try {
            EventBus bus = bus();
            bus.publish(state("it-flaky"));
            DomainEvent<TradingStateChanged> poison = state("it-broken");
            bus.publish(poison);
            bus.awaitQuiescence(Duration.ofSeconds(30));

            assertEquals("flaky: failed twice, then succeeded", 3, flakyCalls.get());
            assertEquals("broken: three attempts", 3, brokenCalls.get());
            List<DeadLetter> letters = admin().deadLetters();
            assertEquals(letters.toString(), 1, letters.size());
            DeadLetter letter = letters.get(0);
            assertEquals("it.broken", letter.handlerId());
            assertEquals(poison, letter.event());
            assertEquals(3, letter.attempts());
            assertTrue(letter.lastError(), letter.lastError().contains("it.broken cannot handle this yet"));

            EventStore store = Probe.service(context, EventStore.class);
            List<DomainEvent<?>> failures = store.query(EventQuery.ofType(CriticalFailure.KIND.type()));
            assertEquals(1, failures.size());
            CriticalFailure failure = (CriticalFailure) failures.get(0).payload();
            assertEquals("it.broken", failure.source());
            assertEquals(poison.eventId(), failure.failedEventId());
            assertEquals(letter.id(), failure.deadLetterId());

            restart("io.autotrade.core", "io.autotrade.store.sqlite");
            assertEquals("the dead letter survived the restart", letters, admin().deadLetters());

            fixed.set(true);
            String replay = Probe.shell(context, "trade:dlq replay all");
            assertTrue(replay, replay.matches("(?s).*\\n" + letter.id() + "\\s+DELIVERED\\s*"));
            assertEquals("replayed once", 4, brokenCalls.get());
            assertEquals(List.of(), admin().deadLetters());
            assertEquals("no dead letters", Probe.shell(context, "trade:dlq replay all").strip());
            assertEquals(EventBusAdmin.ReplayOutcome.NOT_FOUND, admin().replay(letter.id()));
            assertEquals("never twice", 4, brokenCalls.get());
            String table = Probe.shell(context, "trade:bus");
            assertTrue(table, table.contains("HIGH_SAFETY"));
        } finally {
            flaky.unregister();
            broken.unregister();
        }
    }

    @Test
    public void theCoreBundleStopsAndStartsTwentyTimesWithoutLeavingAThread() throws Exception {
        Bundle core = Probe.bundle(context, "io.autotrade.core");
        for (int round = 0; round < 20; round++) {
            core.stop();
            assertEquals("bus threads after stop " + round, 0, Probe.busThreads());
            core.start();
            EventBus bus = bus();
            bus.publish(candle("KRW-LIFE", round));
            bus.awaitQuiescence(Duration.ofSeconds(10));
            long expected = admin().statistics().stream().mapToInt(LaneStatistics::workers).sum() + 1; // + watchdog
            assertEquals("bus threads after start " + round, expected, Probe.busThreads());
        }
        assertFalse(Probe.busThreads() == 0);
    }

    /**
     * The bus says when it has taken up a handler: at once after {@code registerService} returns (its whiteboard
     * listens synchronously), never for a service that is no handler, and no more after the unregistration; a caller
     * that saw the registration first is woken when the bus takes the handler up.
     */
    @Test
    public void theBusSaysWhetherItHasTakenUpAHandler() throws Exception {
        EventBusAdmin admin = admin();
        ServiceRegistration<EventHandler> handler = Probe.handler(context, "it.taken-up", "autotrade/candle/CLOSED", e -> { });
        ServiceRegistration<Runnable> other = context.registerService(Runnable.class, () -> { }, new Hashtable<>());
        try {
            assertTrue(admin.tracks(handler.getReference(), Duration.ZERO));
            long before = System.nanoTime();
            assertFalse("a service that is no event handler", admin.tracks(other.getReference(), Duration.ofMillis(200)));
            assertTrue("waited the time given", System.nanoTime() - before >= 190_000_000L);
        } finally {
            other.unregister();
        }
        org.osgi.framework.ServiceReference<EventHandler> reference = handler.getReference();
        handler.unregister();
        assertFalse("unregistered", admin.tracks(reference, Duration.ZERO));

        // a listener the framework calls before the bus's: the handler is not taken up yet, and a wait ends when it is
        java.util.concurrent.atomic.AtomicReference<Boolean> atOnce = new java.util.concurrent.atomic.AtomicReference<>();
        CountDownLatch woken = new CountDownLatch(1);
        org.osgi.framework.ServiceListener early = event -> {
            if (event.getType() == org.osgi.framework.ServiceEvent.REGISTERED) {
                org.osgi.framework.ServiceReference<?> ref = event.getServiceReference();
                try {
                    atOnce.set(admin.tracks(ref, Duration.ZERO));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                Thread waiter = new Thread(() -> {
                    try {
                        if (admin.tracks(ref, Duration.ofSeconds(10))) {
                            woken.countDown();
                        }
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                });
                waiter.start();
            }
        };
        context.addServiceListener(early, "(" + EventProperties.HANDLER_ID + "=it.taken-later)");
        try {
            ServiceRegistration<EventHandler> later = Probe.handler(context, "it.taken-later", "autotrade/candle/CLOSED", e -> { });
            assertTrue("the waiter was woken", woken.await(10, TimeUnit.SECONDS));
            assertTrue(admin.tracks(later.getReference(), Duration.ZERO));
            later.unregister();
        } finally {
            context.removeServiceListener(early);
        }
        assertTrue("the listener asked", atOnce.get() != null);
    }
}
