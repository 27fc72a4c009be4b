package io.autotrade.manager.order.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.autotrade.api.event.DomainEvent;
import io.autotrade.api.trading.ClientOrderId;
import io.autotrade.api.trading.Market;
import io.autotrade.api.trading.OrderRejected;
import io.autotrade.api.trading.OrderRequested;
import io.autotrade.api.trading.OrderSpec;
import io.autotrade.api.trading.OrderSubmitted;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import io.autotrade.api.event.EventProperties;
import io.autotrade.api.exchange.Exchange;
import io.autotrade.api.trading.OrderCanceled;
import io.autotrade.api.trading.OrderFilled;
import io.autotrade.api.trading.RiskBreached;
import io.autotrade.api.trading.Side;
import io.autotrade.api.trading.SignalGenerated;
import io.autotrade.api.trading.TradingStateChanged;
import io.autotrade.testing.MemoryEventStore;
import io.autotrade.testing.RecordingEventBus;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceReference;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.event.Event;
import org.junit.jupiter.api.Test;

/** The order manager's one handler: the same signal makes the same order; it knows its own events from the exchanges'. */
class OrderPathTest {
    private static final Market BTC = Market.of("KRW-BTC");
    private static final ClientOrderId ID = new ClientOrderId("o1");

    @Test
    void aRedeliveredSignalMakesTheSameOrderAndAnotherSignalAnotherOrder() {
        UUID signal = UUID.randomUUID();
        assertEquals(ClientOrderId.forSignal(signal), ClientOrderId.forSignal(signal));
        assertNotEquals(ClientOrderId.forSignal(signal), ClientOrderId.forSignal(UUID.randomUUID()));
        assertEquals(36, ClientOrderId.forSignal(signal).value().length(), "a UUID, as Upbit's identifier takes");
    }

    @Test
    void itsOwnRequestSubmissionAndRiskRejectionAreOursTheExchangesRejectionIsNot() {
        Instant t = Instant.EPOCH;
        assertTrue(OrderManager.ours(DomainEvent.of(new OrderRequested(ID, "s", OrderSpec.marketBuy(BTC, BigDecimal.TEN)), t)));
        assertTrue(OrderManager.ours(DomainEvent.of(new OrderSubmitted(ID, "s", BTC, "paper"), t)));
        assertTrue(OrderManager.ours(DomainEvent.of(new OrderRejected(ID, "s", BTC, "risk:max.open.orders", "r"), t)));
        assertFalse(OrderManager.ours(DomainEvent.of(new OrderRejected(ID, "s", BTC, "insufficient_funds_bid", "r"), t)));
    }

    private static <T> T proxy(Class<T> type, java.lang.reflect.InvocationHandler handler) {
        return type.cast(java.lang.reflect.Proxy.newProxyInstance(OrderPathTest.class.getClassLoader(), new Class<?>[] {type},
                handler));
    }

    /**
     * The blotter is the one view of orders in flight, so the manager says when a strategy's first order goes in
     * flight and when its last one ends: beside its request and submission, and after the answer that ended it.
     * A risk rejection changes nothing; a second order of a busy strategy neither.
     */
    @Test
    void itPublishesAStrategysTradingAndIdleAsTheBlotterChanges() {
        RecordingEventBus bus = new RecordingEventBus();
        OrderManager manager = manager(bus);
        java.util.concurrent.atomic.AtomicBoolean refuse = new java.util.concurrent.atomic.AtomicBoolean();
        manager.bindRisk(request -> refuse.get()
                ? Optional.of(new RiskBreached(request.payload().orderId(), "s", BTC, "max.open.orders", BigDecimal.ONE,
                        BigDecimal.TEN, "too many"))
                : Optional.empty());

        ClientOrderId first = signal(manager, "s");
        ClientOrderId second = signal(manager, "s");
        refuse.set(true);
        signal(manager, "s");
        assertEquals(List.of("s:IDLE>TRADING[" + first + "]"), changes(bus), "one change, beside the first request only");
        DomainEvent<?> change = bus.published().stream().filter(e -> e.payload() instanceof TradingStateChanged).findFirst()
                .orElseThrow();
        assertEquals(OrderSubmitted.class, bus.published().get(bus.published().indexOf(change) - 1).payload().getClass(),
                "published after the request and its submission");

        answer(manager, new io.autotrade.api.trading.OrderAccepted(first, "s", BTC, "v1"));
        answer(manager, new OrderFilled(first, "s", BTC, Side.BID, "t1", BigDecimal.TEN, BigDecimal.ONE, BigDecimal.ZERO, true));
        assertEquals(1, changes(bus).size(), "the second order still holds the strategy");
        answer(manager, new OrderCanceled(second, "s", BTC, "canceled"));
        assertEquals(List.of("s:IDLE>TRADING[" + first + "]", "s:TRADING>IDLE[]"), changes(bus));
        assertEquals(List.of(), manager.openOrders());
    }

