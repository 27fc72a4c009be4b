package io.autotrade.core.internal;

import static io.autotrade.core.internal.TestBus.handler;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.autotrade.api.event.CriticalFailure;
import io.autotrade.api.event.DomainEvent;
import io.autotrade.api.event.EventBusException;
import io.autotrade.api.event.EventJournal;
import io.autotrade.api.event.EventProperties;
import io.autotrade.api.trading.ClientOrderId;
import io.autotrade.api.trading.Market;
import io.autotrade.api.trading.OrderRequested;
import io.autotrade.api.trading.OrderSpec;
import io.autotrade.api.trading.OrderSubmitted;
import io.autotrade.testing.MemoryJournal;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.osgi.service.event.Event;

/** The bus with a write-ahead journal: commit before dispatch, atomic handler outputs, recovery. */
class JournalingBusTest {
    private static final Market BTC = Market.of("KRW-BTC");
    private final TestLogs.Capture log = new TestLogs.Capture();
    private final MemoryJournal journal = new MemoryJournal();
    private LaneBus bus;

    @AfterEach
    void stop() throws InterruptedException {
        if (bus != null) {
            bus.stop();
        }
    }

    private LaneBus start() {
        bus = new LaneBus(new LaneBus.Settings(TestBus.perLane(100), TestBus.perLane(1), 100, 2_000,
                new RetryPolicy(3, 5, 2.0, 100, 0), 10_000, new Routes(Routes.DEFAULTS), 20), new MemoryDeadLetters(), journal,
                log.logger);
        bus.start();
        return bus;
    }

    private static DomainEvent<OrderRequested> order(String id) {
        return DomainEvent.of(new OrderRequested(new ClientOrderId(id), "s", OrderSpec.marketBuy(BTC, new BigDecimal("10000"))),
                Instant.EPOCH);
    }

    @Test
    void aDurableEventIsCommittedBeforeAnyHandlerSeesItAndOnlyOnce() throws Exception {
        List<Boolean> journaledWhenSeen = Collections.synchronizedList(new ArrayList<>());
        start().subscribe(handler("h", "autotrade/order/*",
                e -> journaledWhenSeen.add(journal.events().contains(EventProperties.domainEvent(e)))));
        DomainEvent<OrderRequested> event = order("o1");
        bus.publish(event);
        bus.publish(event);
        bus.awaitQuiescence(Duration.ofSeconds(5));
        assertEquals(List.of(true), journaledWhenSeen, "journaled first, and the duplicate was not dispatched again");
        assertEquals(List.of(event), journal.events());
        assertTrue(journal.handled(event.eventId(), "h"));
        assertEquals(List.of(), journal.pending("h"));
    }

    private static DomainEvent<?> close(int minute) {
        io.autotrade.api.trading.Candle candle = new io.autotrade.api.trading.Candle(BTC, Duration.ofMinutes(1),
                Instant.EPOCH.plusSeconds(60L * minute), BigDecimal.TEN, BigDecimal.TEN, BigDecimal.TEN, BigDecimal.TEN, BigDecimal.ONE, BigDecimal.TEN);
        return DomainEvent.of(new io.autotrade.api.trading.CandleClosed(candle), candle.closeTime(),
                candle.eventId(io.autotrade.api.trading.CandleClosed.KIND.type()));
    }

