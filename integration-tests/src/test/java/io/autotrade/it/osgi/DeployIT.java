package io.autotrade.it.osgi;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertTrue;

import io.autotrade.api.config.BundleChangeApplied;
import io.autotrade.api.event.DomainEvent;
import io.autotrade.api.event.EventBus;
import io.autotrade.api.event.EventJournal;
import io.autotrade.api.event.EventQuery;
import io.autotrade.api.event.EventStore;
import io.autotrade.api.portfolio.OrderBlotter;
import io.autotrade.api.portfolio.OrderView;
import io.autotrade.api.portfolio.PositionBook;
import io.autotrade.api.strategy.Strategy;
import io.autotrade.api.trading.Candle;
import io.autotrade.api.trading.CandleClosed;
import io.autotrade.api.trading.CandleOpened;
import io.autotrade.api.trading.Market;
import io.autotrade.api.trading.Position;
import io.autotrade.api.trading.SignalGenerated;
import java.io.InputStream;
import java.io.OutputStream;
import java.math.BigDecimal;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Hashtable;
import java.util.List;
import java.util.jar.JarEntry;
import java.util.jar.JarInputStream;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
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
import org.osgi.framework.ServiceReference;
import org.osgi.service.cm.ConfigurationAdmin;

/**
 * Hot deployment through the watched {@code deploy/} folder (Felix FileInstall and the deploy bundle's
 * jar installer) in Felix with the backtest feature's real bundles: a strategy jar replaced under an
 * open position takes over at once, keeps the position and loses or repeats no candle; a replacement
 * dropped while an order is in flight is held until the order ends; a new strategy jar dropped there
 * starts with its configuration from {@code etc/}, and removing the jar removes the strategy.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class DeployIT {
    private static final Market BTC = Market.of("KRW-BTC");
    private static final String MACROSS = "io.autotrade.strategy.macross";
    private static final String HANDLER = "strategy.macross/swap";
    private static final Instant T0 = Instant.now().truncatedTo(ChronoUnit.MINUTES).minus(Duration.ofHours(6));

    @Inject
    private BundleContext context;

    private int candles;

    @Configuration
    public Option[] config() {
        return FeatureOptions.of("backtest");
    }

    private Path deploy() {
        return Paths.get(context.getProperty("autotrade.data.dir")).resolve("deploy");
    }

    /** Publishes the next one-minute KRW-BTC candle (opened, then closed) at {@code close} million KRW. */
    private void candle(long closeMillions) throws Exception {
        BigDecimal close = BigDecimal.valueOf(closeMillions * 1_000_000);
        Candle c = new Candle(BTC, Duration.ofMinutes(1), T0.plus(Duration.ofMinutes(candles++)), close, close, close, close,
                new BigDecimal("100"), null);
        EventBus bus = Probe.service(context, EventBus.class);
        bus.publish(DomainEvent.of(new CandleOpened(BTC, c.openTime(), close), c.openTime()));
        bus.publish(DomainEvent.of(new CandleClosed(c), c.closeTime()));
    }

    /** @return a copy of the bundle's jar whose Bundle-Version qualifier is {@code qualifier}, in a scratch folder */
    private Path copyWithQualifier(Bundle bundle, String qualifier) throws Exception {
        Path source = Path.of(URI.create(bundle.getLocation()));
        Path out = Files.createTempFile(Paths.get(context.getProperty("autotrade.data.dir")), "swap", ".jar.part");
        try (JarInputStream in = new JarInputStream(Files.newInputStream(source))) {
            Manifest m = new Manifest(in.getManifest());
            org.osgi.framework.Version v = bundle.getVersion();
            m.getMainAttributes().putValue("Bundle-Version", v.getMajor() + "." + v.getMinor() + "." + v.getMicro() + "." + qualifier);
            try (OutputStream file = Files.newOutputStream(out); JarOutputStream jar = new JarOutputStream(file, m)) {
                for (JarEntry e = in.getNextJarEntry(); e != null; e = in.getNextJarEntry()) {
                    jar.putNextEntry(new JarEntry(e.getName()));
                    in.transferTo(jar);
                    jar.closeEntry();
                }
            }
        }
        return out;
    }

    /** Moves a jar into {@code deploy/} in one step, so FileInstall never sees half of it. */
    private void drop(Path jar, String name) throws Exception {
        Files.createDirectories(deploy());
        Files.move(jar, deploy().resolve(name), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    private String qualifier(String symbolicName) {
        return Probe.bundle(context, symbolicName).getVersion().getQualifier();
    }

    private List<BundleChangeApplied> applied() throws Exception {
        return Probe.service(context, EventStore.class).query(EventQuery.ofType(BundleChangeApplied.KIND.type())).stream()
                .map(e -> (BundleChangeApplied) e.payload()).toList();
    }

    /** @return the version the last recorded bundle change left, "" when none is recorded */
    private String lastAppliedVersion() throws Exception {
        List<BundleChangeApplied> all = applied();
        return all.isEmpty() ? "" : String.valueOf(all.get(all.size() - 1).toVersion());
    }

    private Strategy strategy(String id) {
        try {
            for (ServiceReference<Strategy> r : context.getServiceReferences(Strategy.class, "(strategy.id=" + id + ")")) {
                return context.getService(r);
            }
        } catch (org.osgi.framework.InvalidSyntaxException e) {
            throw new AssertionError(e);
        }
        return null;
    }

    @Test
    public void aStrategyJarReplacedUnderAnOpenPositionTakesOverKeepsThePositionAndLosesNoCandle() throws Exception {
        Probe.paperExchange(context);
        org.osgi.service.cm.Configuration instance = Probe.service(context, ConfigurationAdmin.class)
                .getFactoryConfiguration(MACROSS, "swap", "?");
        Hashtable<String, Object> props = new Hashtable<>();
        props.put("market", "KRW-BTC");
        props.put("strategy.id", "swap");
        props.put("fast.period", "2");
        props.put("slow.period", "3");
        instance.update(props);
        Probe.await("the macross instance starts", () -> strategy("swap") != null);

        // a golden cross at 105; the market buy is accepted at that candle's close and fills at the next one's open
        for (long close : new long[] {100, 99, 98, 97, 105, 106}) {
            candle(close);
            Probe.settle(context); // as a feed would: the order reaches the exchange before the next candle opens
        }
        Probe.settle(context);
        Position before = Probe.service(context, PositionBook.class).position(BTC).orElseThrow();
        assertTrue("the strategy holds a position", before.volume().signum() > 0);
        Bundle macross = Probe.bundle(context, MACROSS);
        String oldQualifier = qualifier(MACROSS);

        // replace the jar while candles keep coming: the new code takes over at once (no order is in flight)
        drop(copyWithQualifier(macross, "swapped"), "macross.jar");
        for (int i = 0; i < 30; i++) {
            candle(107 + i);
            Probe.sleep(100);
        }
        Probe.await("the new macross takes over", () -> "swapped".equals(qualifier(MACROSS)));
        Probe.await("the instance is back", () -> strategy("swap") != null);
        Probe.settle(context);
        assertFalse(oldQualifier.equals(qualifier(MACROSS)));
        Probe.await("the swap is recorded", () -> lastAppliedVersion().endsWith(".swapped"));
        BundleChangeApplied swap = applied().get(applied().size() - 1);
        assertTrue(swap.failure(), swap.succeeded());
        assertEquals(MACROSS, swap.symbolicName());
        assertEquals("swapped", org.osgi.framework.Version.parseVersion(swap.toVersion()).getQualifier());
        assertEquals("the position belongs to the position manager and stays", before.volume(),
                Probe.service(context, PositionBook.class).position(BTC).orElseThrow().volume());
        assertEquals(36, Probe.service(context, EventStore.class).query(EventQuery.ofType(CandleClosed.KIND.type())
                .handledBy(HANDLER)).size());
        assertEquals("nothing is left for the new instance to handle", List.of(),
                Probe.service(context, EventJournal.class).pending(HANDLER));
        assertEquals("the new instance warmed up from its log and did not buy again", 1, Probe.service(context,
                EventStore.class).query(EventQuery.ofType(SignalGenerated.KIND.type())).stream()
                .filter(e -> ((SignalGenerated) e.payload()).strategyId().equals("swap")).count());

        // a replacement dropped while an order is in flight waits for it
        OrderView resting = Probe.restingBuy(context);
        drop(copyWithQualifier(Probe.bundle(context, MACROSS), "held"), "macross.jar");
        Probe.await("the replacement is held", () -> pending().contains("update bundle " + MACROSS));
        Probe.sleep(1500);
        assertEquals("the old code runs while the order rests", "swapped", qualifier(MACROSS));
        Probe.service(context, OrderBlotter.class).cancel(resting.orderId());
        Probe.settle(context);
        Probe.await("the replacement is carried out when the order ends", () -> "held".equals(qualifier(MACROSS)));
        Probe.await("nothing is held any more", () -> pending().contains("no change is held"));
        // the gate records the change once the framework has carried it out, so the record may come a moment later
        Probe.await("the held change is recorded", () -> lastAppliedVersion().endsWith(".held"));
        assertTrue(applied().toString(), applied().get(applied().size() - 1).heldMillis() > 0);
    }

    private String pending() {
        try {
            return Probe.shell(context, "trade:pending");
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    @Test
    public void aNewStrategyJarDroppedIntoDeployStartsWithItsConfigurationFromEtcAndLeavesWithTheJar() throws Exception {
        Bundle rsi = Probe.bundle(context, "io.autotrade.strategy.rsi");
        Path jar = Path.of(URI.create(rsi.getLocation()));
        String removed = Probe.shell(context, "trade:bundle uninstall io.autotrade.strategy.rsi");
        assertTrue(removed, removed.startsWith("done"));
        assertEquals(Bundle.UNINSTALLED, rsi.getState());

        Path etc = Paths.get(context.getProperty("felix.fileinstall.dir"));
        Files.createDirectories(etc);
        Files.writeString(etc.resolve("io.autotrade.strategy.rsi-hot.cfg"), "market = KRW-ETH\nperiod = 9\n");
        Path copy = Files.createTempFile(Paths.get(context.getProperty("autotrade.data.dir")), "rsi", ".jar.part");
        Files.copy(jar, copy, StandardCopyOption.REPLACE_EXISTING);
        drop(copy, "rsi.jar");
        Probe.await("the dropped strategy runs its etc/ instance", () -> strategy("rsi-KRW-ETH") != null);
        assertEquals("9", strategy("rsi-KRW-ETH").settings().get("period"));
        Bundle installed = Probe.bundle(context, "io.autotrade.strategy.rsi");
        assertEquals(deploy().resolve("rsi.jar").toUri().toString(), installed.getLocation());

        Files.delete(deploy().resolve("rsi.jar"));
        Probe.await("removing the jar removes the strategy", () -> installed.getState() == Bundle.UNINSTALLED);
        assertEquals(null, strategy("rsi-KRW-ETH"));
        assertNotNull(applied().stream().filter(a -> a.operation() == io.autotrade.api.config.BundleOperation.INSTALL)
                .findFirst().orElse(null));
    }
}
