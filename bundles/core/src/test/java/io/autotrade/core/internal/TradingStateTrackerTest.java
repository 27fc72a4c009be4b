package io.autotrade.core.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.autotrade.api.event.CriticalFailure;
import io.autotrade.api.event.DomainEvent;
import io.autotrade.api.event.EventBus;
import io.autotrade.api.event.EventBusAdmin;
import io.autotrade.api.event.EventProperties;
import io.autotrade.api.event.EventQuery;
import io.autotrade.api.trading.ClientOrderId;
import io.autotrade.api.trading.Market;
import io.autotrade.api.trading.OrderCanceled;
import io.autotrade.api.trading.OrderRequested;
import io.autotrade.api.trading.OrderSpec;
import io.autotrade.api.trading.TradingState;
import io.autotrade.api.trading.TradingStateChanged;
import io.autotrade.testing.MemoryEventStore;
import java.lang.reflect.Proxy;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.osgi.service.event.Event;

class TradingStateTrackerTest {
    private static final Market BTC = Market.of("KRW-BTC");
    /** The store, to which the bus also appends: what was published is what a restart reads. */
    private final MemoryEventStore store = new MemoryEventStore();
    private final EventBus bus = new EventBus() {
        @Override
        public void publish(DomainEvent<?> event) {
            store.append(event);
        }

        @Override
        public void awaitQuiescence(Duration timeout) {
        }
    };

    /** What the bus says of its journal: null while it commits, else the error. */
    private final AtomicReference<String> journalFault = new AtomicReference<>();
    private final EventBusAdmin busAdmin = (EventBusAdmin) Proxy.newProxyInstance(getClass().getClassLoader(),
            new Class<?>[] {EventBusAdmin.class}, (proxy, method, args) -> {
                if (method.getName().equals("journalFault")) {
                    return journalFault.get();
                }
                throw new UnsupportedOperationException(method.getName());
            });

    private TradingStateTracker tracker() {
        return new TradingStateTracker(bus, busAdmin, store, TestLogs.factory(new TestLogs.Capture().logger));
    }

    @Test
    void aFailingJournalHaltsTradingUntilItCommitsAgainWithoutStoringATransition() {
        TradingStateTracker tracker = tracker();
        journalFault.set("database or disk is full");
        assertEquals(TradingState.HALTED, tracker.state());
        assertEquals("event journal failing: database or disk is full", tracker.haltReason());
        tracker.halt("operator");
        assertEquals("operator", tracker.haltReason(), "an operator's halt says why first");
        journalFault.set(null);
        assertEquals(TradingState.HALTED, tracker.state(), "the operator's halt outlives the journal fault");
        assertTrue(tracker.resume("ok"));
        assertEquals(TradingState.IDLE, tracker.state());
        assertNull(tracker.haltReason());
        assertEquals(List.of(TradingState.HALTED, TradingState.IDLE), store.query(EventQuery.ofType(TradingStateChanged.KIND.type()))
                .stream().map(e -> ((TradingStateChanged) e.payload()).to()).toList(),
                "only the operator's halt and resume are stored transitions");
    }

    private void deliver(TradingStateTracker tracker, DomainEvent<?> event) {
        store.append(event);
        store.handledBy(TradingStateTracker.HANDLER, List.of(event));
        tracker.handleEvent(new Event(event.topic(), Map.of(EventProperties.EVENT, event)));
    }