    /**
     * A backtest's candles by reference: while driving with grouped commits a replayed candle reaches its handler
     * unjournaled (no row, no processing-log entry), what the handler publishes for it is journaled as usual, and each
     * boundary hands the journal its checkpoint; outside a drive the same call journals the candle.
     */
    @Test
    void replayedMarketDataIsDeliveredUnjournaledWhileItsConsequencesAreJournaled() throws Exception {
        start().deferDrivenCommits(true);
        List<DomainEvent<?>> seen = Collections.synchronizedList(new ArrayList<>());
        bus.subscribe(handler("strategy", "autotrade/candle/CLOSED", e -> {
            DomainEvent<?> candle = EventProperties.domainEvent(e);
            seen.add(candle);
            bus.publish(DomainEvent.causedBy(candle, new OrderRequested(new ClientOrderId("o" + seen.size()), "s",
                    OrderSpec.marketBuy(BTC, new BigDecimal("10000"))), candle.occurredAt()));
        }));
        bus.subscribe(handler("manager", "autotrade/order/REQUESTED", e -> { }));
        DomainEvent<?> first = close(0);
        bus.drive(() -> {
            bus.publishReplayed(first);
            try {
                bus.awaitQuiescence(Duration.ofSeconds(5));
            } catch (Exception e) {
                throw new AssertionError(e);
            }
            bus.boundary(() -> order("checkpoint"));
        });
        assertEquals(List.of(first), seen, "the candle reached its handler");
        assertEquals(1, journal.events().size(), "only the handler's output is journaled: " + journal.events());
        DomainEvent<?> output = journal.events().get(0);
        assertEquals(first.eventId(), output.causationId(), "caused by the unjournaled candle");
        assertFalse(journal.handled(first.eventId(), "strategy"), "no processing-log entry for an unjournaled event");
        assertTrue(journal.handled(output.eventId(), "manager"), "the output's delivery is recorded");
        assertEquals(1, journal.checkpoints().size(), "the boundary's checkpoint reached the journal");

        DomainEvent<?> second = close(1);
        bus.publishReplayed(second); // not driving: journaled as any publish
        bus.awaitQuiescence(Duration.ofSeconds(5));
        assertTrue(journal.events().contains(second));
        assertTrue(journal.handled(second.eventId(), "strategy"));
        bus.boundary(() -> order("never"));
        assertEquals(1, journal.checkpoints().size(), "no boundary outside a drive");
    }

    @Test
    void aHandlersOutputsAreJournaledWithItsRecordAndAFailedCallPublishesNothing() throws Exception {
        AtomicInteger calls = new AtomicInteger();
        List<DomainEvent<?>> submitted = Collections.synchronizedList(new ArrayList<>());
        start();
        bus.subscribe(handler("manager", "autotrade/order/REQUESTED", e -> {
            DomainEvent<?> request = EventProperties.domainEvent(e);
            bus.publish(DomainEvent.causedBy(request, new OrderSubmitted(new ClientOrderId("o1"), "s", BTC, "paper"),
                    Instant.EPOCH));
            if (calls.incrementAndGet() == 1) {
                throw new IllegalStateException("first call fails after publishing");
            }
        }));
        bus.subscribe(handler("watcher", "autotrade/order/SUBMITTED", e -> submitted.add(EventProperties.domainEvent(e))));
        DomainEvent<OrderRequested> request = order("o1");
        bus.publish(request);
        bus.awaitQuiescence(Duration.ofSeconds(5));
        assertEquals(2, calls.get());
        assertEquals(1, submitted.size(), "the failed call's output was dropped; the retry's was dispatched once");
        assertEquals(List.of(request, submitted.get(0)), journal.events());
        assertTrue(journal.handled(request.eventId(), "manager"));
        assertTrue(journal.handled(submitted.get(0).eventId(), "watcher"));
    }

    @Test
    void aHandlerGetsItsPendingDeliveriesInJournalOrderWhenItRegisters() throws Exception {
        DomainEvent<OrderRequested> first = order("o1");
        DomainEvent<OrderRequested> second = order("o2");
        journal.commit(new EventJournal.Batch(List.of(first, second),
                Map.of(first.eventId(), List.of("late"), second.eventId(), List.of("late")), List.of()));
        List<String> seen = Collections.synchronizedList(new ArrayList<>());
        start();
        Subscription late = handler("late", "autotrade/order/*", e -> seen.add((String) e.getProperty(EventProperties.AGGREGATE_ID)));
        bus.subscribe(late);
        bus.awaitQuiescence(Duration.ofSeconds(5));
        assertEquals(List.of("o1", "o2"), seen);
        assertEquals(List.of(), journal.pending("late"));
        bus.unsubscribe(late);
        bus.subscribe(late);
        bus.awaitQuiescence(Duration.ofSeconds(5));
        assertEquals(List.of("o1", "o2"), seen, "recovered once per start");
        assertTrue(log.any("warn", "redelivered 2 unfinished deliveries to handler late"));
    }

