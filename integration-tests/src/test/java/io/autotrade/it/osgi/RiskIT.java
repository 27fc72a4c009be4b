package io.autotrade.it.osgi;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertTrue;

import io.autotrade.api.event.DeadLetter;
import io.autotrade.api.event.DomainEvent;
import io.autotrade.api.event.EventBus;
import io.autotrade.api.event.EventBusAdmin;
import io.autotrade.api.event.EventQuery;
import io.autotrade.api.event.EventStore;
import io.autotrade.api.exchange.Exchange;
import io.autotrade.api.portfolio.OrderBlotter;
import io.autotrade.api.portfolio.OrderView;
import io.autotrade.api.risk.RiskLimit;
import io.autotrade.api.risk.RiskView;
import io.autotrade.api.trading.CandleOpened;
import io.autotrade.api.trading.KillSwitch;
import io.autotrade.api.trading.Market;
import io.autotrade.api.trading.OrderRejected;
import io.autotrade.api.trading.OrderSpec;
import io.autotrade.api.trading.OrderState;
import io.autotrade.api.trading.RiskBreached;
import io.autotrade.api.trading.SignalGenerated;
import io.autotrade.api.trading.TradingState;
import io.autotrade.api.trading.TradingStatus;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.Hashtable;
import java.util.List;
import javax.inject.Inject;
import org.junit.Before;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.service.event.EventHandler;

