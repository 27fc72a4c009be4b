package io.autotrade.strategy.macross.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.autotrade.api.event.DomainEvent;
import io.autotrade.api.event.EventPayload;
import io.autotrade.api.event.EventProperties;
import io.autotrade.api.trading.Candle;
import io.autotrade.api.trading.CandleClosed;
import io.autotrade.api.trading.ClientOrderId;
import io.autotrade.api.trading.Market;
import io.autotrade.api.trading.OrderState;
import io.autotrade.api.trading.OrderType;
import io.autotrade.api.trading.Position;
import io.autotrade.api.trading.PositionUpdated;
import io.autotrade.api.trading.SignalGenerated;
import io.autotrade.testing.Configs;
import io.autotrade.testing.MemoryBlotter;
import io.autotrade.testing.MemoryEventStore;
import io.autotrade.testing.RecordingEventBus;
import java.lang.annotation.Annotation;
import java.lang.reflect.Proxy;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.event.Event;

class MaCrossStrategyTest {
    private static final Market BTC = Market.of("KRW-BTC");
    private static final String HANDLER = "strategy.macross/macross-KRW-BTC";
    private final RecordingEventBus bus = new RecordingEventBus();
    private final MemoryEventStore store = new MemoryEventStore();
    private final MemoryBlotter blotter = new MemoryBlotter();
    /** Every event a strategy handled, as the processing log would list it. */
    private final List<DomainEvent<?>> handled = new ArrayList<>();
    private Instant clock = Instant.parse("2024-01-01T00:00:00Z");

    private static BundleContext context() {
        ServiceRegistration<?> registration = (ServiceRegistration<?>) Proxy.newProxyInstance(
                MaCrossStrategyTest.class.getClassLoader(), new Class<?>[] {ServiceRegistration.class}, (p, m, a) -> null);
        return (BundleContext) Proxy.newProxyInstance(MaCrossStrategyTest.class.getClassLoader(),
                new Class<?>[] {BundleContext.class}, (p, m, a) -> registration);
    }

    /** @return an instance with these settings (order amount 1,000,000 KRW), as SCR would make it */
    private MaCrossStrategy macross(int fast, int slow, String type) {
        Map<String, Object> properties = Map.of("market", "KRW-BTC", "fast.period", fast, "slow.period", slow,
                "ma.type", type, "order.amount", "1000000");
        return new MaCrossStrategy(bus, store, blotter, null, null, context(),
                Configs.of(MaCrossStrategy.Config.class, properties), properties);
    }

    private MaCrossStrategy start() {
        return macross(2, 3, "SMA");
    }

    private void send(MaCrossStrategy strategy, EventPayload payload) {
        DomainEvent<?> event = DomainEvent.of(payload, clock);
        handled.add(event);
        strategy.handleEvent(new Event("autotrade/x", Map.of(EventProperties.EVENT, event)));
    }

    private void close(MaCrossStrategy strategy, String... prices) {
        for (String price : prices) {
            BigDecimal p = new BigDecimal(price);
            clock = clock.plus(Duration.ofDays(1));
            send(strategy, new CandleClosed(new Candle(BTC, Duration.ofDays(1), clock, p, p, p, p, BigDecimal.ONE, null)));
        }
    }

    private void filled(MaCrossStrategy strategy, String volume) {
        send(strategy, new PositionUpdated(new Position(BTC, new BigDecimal(volume), new BigDecimal("1000000"),
                BigDecimal.ZERO, BigDecimal.ZERO, new BigDecimal("10"), clock)));
        lastOrder(OrderState.FILLED);
    }

    /** Puts the order of the last signal in the blotter, in that state. */
    private void lastOrder(OrderState state) {
        DomainEvent<?> signal = bus.published().get(bus.published().size() - 1);
        blotter.put(ClientOrderId.forSignal(signal.eventId()), "macross-KRW-BTC", ((SignalGenerated) signal.payload()).order(),
                state);
    }

    private List<SignalGenerated> signals() {
        return bus.published().stream().map(e -> (SignalGenerated) e.payload()).toList();
    }

    @Test
    void buysOnAGoldenCrossWhileFlatAndSellsTheWholePositionOnADeathCross() {
        MaCrossStrategy strategy = start();
        close(strategy, "10", "9", "8"); // fast 8.5, slow 9: the first difference, -0.5
        assertTrue(signals().isEmpty(), "no signal before a previous difference exists");
        close(strategy, "12"); // fast 10, slow 9.67: crosses up
        assertEquals(1, signals().size());
        SignalGenerated buy = signals().get(0);
        assertEquals(OrderType.PRICE, buy.order().type());
        assertEquals(new BigDecimal("1000000"), buy.order().price());
        assertTrue(buy.reason().startsWith("golden cross: SMA(2) 10.00 rose above SMA(3) 9.67"), buy.reason());

        close(strategy, "5", "14"); // a death cross and a golden cross while the buy is in flight
        assertEquals(1, signals().size(), "nothing while the order manager has not taken its signal yet");
        lastOrder(OrderState.ACCEPTED);
        close(strategy, "5", "14");
        assertEquals(1, signals().size(), "nothing while its own order is in flight");
        filled(strategy, "0.1");
        close(strategy, "15", "3"); // still above, then fast 9 < slow 10.67: crosses down
        assertEquals(2, signals().size());
        SignalGenerated sell = signals().get(1);
        assertEquals(OrderType.MARKET, sell.order().type());
        assertEquals(new BigDecimal("0.1"), sell.order().volume(), "sells the whole position");
        assertTrue(sell.reason().startsWith("death cross"), sell.reason());
    }

    @Test
    void noBuyWhileLongAndNoSellWhileFlat() {
        MaCrossStrategy strategy = start();
        close(strategy, "10", "11", "12", "8"); // first difference > 0, then a death cross while flat
        assertTrue(signals().isEmpty());
        send(strategy, new PositionUpdated(new Position(BTC, new BigDecimal("0.2"), new BigDecimal("1000000"),
                BigDecimal.ZERO, BigDecimal.ZERO, new BigDecimal("10"), clock)));
        close(strategy, "20"); // golden cross while long (bought elsewhere)
        assertTrue(signals().isEmpty());
    }

    @Test
    void aReplacedInstanceWarmsUpFromWhatItHandledAndSignalsNothingTwice() {
        MaCrossStrategy first = start();
        close(first, "10", "9", "8", "12"); // buys
        assertEquals(1, signals().size());
        store.append(bus.published().get(0));
        handled.forEach(store::append);
        store.handledBy(HANDLER, handled);

        MaCrossStrategy second = start(); // the new bundle version, same instance id
        assertEquals(1, signals().size(), "the warm-up publishes nothing");
        close(second, "5", "14");
        assertEquals(1, signals().size(), "it knows its buy is still in flight");
        filled(second, "0.1");
        close(second, "15", "3");
        assertEquals(2, signals().size(), "its averages continued from the old instance's candles: the death cross is seen");
        assertEquals(new BigDecimal("0.1"), signals().get(1).order().volume());
    }

    @Test
    void refusesInconsistentSettingsNamingThem() {
        IllegalArgumentException order = assertThrows(IllegalArgumentException.class,
                () -> macross(30, 10, "SMA"));
        assertTrue(order.getMessage().contains("fast.period 30 must be below slow.period 10"));
        IllegalArgumentException type = assertThrows(IllegalArgumentException.class,
                () -> macross(5, 10, "WMA"));
        assertTrue(type.getMessage().contains("ma.type must be SMA or EMA"));
        assertEquals("EMA", macross(5, 10, "ema").settings().get("ma.type"));
    }
}
