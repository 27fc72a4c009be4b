package io.autotrade.exchange.paper.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import io.autotrade.api.event.DomainEvent;
import io.autotrade.api.event.EventProperties;
import io.autotrade.api.trading.ClientOrderId;
import io.autotrade.api.trading.Market;
import io.autotrade.api.trading.OrderAccepted;
import io.autotrade.api.trading.OrderRequested;
import io.autotrade.api.trading.OrderSpec;
import io.autotrade.api.trading.OrderSubmitted;
import io.autotrade.testing.MemoryEventStore;
import io.autotrade.testing.RecordingEventBus;
import java.lang.annotation.Annotation;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.osgi.service.event.Event;

/**
 * The paper exchange takes orders from {@code order.submitted} only, each once: after a restart the book
 * holds the orders it took (handled, or answered in stores from before it took them as events), and a
 * submission it had not taken comes again from the bus and is taken then, once.
 */
class PaperExchangeRecoveryTest {
    private static final Market BTC = Market.of("KRW-BTC");
    private static final Instant T = Instant.parse("2024-10-15T00:00:00Z");

    private static PaperExchange.Config defaults() {
        return new PaperExchange.Config() {
            public Class<? extends Annotation> annotationType() {
                return PaperExchange.Config.class;
            }

            public String[] initial_balances() {
                return new String[] {"KRW=10000000"};
            }

            public String fee_rate() {
                return "0.0005";
            }

            public String[] min_order_total() {
                return new String[] {"KRW=5000"};
            }

            public String participation_rate() {
                return "1";
            }
        };
    }

    private static DomainEvent<OrderRequested> limitBuy(String id) {
        return DomainEvent.of(new OrderRequested(new ClientOrderId(id), "s", OrderSpec.limitBuy(BTC, new BigDecimal("0.01"),
                new BigDecimal("90000000"))), T);
    }

    @Test
    void aSubmissionTakenBeforeIsInTheBookAndOneNotTakenIsTakenOnceWhenItComesAgain() {
        DomainEvent<OrderRequested> old = limitBuy("answered");
        DomainEvent<?> oldSubmitted = DomainEvent.causedBy(old, new OrderSubmitted(new ClientOrderId("answered"), "s", BTC, "paper"), T);
        DomainEvent<?> oldAccepted = DomainEvent.causedBy(old, new OrderAccepted(new ClientOrderId("answered"), "s", BTC, "paper-1"), T);
        DomainEvent<OrderRequested> pending = limitBuy("pending");
        DomainEvent<?> pendingSubmitted = DomainEvent.causedBy(pending, new OrderSubmitted(new ClientOrderId("pending"), "s", BTC,
                "paper"), T);
        MemoryEventStore store = MemoryEventStore.of(List.of(old, oldSubmitted, oldAccepted, pending, pendingSubmitted));
        RecordingEventBus bus = new RecordingEventBus();
        PaperExchange exchange = new PaperExchange(bus, store, defaults());

        assertEquals(0, new BigDecimal("900450").compareTo(exchange.balances().get("KRW").locked()),
                "the answered order is in the book again (0.01 BTC at 90,000,000 with the fee locked); the pending one is not");

        Event redelivered = new Event(pendingSubmitted.topic(), Map.of(EventProperties.EVENT, pendingSubmitted));
        exchange.handleEvent(redelivered);
        exchange.handleEvent(redelivered);
        assertEquals(1, bus.payloads(OrderAccepted.class).size(), "taken once: " + bus.published());
        assertInstanceOf(OrderAccepted.class, bus.published().get(0).payload());
        assertEquals(0, new BigDecimal("1800900").compareTo(exchange.balances().get("KRW").locked()), "both orders in the book");
    }
}
