package io.autotrade.manager.order.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.autotrade.api.event.DomainEvent;
import io.autotrade.api.event.EventProperties;
import io.autotrade.api.portfolio.OrderView;
import io.autotrade.api.trading.ClientOrderId;
import io.autotrade.api.trading.Market;
import io.autotrade.api.trading.OrderAccepted;
import io.autotrade.api.trading.OrderFilled;
import io.autotrade.api.trading.OrderRejected;
import io.autotrade.api.trading.OrderRequested;
import io.autotrade.api.trading.OrderSpec;
import io.autotrade.api.trading.OrderState;
import io.autotrade.api.trading.OrderSubmitted;
import io.autotrade.api.trading.Side;
import io.autotrade.api.trading.SignalGenerated;
import io.autotrade.api.trading.TradingStateChanged;
import io.autotrade.testing.MemoryEventStore;
import io.autotrade.testing.RecordingEventBus;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.osgi.service.event.Event;

/**
 * The blotter after a restart: the order manager's own events (stored with the record of the signal it
 * handled) are in it, the answers it handled too; an answer it had not handled yet comes again from the bus
 * and is applied then, once; its own risk rejection delivered back is not applied twice.
 */
class OrderManagerRecoveryTest {
    private static final Market BTC = Market.of("KRW-BTC");
    private static final Instant T = Instant.parse("2024-10-15T00:00:00Z");

    private static Event osgi(DomainEvent<?> event) {
        return new Event(event.topic(), Map.of(EventProperties.EVENT, event));
    }

    @Test
    void theBlotterHoldsWhatWasHandledAndTakesThePendingRestOnce() {
        DomainEvent<SignalGenerated> signal = DomainEvent.of(new SignalGenerated("s", OrderSpec.marketBuy(BTC,
                new BigDecimal("100000")), "test"), T);
        ClientOrderId id = ClientOrderId.forSignal(signal.eventId());
        DomainEvent<OrderRequested> request = DomainEvent.causedBy(signal, new OrderRequested(id, "s",
                OrderSpec.marketBuy(BTC, new BigDecimal("100000"))), T);
        DomainEvent<?> submitted = DomainEvent.causedBy(request, new OrderSubmitted(id, "s", BTC, "paper"), T);
        DomainEvent<?> accepted = DomainEvent.causedBy(request, new OrderAccepted(id, "s", BTC, "paper-1"), T);
        DomainEvent<?> filled = DomainEvent.causedBy(request, new OrderFilled(id, "s", BTC, Side.BID, "paper-1-1",
                new BigDecimal("100000000"), new BigDecimal("0.00099950"), new BigDecimal("49.975"), true), T);

        DomainEvent<SignalGenerated> refusedSignal = DomainEvent.of(new SignalGenerated("s", OrderSpec.marketBuy(BTC,
                new BigDecimal("100000")), "test"), T);
        ClientOrderId refusedId = ClientOrderId.forSignal(refusedSignal.eventId());
        DomainEvent<OrderRequested> refusedRequest = DomainEvent.causedBy(refusedSignal, new OrderRequested(refusedId, "s",
                OrderSpec.marketBuy(BTC, new BigDecimal("100000"))), T);
        DomainEvent<?> riskRejection = DomainEvent.causedBy(refusedRequest, new OrderRejected(refusedId, "s", BTC,
                "risk:max.open.orders", "2 orders would be in flight"), T);

        MemoryEventStore store = MemoryEventStore.of(List.of(signal, request, submitted, accepted, filled, refusedSignal,
                refusedRequest, riskRejection))
                .handledBy(OrderManager.HANDLER, List.of(signal, accepted, refusedSignal)); // the fill and the rejection: pending
        RecordingEventBus bus = new RecordingEventBus();
        OrderManager manager = new OrderManager(bus, store, null);

        assertEquals(OrderState.ACCEPTED, manager.order(id).map(OrderView::state).orElseThrow(), "the fill is not in yet");
        assertEquals(OrderState.REJECTED, manager.order(refusedId).map(OrderView::state).orElseThrow(),
                "its own rejection is in, handled or not");

        manager.handleEvent(osgi(filled)); // the bus redelivers what was pending
        manager.handleEvent(osgi(riskRejection));
        manager.handleEvent(osgi(request)); // a delivery of its own request (from before it applied them itself)
        assertEquals(OrderState.FILLED, manager.order(id).map(OrderView::state).orElseThrow());
        assertEquals(0, new BigDecimal("0.00099950").compareTo(manager.order(id).orElseThrow().executedVolume()),
                "the fill applied once");
        assertEquals(OrderState.REJECTED, manager.order(refusedId).map(OrderView::state).orElseThrow());
        assertEquals(List.of(), manager.openOrders());
        assertEquals(List.of("s:TRADING>IDLE"), bus.payloads(TradingStateChanged.class).stream()
                .map(c -> c.scope() + ":" + c.from() + ">" + c.to()).toList(), "the redelivered fill ended the strategy's last order");
    }
}
