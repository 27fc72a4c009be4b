package io.autotrade.it.osgi;

import io.autotrade.api.event.DomainEvent;
import io.autotrade.api.event.EventBus;
import io.autotrade.api.event.EventProperties;
import io.autotrade.api.exchange.Exchange;
import io.autotrade.api.portfolio.OrderBlotter;
import io.autotrade.api.portfolio.OrderView;
import io.autotrade.api.trading.Market;
import io.autotrade.api.trading.OrderSpec;
import io.autotrade.api.trading.OrderState;
import io.autotrade.api.trading.SignalGenerated;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.List;
import java.util.function.Consumer;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.service.event.Event;
import org.osgi.service.event.EventConstants;
import org.osgi.service.event.EventHandler;
import org.osgi.util.tracker.ServiceTracker;

/** Helpers for tests running inside the framework: fresh services, handlers, bundles, bus threads. */
final class Probe {
    private Probe() {
    }

    /**
     * @return the service, waiting up to 10 s for it: a fresh lookup, so valid after a bundle restart;
     *         got from the probe's own context and never released, so a service factory's object stays valid
     */
    static <T> T service(BundleContext context, Class<T> type) throws InterruptedException {
        ServiceTracker<T, T> tracker = new ServiceTracker<>(context, type, null);
        tracker.open();
        try {
            if (tracker.waitForService(Duration.ofSeconds(10).toMillis()) == null) {
                throw new AssertionError(type.getName() + " did not appear within 10 s");
            }
            return context.getService(tracker.getServiceReference());
        } finally {
            tracker.close();
        }
    }

    static ServiceRegistration<EventHandler> handler(BundleContext context, String id, String topic, Consumer<Event> body) {
        Dictionary<String, Object> props = new Hashtable<>();
        props.put(EventConstants.EVENT_TOPIC, topic);
        props.put(EventProperties.HANDLER_ID, id);
        return context.registerService(EventHandler.class, body::accept, props);
    }

    static Bundle bundle(BundleContext context, String symbolicName) {
        for (Bundle b : context.getBundles()) {
            if (b.getSymbolicName().equals(symbolicName)) {
                return b;
            }
        }
        throw new AssertionError("bundle " + symbolicName + " is not installed");
    }

    /** @return live threads of the event bus: lane workers, watchdog and retry timer */
    static long busThreads() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.isAlive() && t.getName().startsWith("autotrade-bus")).count();
    }

    /** Waits until every published event and its consequences are handled (at most 30 s). */
    static void settle(BundleContext context) throws Exception {
        service(context, EventBus.class).awaitQuiescence(Duration.ofSeconds(30));
    }

    /** Gives the paper exchange 10,000,000 KRW and waits for it. */
    static void paperExchange(BundleContext context) throws Exception {
        Hashtable<String, Object> props = new Hashtable<>();
        props.put("initial.balances", new String[] {"KRW=10000000"});
        // the paper exchange runs with its defaults from the start: wait for the instance of this configuration
        // (its service carries the configuration's properties), not the one it replaces, and for the bus to be quiet
        String run = java.util.UUID.randomUUID().toString();
        props.put("probe.run", run);
        service(context, ConfigurationAdmin.class).getConfiguration("io.autotrade.exchange.paper", null).update(props);
        ServiceTracker<Exchange, Exchange> tracker = new ServiceTracker<>(context, org.osgi.framework.FrameworkUtil.createFilter(
                "(&(objectClass=" + Exchange.class.getName() + ")(probe.run=" + run + "))"), null);
        tracker.open();
        try {
            if (tracker.waitForService(Duration.ofSeconds(10).toMillis()) == null) {
                throw new AssertionError("the paper exchange did not restart with its new configuration within 10 s");
            }
        } finally {
            tracker.close();
        }
        await("the order manager takes orders", () -> context.getServiceReferences(EventHandler.class,
                "(" + EventProperties.HANDLER_ID + "=manager.order)").size() == 1);
        settle(context);
    }

    /**
     * Signals (as strategy {@code it}) a limit buy of 0.001 KRW-BTC at 50,000,000 KRW, far below the
     * market, so it rests until the test cancels it.
     *
     * @return the order, ACCEPTED
     */
    static OrderView restingBuy(BundleContext context) throws Exception {
        service(context, EventBus.class).publish(DomainEvent.of(new SignalGenerated("it", OrderSpec.limitBuy(
                Market.of("KRW-BTC"), new BigDecimal("0.001"), new BigDecimal("50000000")), "test"), Instant.now()));
        settle(context);
        List<OrderView> orders = service(context, OrderBlotter.class).orders();
        OrderView order = orders.get(orders.size() - 1);
        if (order.state() != OrderState.ACCEPTED) {
            throw new AssertionError("the resting order is " + order.state() + ": " + order.reason());
        }
        return order;
    }

    /** The RSI instance both paper ITs trade on the bundled KRW-BTC daily candles: period 7, oversold 40, overbought 60. */
    static final String[] RSI_ON_BTC = {
        "trade:config io.autotrade.strategy.rsi~btc market KRW-BTC",
        "trade:config io.autotrade.strategy.rsi~btc period 7",
        "trade:config io.autotrade.strategy.rsi~btc oversold 40",
        "trade:config io.autotrade.strategy.rsi~btc overbought 60"};

    /** Runs each {@code trade:config} command through the shell; @throws AssertionError unless each says applied */
    static void configure(BundleContext context, String... commands) throws Exception {
        for (String command : commands) {
            String out = shell(context, command);
            if (!out.startsWith("applied")) {
                throw new AssertionError(command + ": " + out);
            }
        }
    }

    /** @return the risk manager's current limit of the rule, e.g. {@code max.open.orders} */
    static java.math.BigDecimal riskLimit(BundleContext context, String rule) throws Exception {
        return service(context, io.autotrade.api.risk.RiskView.class).limits().stream().filter(l -> l.rule().equals(rule))
                .map(io.autotrade.api.risk.RiskLimit::limit).findFirst().orElseThrow();
    }

    /** Waits up to 30 s for the condition; @throws AssertionError naming what did not happen */
    static void await(String what, java.util.concurrent.Callable<Boolean> condition) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (!condition.call() && System.nanoTime() < deadline) {
            sleep(100);
        }
        if (!condition.call()) {
            throw new AssertionError(what);
        }
    }

    static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Runs a Gogo command through the framework's CommandProcessor, by reflection: the Gogo API must not
     * be on the test class path, where it would shadow the framework's copy for the launcher-based tests.
     */
    static String shell(BundleContext context, String command) throws Exception {
        org.osgi.framework.ServiceReference<?> ref = null;
        for (int i = 0; i < 100 && ref == null; i++) {
            ref = context.getServiceReference("org.apache.felix.service.command.CommandProcessor");
            if (ref == null) {
                sleep(100);
            }
        }
        if (ref == null) {
            throw new AssertionError("the Gogo CommandProcessor is not registered");
        }
        Object processor = context.getService(ref);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        PrintStream print = new PrintStream(out, true, StandardCharsets.UTF_8);
        Object session = processor.getClass().getMethod("createSession", java.io.InputStream.class,
                java.io.OutputStream.class, java.io.OutputStream.class).invoke(processor, System.in, print, print);
        try {
            Object result = session.getClass().getMethod("execute", CharSequence.class).invoke(session, command);
            if (result != null) {
                print.print(session.getClass().getMethod("format", Object.class, int.class).invoke(session, result, 0));
            }
        } finally {
            session.getClass().getMethod("close").invoke(session);
        }
        return out.toString(StandardCharsets.UTF_8);
    }

}
