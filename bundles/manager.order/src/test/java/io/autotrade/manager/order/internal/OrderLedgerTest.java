package io.autotrade.manager.order.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.autotrade.api.event.DomainEvent;
import io.autotrade.api.event.EventPayload;
import io.autotrade.api.portfolio.OrderView;
import io.autotrade.api.trading.CandleOpened;
import io.autotrade.api.trading.ClientOrderId;
import io.autotrade.api.trading.Market;
import io.autotrade.api.trading.OrderAccepted;
import io.autotrade.api.trading.OrderCanceled;
import io.autotrade.api.trading.OrderFilled;
import io.autotrade.api.trading.OrderRejected;
import io.autotrade.api.trading.OrderRequested;
import io.autotrade.api.trading.OrderSpec;
import io.autotrade.api.trading.OrderState;
import io.autotrade.api.trading.OrderSubmitted;
import io.autotrade.api.trading.Side;
import java.math.BigDecimal;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class OrderLedgerTest {
    private static final Market BTC = Market.of("KRW-BTC");
    private static final ClientOrderId ID = new ClientOrderId("c1");
    private final OrderLedger ledger = new OrderLedger();
    private long clock;

    private void apply(EventPayload payload) {
        ledger.apply(DomainEvent.of(payload, Instant.ofEpochSecond(++clock)));
    }

    private OrderState state() {
        return ledger.get(ID).orElseThrow().state();
    }

    private static OrderFilled fill(String volume, boolean complete) {
        return new OrderFilled(ID, "s", BTC, Side.ASK, "t" + volume, new BigDecimal("100"), new BigDecimal(volume),
                new BigDecimal("0.05"), complete);
    }

    @Test
    void followsAnOrderThroughPartialFillsToFilled() {
        apply(new OrderRequested(ID, "s", OrderSpec.marketSell(BTC, new BigDecimal("3"))));
        assertEquals(OrderState.REQUESTED, state());
        apply(new OrderSubmitted(ID, "s", BTC, "paper"));
        apply(new OrderAccepted(ID, "s", BTC, "v-1"));
        apply(fill("1", false));
        assertEquals(OrderState.PARTIALLY_FILLED, state());
        apply(fill("1.5", false));
        apply(fill("0.5", true));
        OrderView view = ledger.get(ID).orElseThrow();
        assertEquals(OrderState.FILLED, view.state());
        assertEquals(0, new BigDecimal("3").compareTo(view.executedVolume()));
        assertEquals(0, new BigDecimal("300").compareTo(view.executedFunds()));
        assertEquals(0, new BigDecimal("0.15").compareTo(view.paidFee()));
        assertEquals("v-1", view.venueOrderId());
        assertTrue(ledger.open().isEmpty());
    }

    @Test
    void illegalTransitionsAreErrorsAndLeaveTheOrderAsItWas() {
        apply(new OrderRequested(ID, "s", OrderSpec.marketSell(BTC, BigDecimal.ONE)));
        IllegalStateException skipped = assertThrows(IllegalStateException.class, () -> apply(fill("1", true)));
        assertTrue(skipped.getMessage().contains("REQUESTED -> FILLED"), skipped.getMessage());
        assertEquals(OrderState.REQUESTED, state());

        apply(new OrderRejected(ID, "s", BTC, "insufficient_funds_ask", "no coins"));
        assertEquals(OrderState.REJECTED, state());
        assertEquals("insufficient_funds_ask: no coins", ledger.get(ID).orElseThrow().reason());
        assertThrows(IllegalStateException.class, () -> apply(new OrderAccepted(ID, "s", BTC, "late")));
        assertThrows(IllegalStateException.class, () -> apply(new OrderCanceled(ID, "s", BTC, "late")));
        assertEquals(OrderState.REJECTED, state());
    }

    @Test
    void eventsForUnknownOrdersAndDuplicateRequestsAreErrors() {
        assertThrows(IllegalStateException.class, () -> apply(new OrderAccepted(ID, "s", BTC, "v")));
        apply(new OrderRequested(ID, "s", OrderSpec.marketSell(BTC, BigDecimal.ONE)));
        assertThrows(IllegalStateException.class,
                () -> apply(new OrderRequested(ID, "s", OrderSpec.marketSell(BTC, BigDecimal.TEN))));
        assertEquals(0, BigDecimal.ONE.compareTo(ledger.get(ID).orElseThrow().spec().volume()));
    }

    @Test
    void ignoresEventsThatAreNotAboutOrders() {
        assertFalse(ledger.apply(DomainEvent.of(new CandleOpened(BTC, Instant.EPOCH, BigDecimal.ONE), Instant.EPOCH)));
        assertTrue(ledger.all().isEmpty());
    }
}