    /** @return a manager with a paper exchange bound (its own registration is a stub) */
    private static OrderManager manager(RecordingEventBus bus) {
        OrderManager manager = new OrderManager(bus, new MemoryEventStore(),
                proxy(BundleContext.class, (p, m, a) -> proxy(ServiceRegistration.class, (p2, m2, a2) -> null)));
        manager.bindExchange(proxy(Exchange.class, (p, m, a) -> m.getName().equals("id") ? "paper" : null),
                proxy(ServiceReference.class, (p, m, a) -> m.getName().equals("equals") ? p == a[0] : 0));
        return manager;
    }

    /**
     * A second sell of a position already being sold (a strategy's signal racing a protective exit) is refused; a
     * retried delivery of the first sell's own signal is not taken for a second sell.
     */
    @Test
    void aSellWhileThePositionIsBeingSoldIsRefusedButARetryOfTheSameSignalIsNot() {
        RecordingEventBus bus = new RecordingEventBus();
        OrderManager manager = manager(bus);
        manager.bindRisk(request -> Optional.empty());
        DomainEvent<SignalGenerated> exit = DomainEvent.of(new SignalGenerated("s", OrderSpec.marketSell(BTC, BigDecimal.ONE),
                "stop", new io.autotrade.api.trading.Exit(io.autotrade.api.trading.ExitReason.STOP_LOSS, BigDecimal.TEN)),
                Instant.EPOCH);
        manager.handleEvent(new Event(exit.topic(), Map.of(EventProperties.EVENT, exit)));
        manager.handleEvent(new Event(exit.topic(), Map.of(EventProperties.EVENT, exit))); // the bus retries it
        DomainEvent<SignalGenerated> sell = DomainEvent.of(new SignalGenerated("s", OrderSpec.marketSell(BTC, BigDecimal.ONE),
                "RSI down"), Instant.EPOCH);
        manager.handleEvent(new Event(sell.topic(), Map.of(EventProperties.EVENT, sell)));
        List<String> outcomes = bus.published().stream().map(DomainEvent::payload)
                .filter(p -> p instanceof OrderSubmitted || p instanceof OrderRejected)
                .map(p -> p instanceof OrderRejected r ? r.code() : "submitted").toList();
        assertEquals(List.of("submitted", "submitted", OrderManager.POSITION_CLOSING), outcomes,
                "the exit, the exit again (its retry: the same order), then the strategy's sell refused");
        assertEquals(io.autotrade.api.trading.ExitReason.STOP_LOSS,
                manager.order(ClientOrderId.forSignal(exit.eventId())).orElseThrow().exitReason());
    }

    private static ClientOrderId signal(OrderManager manager, String strategy) {
        DomainEvent<SignalGenerated> signal = DomainEvent.of(new SignalGenerated(strategy,
                OrderSpec.marketBuy(BTC, new BigDecimal("100000")), "test"), Instant.EPOCH);
        manager.handleEvent(new Event(signal.topic(), Map.of(EventProperties.EVENT, signal)));
        return ClientOrderId.forSignal(signal.eventId());
    }

    private static void answer(OrderManager manager, io.autotrade.api.event.EventPayload payload) {
        DomainEvent<?> event = DomainEvent.of(payload, Instant.EPOCH);
        manager.handleEvent(new Event(event.topic(), Map.of(EventProperties.EVENT, event)));
    }

    private static List<String> changes(RecordingEventBus bus) {
        return bus.payloads(TradingStateChanged.class).stream()
                .map(c -> c.scope() + ":" + c.from() + ">" + c.to() + c.openOrders()).toList();
    }
}
