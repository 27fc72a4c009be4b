package io.autotrade.it.osgi;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import io.autotrade.api.config.ConfigChangeApplied;
import io.autotrade.api.event.EventQuery;
import io.autotrade.api.event.EventStore;
import io.autotrade.api.exchange.Exchange;
import io.autotrade.api.portfolio.OrderBlotter;
import io.autotrade.api.portfolio.OrderView;
import io.autotrade.api.strategy.Strategy;
import io.autotrade.api.trading.Market;
import io.autotrade.api.trading.TradingState;
import io.autotrade.api.trading.TradingStatus;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Hashtable;
import java.util.List;
import javax.inject.Inject;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.service.cm.ConfigurationAdmin;

/**
 * The configuration gate's shell path in Felix with the backtest feature's real bundles: a change of the
 * risk manager's configuration made while a limit order rests is held (the risk manager keeps its old
 * limit), survives a restart of the core bundle, is applied when the order ends; {@code --no-wait} is
 * refused while trading and {@code --force} applies at once; a {@code .cfg} file written into the watched
 * {@code etc/} folder is held the same way and applied when the order ends.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class ConfigGateIT {
    private static final Market BTC = Market.of("KRW-BTC");
    private static final String RISK = "io.autotrade.manager.risk";

    @Inject
    private BundleContext context;

    @Configuration
    public Option[] config() {
        return FeatureOptions.of("backtest");
    }

    private BigDecimal limit(String rule) throws Exception {
        return Probe.riskLimit(context, rule);
    }

    private void awaitLimit(String rule, String value) throws Exception {
        Probe.await(rule + " becomes " + value, () -> limit(rule).compareTo(new BigDecimal(value)) == 0);
    }

    @Test
    public void aChangeMadeWhileAnOrderRestsIsHeldSurvivesARestartAndIsAppliedWhenTheOrderEnds() throws Exception {
        Probe.paperExchange(context);
        BigDecimal before = limit("max.open.orders");
        OrderView resting = Probe.restingBuy(context);
        assertEquals(TradingState.TRADING, Probe.service(context, TradingStatus.class).state());

        String held = Probe.shell(context, "trade:config " + RISK + " max.open.orders 3");
        assertTrue(held, held.startsWith("held " + RISK) && held.contains(resting.orderId().value()));
        assertTrue(Probe.shell(context, "trade:pending").contains(RISK));
        Probe.sleep(500);
        assertEquals("the risk manager still runs with the old configuration", 0, limit("max.open.orders").compareTo(before));

        // a strategy's own configuration waits for its own orders only: the resting order is strategy "it"'s
        org.osgi.service.cm.Configuration rsi = Probe.service(context, ConfigurationAdmin.class)
                .getFactoryConfiguration("io.autotrade.strategy.rsi", "gate", "?");
        Hashtable<String, Object> rsiProps = new Hashtable<>();
        rsiProps.put("market", "KRW-BTC");
        rsi.update(rsiProps);
        Probe.service(context, Strategy.class);
        String status = Probe.shell(context, "trade:status");
        assertTrue(status, status.lines().anyMatch(l -> l.contains("rsi-KRW-BTC") && l.contains("IDLE")));
        String own = Probe.shell(context, "trade:config io.autotrade.strategy.rsi~gate period 7");
        assertTrue(own, own.startsWith("applied"));
        Probe.await("the instance runs with period 7",
                () -> "7".equals(Probe.service(context, Strategy.class).settings().get("period")));
        rsi.delete();

        String refused = Probe.shell(context, "trade:config --no-wait " + RISK + " max.order.notional 400000");
        assertTrue(refused, refused.contains("refused") && refused.contains(resting.orderId().value()));

        Bundle core = Probe.bundle(context, "io.autotrade.core");
        core.stop();
        core.start();
        Probe.service(context, Exchange.class);
        assertTrue("a held change survives a restart", Probe.shell(context, "trade:pending").contains(RISK));
        assertEquals(0, limit("max.open.orders").compareTo(before));

        Probe.service(context, OrderBlotter.class).cancel(resting.orderId());
        Probe.settle(context);
        awaitLimit("max.open.orders", "3");
        assertEquals("no change is held", Probe.shell(context, "trade:pending").trim());
        // the gate records the change after handing it to ConfigAdmin, which delivers it on its own thread
        java.util.concurrent.Callable<List<ConfigChangeApplied>> risk = () -> Probe.service(context, EventStore.class)
                .query(EventQuery.ofType(ConfigChangeApplied.KIND.type())).stream()
                .map(e -> (ConfigChangeApplied) e.payload()).filter(a -> a.pid().equals(RISK)).toList();
        Probe.await("the held change is recorded", () -> !risk.call().isEmpty());
        List<ConfigChangeApplied> applied = risk.call();
        assertEquals(1, applied.size());
        assertTrue(applied.get(0).heldMillis() > 0);

        OrderView another = Probe.restingBuy(context);
        String forced = Probe.shell(context, "trade:config --force " + RISK + " max.open.orders 5");
        assertTrue(forced, forced.startsWith("applied") && forced.contains("forced"));
        awaitLimit("max.open.orders", "5");

        // a .cfg file dropped into the watched etc/ folder (Felix FileInstall) is held the same way
        Path etc = Paths.get(context.getProperty("felix.fileinstall.dir"));
        Files.createDirectories(etc);
        Files.writeString(etc.resolve(RISK + ".cfg"), "max.open.orders = 6\nmax.order.notional = 4000000\n");
        Probe.await("trade:pending lists the file", () -> Probe.shell(context, "trade:pending").contains("etc/" + RISK + ".cfg"));
        assertEquals("the file did not reach the risk manager while the order rests", 0,
                limit("max.open.orders").compareTo(new BigDecimal("5")));
        Probe.service(context, OrderBlotter.class).cancel(another.orderId());
        Probe.settle(context);
        awaitLimit("max.open.orders", "6");
        awaitLimit("max.order.notional", "4000000");
    }
}