    @Test
    void ordersMoveTheStateAndAHaltHoldsUntilResumeAndSurvivesARestart() {
        TradingStateTracker tracker = tracker();
        ClientOrderId id = new ClientOrderId("o1");
        deliver(tracker, DomainEvent.of(new OrderRequested(id, "s", OrderSpec.marketBuy(BTC, new BigDecimal("10000"))),
                Instant.EPOCH));
        assertEquals(TradingState.TRADING, tracker.state());
        tracker.halt("operator: exchange maintenance");
        assertEquals(TradingState.HALTED, tracker.state());
        deliver(tracker, DomainEvent.of(new OrderCanceled(id, "s", BTC, "canceled"), Instant.EPOCH));
        assertEquals(TradingState.HALTED, tracker.state(), "the last order ending does not lift a halt");
        assertEquals(List.of(), tracker.openOrders());

        TradingStateTracker restarted = tracker();
        assertEquals(TradingState.HALTED, restarted.state());
        assertEquals("operator: exchange maintenance", restarted.haltReason());

        assertTrue(restarted.resume("maintenance over"));
        assertEquals(TradingState.IDLE, restarted.state());
        assertNull(restarted.haltReason());
        assertFalse(restarted.resume("again"), "resuming a running system does nothing");
        assertEquals(TradingState.IDLE, tracker().state(), "and the resume is remembered too");
        List<TradingStateChanged> changes = store.query(EventQuery.all()).stream().filter(e -> e.payload() instanceof TradingStateChanged)
                .map(e -> (TradingStateChanged) e.payload()).toList();
        assertEquals(List.of("IDLE>TRADING", "TRADING>HALTED", "HALTED>IDLE"),
                changes.stream().filter(c -> c.scope().equals("global")).map(c -> c.from() + ">" + c.to()).toList());
        assertEquals(List.of("IDLE>TRADING", "TRADING>IDLE"),
                changes.stream().filter(c -> c.scope().equals("s")).map(c -> c.from() + ">" + c.to()).toList(),
                "the strategy's own state follows its orders only, not the halt");
    }

    @Test
    void eachStrategyHasItsOwnStateFromItsOwnOrders() {
        TradingStateTracker tracker = tracker();
        ClientOrderId a1 = new ClientOrderId("a1");
        ClientOrderId a2 = new ClientOrderId("a2");
        ClientOrderId b1 = new ClientOrderId("b1");
        deliver(tracker, DomainEvent.of(new OrderRequested(a1, "a", OrderSpec.marketBuy(BTC, new BigDecimal("10000"))), Instant.EPOCH));
        deliver(tracker, DomainEvent.of(new OrderRequested(a2, "a", OrderSpec.marketBuy(BTC, new BigDecimal("10000"))), Instant.EPOCH));
        assertEquals(TradingState.TRADING, tracker.state("a"));
        assertEquals(TradingState.IDLE, tracker.state("b"));
        assertEquals(List.of("a1", "a2"), tracker.openOrders("a"));
        deliver(tracker, DomainEvent.of(new OrderRequested(b1, "b", OrderSpec.marketBuy(BTC, new BigDecimal("10000"))), Instant.EPOCH));
        deliver(tracker, DomainEvent.of(new OrderCanceled(a1, "a", BTC, "c"), Instant.EPOCH));
        assertEquals(TradingState.TRADING, tracker.state("a"), "a2 still holds it");
        deliver(tracker, DomainEvent.of(new OrderCanceled(a2, "a", BTC, "c"), Instant.EPOCH));
        assertEquals(TradingState.IDLE, tracker.state("a"));
        assertEquals(TradingState.TRADING, tracker.state("b"));
        assertEquals(TradingState.TRADING, tracker.state("global"));
        assertEquals(List.of("b1"), tracker.openOrders("global"));
        List<String> changes = store.query(EventQuery.all()).stream().filter(e -> e.payload() instanceof TradingStateChanged)
                .map(e -> (TradingStateChanged) e.payload()).map(c -> c.scope() + ":" + c.from() + ">" + c.to()).toList();
        assertEquals(List.of("a:IDLE>TRADING", "global:IDLE>TRADING", "b:IDLE>TRADING", "a:TRADING>IDLE"), changes);
        tracker.halt("test");
        assertEquals(TradingState.HALTED, tracker.state("a"), "a halt holds every scope");
    }

    @Test
    void aCriticalFailureOfTheOrderPathHaltsButOthersDoNot() {
        TradingStateTracker tracker = tracker();
        deliver(tracker, DomainEvent.of(new CriticalFailure("log.writer", UUID.randomUUID(), "log.entry", 3, "disk", 1),
                Instant.EPOCH));
        assertEquals(TradingState.IDLE, tracker.state());
        deliver(tracker, DomainEvent.of(new CriticalFailure("manager.position", UUID.randomUUID(), "order.filled", 3,
                "java.lang.IllegalStateException: sell exceeds the position", 7), Instant.EPOCH));
        assertEquals(TradingState.HALTED, tracker.state());
        assertTrue(tracker.haltReason().contains("manager.position gave up on order.filled"), tracker.haltReason());
    }
}
