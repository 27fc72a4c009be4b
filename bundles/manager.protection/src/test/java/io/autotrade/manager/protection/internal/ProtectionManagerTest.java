package io.autotrade.manager.protection.internal;

import static io.autotrade.manager.protection.internal.GuardTest.BTC;
import static io.autotrade.manager.protection.internal.GuardTest.d;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.autotrade.api.event.DomainEvent;
import io.autotrade.api.event.EventPayload;
import io.autotrade.api.event.EventProperties;
import io.autotrade.api.strategy.Strategy;
import io.autotrade.api.trading.ClientOrderId;
import io.autotrade.api.trading.ExitReason;
import io.autotrade.api.trading.Market;
import io.autotrade.api.trading.OrderFilled;
import io.autotrade.api.trading.OrderRejected;
import io.autotrade.api.trading.PriceRange;
import io.autotrade.api.trading.ProtectionUpdated;
import io.autotrade.api.trading.Side;
import io.autotrade.api.trading.SignalGenerated;
import io.autotrade.testing.MemoryEventStore;
import io.autotrade.testing.RecordingEventBus;
import java.lang.reflect.Proxy;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.osgi.service.event.Event;
import org.osgi.service.log.Logger;
import org.osgi.service.log.LoggerFactory;

/** The component: exits as signals on the one order path, its state as events, and a restart from them. */
class ProtectionManagerTest {
    private static final Instant T = GuardTest.T;
    private final RecordingEventBus bus = new RecordingEventBus();
    private final MemoryEventStore store = new MemoryEventStore();

    private static final LoggerFactory LOGS = (LoggerFactory) Proxy.newProxyInstance(ProtectionManagerTest.class.getClassLoader(),
            new Class<?>[] {LoggerFactory.class}, (p, m, a) -> Proxy.newProxyInstance(ProtectionManagerTest.class.getClassLoader(),
                    new Class<?>[] {Logger.class}, (p2, m2, a2) -> null));

    /** An exchange whose price unit is 1,000 KRW. */
    private static final io.autotrade.api.exchange.Exchange EXCHANGE = (io.autotrade.api.exchange.Exchange) Proxy.newProxyInstance(
            ProtectionManagerTest.class.getClassLoader(), new Class<?>[] {io.autotrade.api.exchange.Exchange.class},
            (p, m, a) -> m.getName().equals("roundToTick")
                    ? GuardTest.THOUSAND.round((Market) a[0], (java.math.BigDecimal) a[1], (java.math.RoundingMode) a[2]) : null);

    private ProtectionManager started() {
        ProtectionManager manager = new ProtectionManager(bus, store, LOGS);
        manager.exchange = EXCHANGE;
        return manager;
    }

    private ProtectionManager manager() {
        ProtectionManager manager = started();
        manager.bindStrategy(strategy("s", Map.of("market", "KRW-BTC", "stop.loss", "0.02")));
        return manager;
    }

    private static Strategy strategy(String id, Map<String, String> settings) {
        return new Strategy() {
            public String id() {
                return id;
            }

            public Market market() {
                return BTC;
            }

            public Map<String, String> settings() {
                return settings;
            }
        };
    }

    /** Delivers the event; what the manager publishes is stored, as the bus would. */
    private void deliver(ProtectionManager manager, EventPayload payload) {
        int before = bus.published().size();
        manager.handleEvent(new Event("x", Map.of(EventProperties.EVENT, DomainEvent.of(payload, T))));
        bus.published().subList(before, bus.published().size()).forEach(store::append);
    }

    private List<SignalGenerated> exits() {
        return bus.payloads(SignalGenerated.class);
    }

