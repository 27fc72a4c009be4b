package io.autotrade.it.osgi;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import io.autotrade.api.config.ConfigChangeApplied;
import io.autotrade.api.config.ConfigChangeRequested;
import io.autotrade.api.event.EventQuery;
import io.autotrade.api.event.EventStore;
import io.autotrade.api.portfolio.OrderBlotter;
import io.autotrade.api.portfolio.OrderView;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Dictionary;
import java.util.List;
import javax.inject.Inject;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.framework.BundleContext;
import org.osgi.service.cm.ConfigurationAdmin;

/**
 * Configuration changes that bypass the shell, in Felix with the backtest feature's real bundles: one
 * made by a bundle directly through the ConfigAdmin API, and a {@code .config} file FileInstall hands to
 * ConfigAdmin itself. While a limit order rests both are held by the core gate's ConfigurationPlugin (the
 * risk manager keeps its limits, {@code trade:pending} lists them) and are applied in arrival order when
 * the order ends.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class ConfigAdminGateIT {
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


    @Test
    public void changesMadeThroughConfigAdminOrAConfigFileWhileAnOrderRestsAreHeldAndAppliedInOrder() throws Exception {
        Probe.paperExchange(context);
        // the risk manager runs with a configuration (a first configuration starts a component and passes)
        org.osgi.service.cm.Configuration risk = Probe.service(context, ConfigurationAdmin.class).getConfiguration(RISK, "?");
        Dictionary<String, Object> props = new java.util.Hashtable<>();
        props.put("max.open.orders", 8);
        risk.update(props);
        Probe.await("the first configuration reaches the risk manager", () -> limit("max.open.orders").intValue() == 8);
        BigDecimal openOrders = limit("max.open.orders");
        BigDecimal notional = limit("max.order.notional");
        OrderView resting = Probe.restingBuy(context);

        // another bundle changes the risk manager's configuration directly
        props = risk.getProperties();
        props.put("max.open.orders", 9);
        risk.update(props);
        Probe.await("the ConfigAdmin change is held", () -> Probe.shell(context, "trade:pending").contains("configadmin"));
        String pending = Probe.shell(context, "trade:pending");
        assertTrue(pending, pending.contains(RISK + " max.open.orders=9"));

        // a .config file (FileInstall's typed format) for the same PID, applied by FileInstall itself
        Path etc = Paths.get(context.getProperty("felix.fileinstall.dir"));
        Files.createDirectories(etc);
        Path part = Files.writeString(etc.resolveSibling(RISK + ".config.part"),
                "max.open.orders=I\"7\"\nmax.order.notional=\"4000000\"\n");
        Files.move(part, etc.resolve(RISK + ".config"), java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        Probe.await("the .config file is held", () -> Probe.shell(context, "trade:pending").contains("etc/" + RISK + ".config"));
        Probe.sleep(500);
        assertEquals("the risk manager keeps its limits while the order rests", 0, limit("max.open.orders").compareTo(openOrders));
        assertEquals(0, limit("max.order.notional").compareTo(notional));

        Probe.service(context, OrderBlotter.class).cancel(resting.orderId());
        Probe.settle(context);
        try {
            Probe.await("the file, the later change, wins", () -> limit("max.open.orders").compareTo(new BigDecimal("7")) == 0
                    && limit("max.order.notional").compareTo(new BigDecimal("4000000")) == 0);
        } catch (AssertionError e) {
            // Pax Exam reports the root cause only: the state goes to the test's output
            System.err.println("DIAGNOSIS " + e.getMessage() + "; max.open.orders " + limit("max.open.orders")
                    + ", max.order.notional " + limit("max.order.notional") + ", configuration " + risk.getProperties()
                    + ", pending " + Probe.shell(context, "trade:pending") + ", status " + Probe.shell(context, "trade:status")
                    + ", orders " + Probe.shell(context, "trade:orders"));
            throw e;
        }
        EventStore store = Probe.service(context, EventStore.class);
        // the gate records a change after handing it to ConfigAdmin, which delivers it on its own thread
        Probe.await("both held changes are recorded", () -> store.query(EventQuery.ofType(ConfigChangeApplied.KIND.type()))
                .stream().filter(e -> ((ConfigChangeApplied) e.payload()).pid().equals(RISK)).count() >= 2);
        List<String> requested = store.query(EventQuery.ofType(ConfigChangeRequested.KIND.type())).stream()
                .map(e -> (ConfigChangeRequested) e.payload()).filter(r -> r.pid().equals(RISK))
                .map(ConfigChangeRequested::changeId).toList();
        List<String> applied = store.query(EventQuery.ofType(ConfigChangeApplied.KIND.type())).stream()
                .map(e -> (ConfigChangeApplied) e.payload()).filter(a -> a.pid().equals(RISK))
                .map(ConfigChangeApplied::changeId).toList();
        assertEquals("each held change applied once, in arrival order", requested, applied);
        assertEquals(2, applied.size());
        assertEquals("no change is held", Probe.shell(context, "trade:pending").trim());
    }
}