    @Test
    void aBacklogThatCannotBeReadWholeRaisesCriticalFailureNamingTheEventAndKeepsTheRestPending() throws Exception {
        DomainEvent<OrderRequested> first = order("o1");
        DomainEvent<OrderRequested> damaged = order("o2");
        DomainEvent<OrderRequested> third = order("o3");
        journal.commit(new EventJournal.Batch(List.of(first, damaged, third), Map.of(first.eventId(), List.of("positions"),
                damaged.eventId(), List.of("positions"), third.eventId(), List.of("positions")), List.of()));
        journal.unreadable(damaged.eventId());
        List<String> seen = Collections.synchronizedList(new ArrayList<>());
        List<DomainEvent<?>> failures = Collections.synchronizedList(new ArrayList<>());
        start().subscribe(handler("alarm", "autotrade/system/CRITICAL_FAILURE", e -> failures.add(EventProperties.domainEvent(e))));
        bus.subscribe(handler("positions", "autotrade/order/*", e -> seen.add((String) e.getProperty(EventProperties.AGGREGATE_ID))));
        bus.awaitQuiescence(Duration.ofSeconds(5));

        assertEquals(List.of("o1"), seen, "what comes before the damaged event is redelivered, nothing after it");
        assertEquals(List.of(damaged, third), journal.pending("positions"), "nothing is dropped");
        assertEquals(1, failures.size());
        CriticalFailure raised = (CriticalFailure) failures.get(0).payload();
        assertEquals("positions", raised.source());
        assertEquals(damaged.eventId(), raised.failedEventId());
        assertEquals(OrderRequested.KIND.type(), raised.failedEventType(), "an order-path type: the tracker halts on it");
        assertTrue(raised.error().contains("made unreadable"), raised.error());
        assertTrue(journal.events().contains(failures.get(0)), "the failure is journaled");
        assertTrue(log.any("error", "cannot read the pending deliveries of handler positions"));
    }

    @Test
    void anEventPublishedWhileAKnownHandlerIsAwayWaitsForItsReturn() throws Exception {
        List<String> seen = Collections.synchronizedList(new ArrayList<>());
        Subscription strategy = handler("strategy", "autotrade/order/*",
                e -> seen.add((String) e.getProperty(EventProperties.AGGREGATE_ID)));
        start().subscribe(strategy);
        bus.unsubscribe(strategy); // being updated, or not started yet after a restart
        bus.publish(order("while-away"));
        bus.awaitQuiescence(Duration.ofSeconds(5));
        assertEquals(List.of(), seen);
        assertEquals(1, journal.pending("strategy").size(), "a pending delivery for the absent handler");
        bus.subscribe(strategy);
        bus.awaitQuiescence(Duration.ofSeconds(5));
        assertEquals(List.of("while-away"), seen);
        assertEquals(List.of(), journal.pending("strategy"));
        assertEquals(0, bus.forget("strategy"));
        assertEquals(List.of(), journal.subscriptions());
    }