/**
 * The kill switch and the risk manager inside Felix with the backtest feature's real bundles and a
 * configured paper exchange: halt and resume from the shell, a halted runtime that still cancels, and
 * the automatic halts on a critical failure of the order path and on the daily loss limit.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class RiskIT {
    private static final Market BTC = Market.of("KRW-BTC");
    private static boolean configured;

    @Inject
    private BundleContext context;

    @Configuration
    public Option[] config() {
        return FeatureOptions.of("backtest");
    }

    @Before
    public void paperExchangeAndNoHalt() throws Exception {
        if (!configured) {
            Probe.paperExchange(context);
            configured = true;
        }
        Probe.service(context, Exchange.class);
        Probe.service(context, KillSwitch.class).resume("test start");
        settle();
    }

    private void settle() throws Exception {
        Probe.settle(context);
    }

    private void signal(OrderSpec spec) throws Exception {
        Probe.service(context, EventBus.class).publish(DomainEvent.of(new SignalGenerated("it", spec, "test"), Instant.now()));
        settle();
    }

    private void open(String price) throws Exception {
        Probe.service(context, EventBus.class).publish(DomainEvent.of(new CandleOpened(BTC, Instant.now(), new BigDecimal(price)),
                Instant.now()));
        settle();
    }

    private OrderView newest() throws Exception {
        List<OrderView> orders = Probe.service(context, OrderBlotter.class).orders();
        return orders.get(orders.size() - 1);
    }

    private BigDecimal lockedKrw() throws Exception {
        return Probe.service(context, Exchange.class).balances().get("KRW").locked();
    }

    @Test
    public void theKillSwitchFromTheShellCanCancelEveryOpenOrderAtOnce() throws Exception {
        signal(OrderSpec.limitBuy(BTC, new BigDecimal("0.001"), new BigDecimal("50000000")));
        OrderView first = newest();
        signal(OrderSpec.limitBuy(BTC, new BigDecimal("0.001"), new BigDecimal("51000000")));
        OrderView second = newest();
        assertEquals(OrderState.ACCEPTED, second.state());
        String halted = Probe.shell(context, "trade:halt --cancel-all leaving");
        assertTrue(halted, halted.contains("HALTED") && halted.contains("cancel of 2 open order(s) sent in one batch"));
        settle();
        OrderBlotter blotter = Probe.service(context, OrderBlotter.class);
        assertEquals(OrderState.CANCELED, blotter.order(first.orderId()).get().state());
        assertEquals(OrderState.CANCELED, blotter.order(second.orderId()).get().state());
        assertEquals("the locks came back", 0, lockedKrw().signum());
        assertTrue(Probe.shell(context, "trade:cancel --all").contains("no open order"));
        Probe.shell(context, "trade:resume");
        assertNull(Probe.service(context, KillSwitch.class).haltReason());
    }

    @Test
    public void haltAndResumeFromTheShellStopNewOrdersWhileCancelsStillPass() throws Exception {
        TradingStatus status = Probe.service(context, TradingStatus.class);
        signal(OrderSpec.limitBuy(BTC, new BigDecimal("0.001"), new BigDecimal("50000000")));
        OrderView resting = newest();
        assertEquals(OrderState.ACCEPTED, resting.state());
        assertTrue(lockedKrw().signum() > 0);
        assertEquals(TradingState.TRADING, status.state());

        String halted = Probe.shell(context, "trade:halt exchange maintenance");
        assertTrue(halted, halted.contains("HALTED") && halted.contains("exchange maintenance"));
        assertTrue(Probe.shell(context, "trade:status").contains("halted because"));

        signal(OrderSpec.limitBuy(BTC, new BigDecimal("0.001"), new BigDecimal("50000000")));
        OrderView refused = newest();
        assertEquals(OrderState.REJECTED, refused.state());
        assertTrue(refused.reason(), refused.reason().startsWith("risk:halted"));

        String cancel = Probe.shell(context, "trade:cancel " + resting.orderId().value());
        assertTrue(cancel, cancel.contains("cancel of"));
        settle();
        assertEquals(OrderState.CANCELED, Probe.service(context, OrderBlotter.class).order(resting.orderId()).get().state());
        assertEquals("the lock came back", 0, lockedKrw().signum());
        assertEquals(TradingState.HALTED, status.state());

        String resumed = Probe.shell(context, "trade:resume");
        assertTrue(resumed, resumed.contains("IDLE"));
        assertNull(Probe.service(context, KillSwitch.class).haltReason());
        signal(OrderSpec.limitBuy(BTC, new BigDecimal("0.001"), new BigDecimal("50000000")));
        OrderView after = newest();
        assertEquals(OrderState.ACCEPTED, after.state());
        Probe.service(context, OrderBlotter.class).cancel(after.orderId());
        settle();
        String risk = Probe.shell(context, "trade:risk");
        assertTrue(risk, risk.contains("max.order.notional") && risk.contains("halted"));
    }

    @Test
    public void aCriticalFailureOnTheOrderPathHaltsTrading() throws Exception {
        ServiceRegistration<EventHandler> broken = Probe.handler(context, "it.broken-order-handler",
                "autotrade/order/ACCEPTED", e -> {
                    throw new IllegalStateException("cannot book the accepted order");
                });
        try {
            signal(OrderSpec.limitBuy(BTC, new BigDecimal("0.001"), new BigDecimal("50000000")));
            KillSwitch kill = Probe.service(context, KillSwitch.class);
            assertEquals(TradingState.HALTED, Probe.service(context, TradingStatus.class).state());
            assertTrue(kill.haltReason(), kill.haltReason().contains("it.broken-order-handler")
                    && kill.haltReason().contains("order.accepted"));
            Probe.service(context, OrderBlotter.class).cancel(newest().orderId());
            settle();
        } finally {
            broken.unregister();
            EventBusAdmin admin = Probe.service(context, EventBusAdmin.class);
            for (DeadLetter letter : admin.deadLetters()) {
                admin.discard(letter.id());
            }
        }
    }

    @Test
    public void theDailyLossLimitHaltsTradingByItself() throws Exception {
        ConfigurationAdmin cm = Probe.service(context, ConfigurationAdmin.class);
        Hashtable<String, Object> limits = new Hashtable<>();
        limits.put("daily.loss.limit", "1000");
        org.osgi.service.cm.Configuration risk = cm.getConfiguration("io.autotrade.manager.risk", null);
        risk.update(limits);
        RiskView view = Probe.service(context, RiskView.class);
        for (int i = 0; i < 100 && view.limits().stream().noneMatch(RiskIT::lossLimitApplied); i++) {
            Probe.sleep(50);
        }
        try {
            signal(OrderSpec.marketBuy(BTC, new BigDecimal("1000000")));
            open("100000000"); // bought 0.01 BTC
            signal(OrderSpec.marketSell(BTC, new BigDecimal("0.01")));
            open("90000000"); // sold at a 100,000 KRW loss
            KillSwitch kill = Probe.service(context, KillSwitch.class);
            assertEquals(TradingState.HALTED, Probe.service(context, TradingStatus.class).state());
            assertTrue(kill.haltReason(), kill.haltReason().contains("daily.loss.limit"));
            List<DomainEvent<?>> breaches = Probe.service(context, EventStore.class)
                    .query(EventQuery.ofType(RiskBreached.KIND.type()));
            assertTrue(breaches.stream().anyMatch(e -> ((RiskBreached) e.payload()).rule().equals("daily.loss.limit")));

            Probe.service(context, KillSwitch.class).resume("test");
            signal(OrderSpec.marketBuy(BTC, new BigDecimal("10000")));
            OrderView refused = newest();
            assertEquals("buys stay refused for the rest of the KST day", OrderState.REJECTED, refused.state());
            assertTrue(refused.reason(), refused.reason().startsWith("risk:daily.loss.limit"));
            List<DomainEvent<?>> rejections = Probe.service(context, EventStore.class)
                    .query(EventQuery.ofType(OrderRejected.KIND.type()));
            assertTrue(rejections.size() >= 1);
        } finally {
            risk.delete();
        }
    }

    private static boolean lossLimitApplied(RiskLimit limit) {
        return limit.rule().equals("daily.loss.limit") && limit.limit().compareTo(new BigDecimal("1000")) == 0;
    }
}
