package io.autotrade.strategy.rsi.internal;

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
import io.autotrade.api.trading.SelfMatchPrevention;
import io.autotrade.api.trading.TimeInForce;
import io.autotrade.api.trading.Position;
import io.autotrade.api.trading.PositionUpdated;
import io.autotrade.api.trading.SignalGenerated;
import java.lang.annotation.Annotation;
import java.lang.reflect.Proxy;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import io.autotrade.testing.Configs;
import io.autotrade.testing.MemoryBlotter;
import io.autotrade.testing.MemoryEventStore;
import io.autotrade.testing.RecordingEventBus;
import org.junit.jupiter.api.Test;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.event.Event;

class RsiStrategyTest {
    private static final Market BTC = Market.of("KRW-BTC");
    private final RecordingEventBus bus = new RecordingEventBus();
    private final List<DomainEvent<?>> published = bus.published();
    private final MemoryBlotter blotter = new MemoryBlotter();
    /** Equity 20,000,000 KRW, of which 5,000,000 can be spent now. */
    private final io.autotrade.api.portfolio.Account account = new io.autotrade.api.portfolio.Account() {
        public java.util.Optional<BigDecimal> equity(String quote, Market market, BigDecimal price) {
            return java.util.Optional.of(new BigDecimal("20000000"));
        }

        public java.util.Optional<BigDecimal> buyingPower(Market market) {
            return java.util.Optional.of(new BigDecimal("5000000"));
        }
    };
    private Instant clock = Instant.parse("2024-01-01T00:00:00Z");

    private static BundleContext context() {
        ServiceRegistration<?> registration = (ServiceRegistration<?>) Proxy.newProxyInstance(
                RsiStrategyTest.class.getClassLoader(), new Class<?>[] {ServiceRegistration.class}, (p, m, a) -> null);
        return (BundleContext) Proxy.newProxyInstance(RsiStrategyTest.class.getClassLoader(),
                new Class<?>[] {BundleContext.class}, (p, m, a) -> registration);
    }

    private static Map<String, Object> config(int period, String oversold, String overbought) {
        return config(period, oversold, overbought, "market", "", "");
    }

    private static Map<String, Object> config(int period, String oversold, String overbought, String orderType, String tif,
            String smp) {
        return new java.util.HashMap<>(Map.of("market", "KRW-BTC", "period", period, "oversold", oversold,
                "overbought", overbought, "order.amount", "1000000", "order.type", orderType,
                "order.time.in.force", tif, "order.smp.type", smp));
    }

    /** @return an instance with these settings, as SCR would make it */
    private RsiStrategy rsi(Map<String, Object> properties) {
        return new RsiStrategy(bus, new MemoryEventStore(), blotter, account, null, context(),
                Configs.of(RsiStrategy.Config.class, properties), properties);
    }

    private void send(RsiStrategy strategy, EventPayload payload) {
        DomainEvent<?> event = DomainEvent.of(payload, clock);
        strategy.handleEvent(new Event("autotrade/x", Map.of(EventProperties.EVENT, event)));
    }

    private void close(RsiStrategy strategy, String price) {
        BigDecimal p = new BigDecimal(price);
        clock = clock.plus(Duration.ofDays(1));
        send(strategy, new CandleClosed(new Candle(BTC, Duration.ofDays(1), clock, p, p, p, p, BigDecimal.ONE, null)));
    }

    /** Puts the order of the last signal in the blotter, in that state, as the order manager would. */
    private void lastOrder(String strategyId, OrderState state) {
        DomainEvent<?> signal = published.get(published.size() - 1);
        blotter.put(ClientOrderId.forSignal(signal.eventId()), strategyId, ((SignalGenerated) signal.payload()).order(), state);
    }

    private List<SignalGenerated> signals() {
        return published.stream().map(e -> (SignalGenerated) e.payload()).toList();
    }

