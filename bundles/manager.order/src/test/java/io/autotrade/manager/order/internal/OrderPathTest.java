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
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** The order manager's one handler: the same signal makes the same order; it knows its own events from the exchanges'. */
class OrderPathTest {
    private static final Market BTC = Market.of("KRW-BTC");
    private static final ClientOrderId ID = new ClientOrderId("o1");

    @Test
    void aRedeliveredSignalMakesTheSameOrderAndAnotherSignalAnotherOrder() {
        UUID signal = UUID.randomUUID();
        assertEquals(OrderManager.orderIdFor(signal), OrderManager.orderIdFor(signal));
        assertNotEquals(OrderManager.orderIdFor(signal), OrderManager.orderIdFor(UUID.randomUUID()));
        assertEquals(36, OrderManager.orderIdFor(signal).value().length(), "a UUID, as Upbit's identifier takes");
    }

    @Test
    void itsOwnRequestSubmissionAndRiskRejectionAreOursTheExchangesRejectionIsNot() {
        Instant t = Instant.EPOCH;
        assertTrue(OrderManager.ours(DomainEvent.of(new OrderRequested(ID, "s", OrderSpec.marketBuy(BTC, BigDecimal.TEN)), t)));
        assertTrue(OrderManager.ours(DomainEvent.of(new OrderSubmitted(ID, "s", BTC, "paper"), t)));
        assertTrue(OrderManager.ours(DomainEvent.of(new OrderRejected(ID, "s", BTC, "risk:max.open.orders", "r"), t)));
        assertFalse(OrderManager.ours(DomainEvent.of(new OrderRejected(ID, "s", BTC, "insufficient_funds_bid", "r"), t)));
    }
}