    @Test
    void aStopReachedBecomesOneExitSignalUnderTheStrategysIdAndAFailedExitIsSentAgain() {
        ProtectionManager manager = manager();
        deliver(manager, new OrderFilled(new ClientOrderId("buy"), "s", BTC, Side.BID, "t1", d("100000000"), d("0.01"), d("500"), true));
        ProtectionUpdated armed = bus.payloads(ProtectionUpdated.class).get(0);
        assertEquals(d("98000000"), armed.stopLevel());
        deliver(manager, new PriceRange(BTC, T, d("99000000"), d("97000000"), d("99500000")));
        deliver(manager, new PriceRange(BTC, T, d("97000000"), d("96000000"), d("97500000")));
        assertEquals(1, exits().size(), "one exit while it is in flight");
        SignalGenerated exit = exits().get(0);
        assertEquals("s", exit.strategyId());
        assertEquals(d("0.01"), exit.order().volume());
        assertEquals(ExitReason.STOP_LOSS, exit.exit().reason());
        assertEquals(d("98000000"), exit.exit().triggerPrice());
        ClientOrderId order = bus.payloads(ProtectionUpdated.class).get(1).exitOrder();
        assertNotNull(order);

        deliver(manager, new OrderRejected(order, "s", BTC, "insufficient_funds_ask", "test"));
        deliver(manager, new PriceRange(BTC, T, d("97000000"), d("96000000"), d("97500000")));
        assertEquals(2, exits().size(), "sent again after the first failed");
        assertEquals(d("97000000"), exits().get(1).exit().triggerPrice(), "now at the open, already below the stop");
    }

    @Test
    void aRestartGuardsThePositionAsItWasAndExitsAtTheFirstPriceBeyondTheLevel() {
        ProtectionManager first = manager();
        deliver(first, new OrderFilled(new ClientOrderId("buy"), "s", BTC, Side.BID, "t1", d("100000000"), d("0.01"), d("500"), true));

        ProtectionManager restarted = started(); // no strategy service yet: the rules are stored
        deliver(restarted, new PriceRange(BTC, T, d("90000000"), d("90000000"), d("90000000")));
        assertEquals(1, exits().size());
        assertEquals(d("90000000"), exits().get(0).exit().triggerPrice(), "crossed while it was down: out at the first price");

        ProtectionManager again = started();
        deliver(again, new PriceRange(BTC, T, d("89000000"), d("89000000"), d("89000000")));
        assertEquals(1, exits().size(), "its exit in flight is remembered too: no second exit");
        deliver(again, new OrderFilled(bus.payloads(ProtectionUpdated.class).get(1).exitOrder(), "s", BTC,
                Side.ASK, "t2", d("90000000"), d("0.01"), d("450"), true));
        ProtectionUpdated flat = bus.payloads(ProtectionUpdated.class).get(bus.payloads(ProtectionUpdated.class).size() - 1);
        assertEquals(0, flat.volume().signum());
        assertNull(flat.stopLevel());
    }

    @Test
    void anOperatorClosesAPositionAtMarketOnceWithTheReasonOnTheExit() {
        ProtectionManager manager = manager();
        assertThrows(IllegalArgumentException.class, () -> manager.close("s", ExitReason.MANUAL), "no position yet");
        deliver(manager, new OrderFilled(new ClientOrderId("buy"), "s", BTC, Side.BID, "t1", d("100000000"), d("0.01"), d("500"), true));
        assertThrows(IllegalArgumentException.class, () -> manager.close("s", ExitReason.MANUAL), "no price seen yet");
        deliver(manager, new PriceRange(BTC, T, d("101000000"), d("100500000"), d("101500000")));
        assertEquals(1, manager.guarded().size());
        ClientOrderId order = manager.close("s", ExitReason.HALT);
        SignalGenerated exit = exits().get(0);
        assertEquals(ExitReason.HALT, exit.exit().reason());
        assertEquals(d("101000000"), exit.exit().triggerPrice(), "the last price seen (no position book here)");
        assertEquals(order, bus.payloads(ProtectionUpdated.class).get(bus.payloads(ProtectionUpdated.class).size() - 1).exitOrder());
        assertThrows(IllegalArgumentException.class, () -> manager.close("s", ExitReason.MANUAL), "its exit is in flight");
        assertThrows(IllegalArgumentException.class, () -> manager.close("s", ExitReason.STOP_LOSS), "stops are the levels'");
    }

    @Test
    void newRulesApplyToTheOpenPosition() {
        ProtectionManager manager = manager();
        deliver(manager, new OrderFilled(new ClientOrderId("buy"), "s", BTC, Side.BID, "t1", d("100000000"), d("0.01"), d("500"), true));
        manager.bindStrategy(strategy("s", Map.of("market", "KRW-BTC", "stop.loss", "0.05", "take.profit", "0.1")));
        ProtectionUpdated now = bus.payloads(ProtectionUpdated.class).get(bus.payloads(ProtectionUpdated.class).size() - 1);
        assertEquals(d("95000000"), now.stopLevel());
        assertEquals(d("110000000"), now.targetLevel());
        assertEquals(Map.of("stop.loss", "0.05", "take.profit", "0.1"), now.rules());
    }
}