    @Test
    void aHandlerRegisteringWhileAnEventForItIsBeingCommittedGetsItOnce() throws Exception {
        List<String> seen = Collections.synchronizedList(new ArrayList<>());
        Subscription late = handler("late", "autotrade/order/*", e -> seen.add((String) e.getProperty(EventProperties.AGGREGATE_ID)));
        start().subscribe(late);
        bus.unsubscribe(late); // known to the journal, away now
        CountDownLatch committing = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        journal.beforeCommit(() -> {
            committing.countDown();
            await(release);
        });
        Thread publisher = new Thread(() -> bus.publish(order("racing"))); // its recipients say: late is away
        publisher.start();
        assertTrue(committing.await(5, TimeUnit.SECONDS));
        journal.beforeCommit(() -> { });
        Thread registering = new Thread(() -> bus.subscribe(late)); // the handler comes back mid-commit
        registering.start();
        Thread.sleep(200);
        release.countDown();
        publisher.join(5_000);
        registering.join(5_000);
        bus.awaitQuiescence(Duration.ofSeconds(5));
        assertEquals(List.of("racing"), seen, "the registration waited for the commit, then read the event as pending");
        assertEquals(List.of(), journal.pending("late"), "no delivery is left pending");
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Test
    void aFailedCommitIsAnExceptionToThePublisherAndNothingIsDispatched() throws Exception {
        List<Event> seen = Collections.synchronizedList(new ArrayList<>());
        start().subscribe(handler("h", "autotrade/order/*", seen::add));
        journal.failing(true);
        EventBusException error = assertThrows(EventBusException.class, () -> bus.publish(order("o1")));
        assertTrue(error.getMessage().contains("disk full"), error.getMessage());
        journal.failing(false);
        bus.publish(order("o2"));
        bus.awaitQuiescence(Duration.ofSeconds(5));
        assertEquals(1, seen.size(), "publishing resumes when the fault clears");
        assertFalse(journal.events().stream().anyMatch(e -> e.aggregateId().equals("o1")));
    }

    @Test
    void publishAllCommitsOnce() throws Exception {
        start().subscribe(handler("h", "autotrade/order/*", e -> { }));
        int before = journal.commits();
        bus.publishAll(List.of(order("a"), order("b"), order("c")));
        bus.awaitQuiescence(Duration.ofSeconds(5));
        assertEquals(before + 1, journal.commits(), "one commit for the three events (handler records go later)");
        assertEquals(3, journal.events().size());
    }

    @Test
    void aFailingJournalFailsThePublisherRaisesCriticalFailureAndClearsWhenAProbeCommits() throws Exception {
        List<DomainEvent<?>> failures = Collections.synchronizedList(new ArrayList<>());
        List<DomainEvent<?>> orders = Collections.synchronizedList(new ArrayList<>());
        start();
        bus.subscribe(handler("alarm", "autotrade/system/CRITICAL_FAILURE", e -> failures.add(EventProperties.domainEvent(e))));
        bus.subscribe(handler("orders", "autotrade/order/*", e -> orders.add(EventProperties.domainEvent(e))));
        journal.failing(true);
        DomainEvent<OrderRequested> refused = order("o1");
        EventBusException e = assertThrows(EventBusException.class, () -> bus.publish(refused), "no ack without a commit");
        assertTrue(e.getMessage().contains("disk full"), e.getMessage());
        assertThrows(EventBusException.class, () -> bus.publish(order("o2")));
        assertTrue(bus.journalFault().contains("disk full"));
        bus.awaitQuiescence(Duration.ofSeconds(5));
        assertEquals(List.of(), orders, "nothing refused was dispatched");
        assertEquals(1, failures.size(), "one CRITICAL_FAILURE per fault, delivered although it cannot be stored yet");
        CriticalFailure raised = (CriticalFailure) failures.get(0).payload();
        assertEquals(LaneBus.JOURNAL_SOURCE, raised.source());
        assertTrue(raised.error().contains("disk full"));
        assertFalse(journal.events().contains(failures.get(0)));
        assertTrue(log.any("error", "event journal failing"));

        journal.failing(false); // the fault clears; nobody publishes: the probe finds out
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        while (bus.journalFault() != null && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
        assertEquals(null, bus.journalFault());
        assertEquals(List.of(failures.get(0)), journal.events(), "the fault's CRITICAL_FAILURE is stored once it can be");
        DomainEvent<OrderRequested> accepted = order("o3");
        bus.publish(accepted);
        bus.awaitQuiescence(Duration.ofSeconds(5));
        assertEquals(List.of(accepted), orders);
        assertEquals(1, failures.size());
    }
}