    @Test
    void buysOnTheUpCrossOfOversoldAndSellsTheWholePositionOnTheDownCrossOfOverbought() {
        RsiStrategy strategy = rsi(config(2, "30", "70"));
        // closes 100, 90, 80 -> RSI 0; 85 -> RSI 33.33: crosses up through 30
        for (String p : new String[] {"100", "90", "80"}) {
            close(strategy, p);
        }
        assertTrue(published.isEmpty(), "no signal before two RSI values exist");
        close(strategy, "85");
        assertEquals(1, published.size());
        SignalGenerated buy = signals().get(0);
        assertEquals(OrderType.PRICE, buy.order().type());
        assertEquals(new BigDecimal("1000000"), buy.order().price());
        assertEquals("rsi-KRW-BTC", buy.strategyId());
        assertTrue(buy.reason().contains("0.00 -> 33.33"), buy.reason());

        close(strategy, "95");
        assertEquals(1, published.size(), "no second buy while the first order is in flight");

        send(strategy, new PositionUpdated(new Position(BTC, new BigDecimal("0.0117"), new BigDecimal("999999"),
                BigDecimal.ZERO, BigDecimal.ZERO, new BigDecimal("85"), clock)));
        lastOrder("rsi-KRW-BTC", OrderState.FILLED);
        close(strategy, "120"); // RSI high
        close(strategy, "130"); // still high, above 70
        assertEquals(1, published.size());
        close(strategy, "100"); // falls: crosses down through 70
        assertEquals(2, published.size());
        SignalGenerated sell = signals().get(1);
        assertEquals(OrderType.MARKET, sell.order().type());
        assertEquals(new BigDecimal("0.0117"), sell.order().volume(), "sells the whole position");
    }

    @Test
    void aRejectedOrderFreesTheStrategyToSignalAgain() {
        RsiStrategy strategy = rsi(config(2, "30", "70"));
        for (String p : new String[] {"100", "90", "80", "85"}) {
            close(strategy, p);
        }
        assertEquals(1, published.size());
        blotter.put(new ClientOrderId("x"), "someone-else", signals().get(0).order(), OrderState.REJECTED);
        for (String p : new String[] {"70", "60", "65"}) {
            close(strategy, p);
        }
        assertEquals(1, published.size(), "another strategy's rejection does not count");
        lastOrder("rsi-KRW-BTC", OrderState.REJECTED);
        for (String p : new String[] {"55", "50", "52"}) {
            close(strategy, p);
        }
        assertEquals(2, published.size());
    }

    @Test
    void anyOtherOrderOfTheInstanceInFlightHoldsItsSignalsToo() {
        RsiStrategy strategy = rsi(config(2, "30", "70"));
        ClientOrderId exit = new ClientOrderId("exit-1"); // e.g. a protective exit, not from a signal
        blotter.put(exit, "rsi-KRW-BTC", io.autotrade.api.trading.OrderSpec.marketSell(BTC, BigDecimal.ONE),
                OrderState.SUBMITTED);
        for (String p : new String[] {"100", "90", "80", "85"}) {
            close(strategy, p);
        }
        assertTrue(published.isEmpty(), "the up-cross comes while another order of the instance is in flight");
        blotter.move(exit, OrderState.FILLED);
        for (String p : new String[] {"70", "60", "65"}) {
            close(strategy, p);
        }
        assertEquals(1, published.size(), "the next up-cross signals once the order is final");
    }

    @Test
    void bestOrdersCarryTheirTimeInForceAndTheInstancesSelfMatchPrevention() {
        RsiStrategy strategy = rsi(config(2, "30", "70", "best", "fok", "reduce"));
        for (String p : new String[] {"100", "90", "80", "85"}) {
            close(strategy, p);
        }
        SignalGenerated buy = signals().get(0);
        assertEquals(OrderType.BEST, buy.order().type());
        assertEquals(new BigDecimal("1000000"), buy.order().price(), "a best bid spends the order amount");
        assertEquals(TimeInForce.FOK, buy.order().timeInForce());
        assertEquals(SelfMatchPrevention.REDUCE, buy.order().smp());
        assertEquals("best", strategy.settings().get("order.type"));
        assertEquals("reduce", strategy.settings().get("order.smp.type"));

        RsiStrategy defaults = rsi(config(2, "30", "70", "best", "", ""));
        assertEquals("ioc", defaults.settings().get("order.time.in.force"), "a best order is IOC unless told otherwise");
        assertThrows(IllegalArgumentException.class, () -> rsi(config(2, "30", "70", "market", "ioc", "")), "a market order takes no time in force");
        assertThrows(IllegalArgumentException.class, () -> rsi(config(2, "30", "70", "best", "post_only", "")), "a best order is ioc or fok");
        assertThrows(IllegalArgumentException.class, () -> rsi(config(2, "30", "70", "limit", "", "")));
        assertThrows(IllegalArgumentException.class, () -> rsi(config(2, "30", "70", "market", "", "none")));
    }

