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
import io.autotrade.api.trading.OrderState;
import io.autotrade.api.trading.OrderSpec;
import io.autotrade.api.trading.TradingState;
import io.autotrade.api.trading.TradingStateChanged;
import io.autotrade.testing.MemoryBlotter;
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

    private final MemoryBlotter blotter = new MemoryBlotter();

    /** @return a tracker reading {@link #blotter} */
    private TradingStateTracker tracker() {
        TradingStateTracker tracker = new TradingStateTracker(bus, busAdmin, store, TestLogs.factory(new TestLogs.Capture().logger));
        tracker.blotter = blotter;
        return tracker;
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

    /**
     * Moves an order in the blotter as the order manager does, and delivers the strategy's state change the
     * manager publishes when the strategy's first order goes in flight or its last one ends.
     */
    private void order(TradingStateTracker tracker, String id, String strategy, OrderState state) {
        List<String> before = openOf(strategy);
        blotter.put(new ClientOrderId(id), strategy, OrderSpec.marketBuy(BTC, new BigDecimal("10000")), state);
        List<String> after = openOf(strategy);
        if (before.isEmpty() != after.isEmpty()) {
            deliver(tracker, DomainEvent.of(new TradingStateChanged(strategy, before.isEmpty() ? TradingState.IDLE
                    : TradingState.TRADING, after.isEmpty() ? TradingState.IDLE : TradingState.TRADING, after,
                    "order " + id + " " + state), Instant.EPOCH));
        }
    }

    private List<String> openOf(String strategy) {
        return blotter.openOrders().stream().filter(o -> o.strategyId().equals(strategy)).map(o -> o.orderId().value())
                .toList();
    }

    @Test
    void ordersMoveTheStateAndAHaltHoldsUntilResumeAndSurvivesARestart() {
        TradingStateTracker tracker = tracker();
        order(tracker, "o1", "s", OrderState.SUBMITTED);
        assertEquals(TradingState.TRADING, tracker.state());
        tracker.halt("operator: exchange maintenance");
        assertEquals(TradingState.HALTED, tracker.state());
        order(tracker, "o1", "s", OrderState.CANCELED);
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
    }

    @Test
    void eachStrategyHasItsOwnStateFromTheBlotter() {
        TradingStateTracker tracker = tracker();
        order(tracker, "a1", "a", OrderState.SUBMITTED);
        order(tracker, "a2", "a", OrderState.SUBMITTED);
        assertEquals(TradingState.TRADING, tracker.state("a"));
        assertEquals(TradingState.IDLE, tracker.state("b"));
        assertEquals(List.of("a1", "a2"), tracker.openOrders("a"), "every order in flight, from the blotter");
        order(tracker, "b1", "b", OrderState.ACCEPTED);
        order(tracker, "a1", "a", OrderState.CANCELED);
        assertEquals(TradingState.TRADING, tracker.state("a"), "a2 still holds it");
        order(tracker, "a2", "a", OrderState.FILLED);
        assertEquals(TradingState.IDLE, tracker.state("a"));
        assertEquals(TradingState.TRADING, tracker.state("b"));
        assertEquals(TradingState.TRADING, tracker.state("global"));
        assertEquals(List.of("b1"), tracker.openOrders("global"));
        List<String> changes = store.query(EventQuery.all()).stream().filter(e -> e.payload() instanceof TradingStateChanged)
                .map(e -> (TradingStateChanged) e.payload()).map(c -> c.scope() + ":" + c.from() + ">" + c.to()).toList();
        assertEquals(List.of("a:IDLE>TRADING", "global:IDLE>TRADING", "b:IDLE>TRADING", "a:TRADING>IDLE"), changes,
                "the global state follows the strategies' changes; a strategy's own come from the order manager");
        order(tracker, "b1", "b", OrderState.FILLED);
        assertEquals("global:TRADING>IDLE", store.query(EventQuery.all()).stream().map(e -> e.payload())
                .filter(p -> p instanceof TradingStateChanged).map(p -> (TradingStateChanged) p)
                .map(c -> c.scope() + ":" + c.from() + ">" + c.to()).reduce((x, y) -> y).orElseThrow());
        tracker.halt("test");
        assertEquals(TradingState.HALTED, tracker.state("a"), "a halt holds every scope");
    }

    @Test
    void whileTheOrderManagerIsAwayItsLastPublishedStatesAnswerAlsoAfterARestart() {
        TradingStateTracker tracker = tracker();
        order(tracker, "a1", "a", OrderState.SUBMITTED);
        order(tracker, "a2", "a", OrderState.SUBMITTED);
        tracker.blotter = null;
        assertEquals(TradingState.TRADING, tracker.state("a"));
        assertEquals(List.of("a1"), tracker.openOrders("a"), "what the manager published when a went in flight");
        assertEquals(List.of("a1"), tracker.openOrders());
        assertEquals(TradingState.IDLE, tracker.state("b"));

        TradingStateTracker restarted = new TradingStateTracker(bus, busAdmin, store,
                TestLogs.factory(new TestLogs.Capture().logger));
        assertEquals(TradingState.TRADING, restarted.state(), "rebuilt from the changes it had counted");
        assertEquals(List.of("a1"), restarted.openOrders("a"));
        restarted.blotter = blotter;
        assertEquals(List.of("a1", "a2"), restarted.openOrders("a"), "the blotter answers once it is there");
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