    /** Closes 100, 90, 80, 85: the RSI(2) crosses up through 30, a buy. */
    private BigDecimal firstBuyAmount(RsiStrategy strategy) {
        for (String p : new String[] {"100", "90", "80", "85"}) {
            close(strategy, p);
        }
        return signals().get(signals().size() - 1).order().price();
    }

    @Test
    void sizesABuyByAShareOfEquityOrByTheRiskPerTradeCappedByWhatCanBeSpent() {
        Map<String, Object> share = config(2, "30", "70");
        share.put("order.amount", "10%");
        RsiStrategy tenth = rsi(share);
        assertEquals(new BigDecimal("2000000"), firstBuyAmount(tenth), "10% of 20,000,000 equity");
        assertEquals("10%", tenth.settings().get("order.amount"));
        assertTrue(signals().get(0).reason().contains("size 2000000 KRW (order.amount 10%)"), signals().get(0).reason());

        Map<String, Object> risk = config(2, "30", "70");
        risk.remove("order.amount");
        risk.put("risk.per.trade", "0.01");
        risk.put("stop.loss", "0.05");
        RsiStrategy byRisk = rsi(risk);
        assertEquals(new BigDecimal("4000000"), firstBuyAmount(byRisk), "20,000,000 x 0.01 / 0.05: a 5% stop loses 1%");
        risk.put("stop.loss", "0.01");
        assertEquals(new BigDecimal("5000000"), firstBuyAmount(rsi(risk)), "20,000,000 x 1, capped by the buying power");
        assertEquals("0.01", byRisk.settings().get("risk.per.trade"));
        assertEquals("0.05", byRisk.settings().get("stop.loss"));
    }

    @Test
    void exitSettingsShowInTheSettingsAndMalformedOnesAreRefusedByName() {
        Map<String, Object> exits = config(2, "30", "70");
        exits.putAll(Map.of("stop.loss", "0.02", "take.profit", "0.04", "trailing.stop", "0.03", "max.holding", "PT12H",
                "roi", "0:0.05,30:0.02"));
        Map<String, String> settings = rsi(exits).settings();
        assertEquals("0.02", settings.get("stop.loss"));
        assertEquals("0.04", settings.get("take.profit"));
        assertEquals("0.03", settings.get("trailing.stop"));
        assertEquals("PT12H", settings.get("max.holding"));
        assertEquals("0:0.05,30:0.02", settings.get("roi"));
        for (String[] bad : new String[][] {{"stop.loss", "2%"}, {"stop.loss", "1.5"}, {"take.profit", "-0.1"},
                {"max.holding", "12h"}, {"roi", "0=0.05"}, {"risk.per.trade", "0.01"}, {"order.amount", "0%"}}) {
            Map<String, Object> m = config(2, "30", "70");
            m.put(bad[0], bad[1]);
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> rsi(m), bad[0] + "=" + bad[1]);
            assertTrue(e.getMessage().contains(bad[0]), e.getMessage());
        }
    }

    @Test
    void refusesInconsistentSettings() {
        assertThrows(IllegalArgumentException.class, () -> rsi(config(14, "70", "30")));
        assertThrows(IllegalArgumentException.class, () -> rsi(config(0, "30", "70")));
        assertThrows(IllegalArgumentException.class, () -> rsi(config(14, "-1", "70")));
    }
}
