package io.autotrade.core.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.autotrade.api.config.ConfigChangeApplied;
import io.autotrade.api.config.ConfigChangeRequested;
import io.autotrade.api.config.ConfigGate;
import io.autotrade.api.config.PendingChange;
import io.autotrade.api.event.DomainEvent;
import io.autotrade.api.event.EventBus;
import io.autotrade.api.event.EventProperties;
import io.autotrade.api.event.EventQuery;
import io.autotrade.api.trading.TradingState;
import io.autotrade.api.trading.TradingStateChanged;
import io.autotrade.api.trading.TradingStatus;
import io.autotrade.testing.MemoryEventStore;
import java.lang.reflect.Proxy;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Dictionary;
import java.util.HashMap;
import java.util.Hashtable;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.service.event.Event;

class ChangeGateTest {
    private static final String RISK = "io.autotrade.manager.risk";
    private static final String RSI = "io.autotrade.strategy.rsi~btc";

    private final MemoryEventStore store = new MemoryEventStore();
    /** Released when the bus has redelivered what a restart left: until then awaitQuiescence blocks. */
    private final java.util.concurrent.CountDownLatch quiet = new java.util.concurrent.CountDownLatch(1);
    private final EventBus bus = new EventBus() {
        @Override
        public void publish(DomainEvent<?> event) {
            store.append(event);
        }

        @Override
        public void awaitQuiescence(Duration timeout) throws InterruptedException {
            quiet.await();
        }
    };
    /** Orders in flight by strategy id. */
    private final Map<String, List<String>> orders = new HashMap<>();
    private final TradingStatus status = (TradingStatus) Proxy.newProxyInstance(getClass().getClassLoader(),
            new Class<?>[] {TradingStatus.class}, (p, m, a) -> switch (m.getName()) {
                case "openOrders" -> a == null || a[0].equals("global")
                        ? orders.values().stream().flatMap(List::stream).toList()
                        : orders.getOrDefault((String) a[0], List.of());
                default -> throw new UnsupportedOperationException(m.getName());
            });
    /** ConfigAdmin in memory: properties by PID, and every update in order. */
    private final Map<String, Hashtable<String, Object>> configs = new HashMap<>();
    private final List<String> updates = new ArrayList<>();

    private Configuration configuration(String pid) {
        return (Configuration) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {Configuration.class},
                (p, m, a) -> switch (m.getName()) {
                    case "getProperties" -> configs.containsKey(pid) ? new Hashtable<>(configs.get(pid)) : null;
                    case "getFactoryPid" -> pid.contains("~") ? pid.substring(0, pid.indexOf('~')) : null;
                    case "update" -> {
                        @SuppressWarnings("unchecked")
                        Dictionary<String, Object> d = (Dictionary<String, Object>) a[0];
                        Hashtable<String, Object> copy = new Hashtable<>();
                        for (var k = d.keys(); k.hasMoreElements();) {
                            String key = k.nextElement();
                            copy.put(key, d.get(key));
                        }
                        configs.put(pid, copy);
                        updates.add(pid + " " + new java.util.TreeMap<>(copy));
                        yield null;
                    }
                    default -> throw new UnsupportedOperationException(m.getName());
                });
    }

    private final ConfigurationAdmin configAdmin = (ConfigurationAdmin) Proxy.newProxyInstance(getClass().getClassLoader(),
            new Class<?>[] {ConfigurationAdmin.class}, (p, m, a) -> switch (m.getName()) {
                case "getConfiguration" -> configuration((String) a[0]);
                case "getFactoryConfiguration" -> configuration(a[0] + "~" + a[1]);
                case "listConfigurations" -> {
                    String pid = ((String) a[0]).replace("(service.pid=", "").replace(")", "").replace("\\", "");
                    yield configs.containsKey(pid) ? new Configuration[] {configuration(pid)} : null;
                }
                default -> throw new UnsupportedOperationException(m.getName());
            });

    /** Installed bundles by location; bundle operations are recorded in {@link #updates} too. */
    private final Map<String, BundleOps.Installed> installed = new HashMap<>();
    private final BundleOps bundleOps = new BundleOps() {
        @Override
        public Installed at(String location) {
            return installed.get(location);
        }

        @Override
        public synchronized Installed apply(io.autotrade.api.config.BundleOperation op, String location, String artifact) {
            updates.add(op + " " + location);
            if (op == io.autotrade.api.config.BundleOperation.UNINSTALL) {
                installed.remove(location);
                return null;
            }
            Installed now = new Installed(ChangeTexts.symbolicNameOf(artifact), location, "2.0.0");
            installed.put(location, now);
            return now;
        }
    };

    @org.junit.jupiter.api.io.TempDir
    java.nio.file.Path dir;

    /** @return the URI of a jar whose manifest names the bundle */
    private String jar(String symbolicName) throws java.io.IOException {
        java.util.jar.Manifest m = new java.util.jar.Manifest();
        m.getMainAttributes().put(java.util.jar.Attributes.Name.MANIFEST_VERSION, "1.0");
        m.getMainAttributes().putValue("Bundle-SymbolicName", symbolicName + ";singleton:=true");
        java.nio.file.Path f = dir.resolve(symbolicName + "-" + System.nanoTime() + ".jar");
        try (var out = new java.util.jar.JarOutputStream(java.nio.file.Files.newOutputStream(f), m)) {
            out.flush();
        }
        return f.toUri().toString();
    }

    /** Waits for the gate's applier thread to have carried out what it was given. */
    private void awaitUpdates(int count) throws InterruptedException {
        for (int i = 0; i < 200 && updates.size() < count; i++) {
            Thread.sleep(25);
        }
    }

    private ChangeGate gate() {
        return new ChangeGate(bus, status, store, configAdmin, bundleOps, TestLogs.factory(new TestLogs.Capture().logger));
    }

    private static void idle(ChangeGate gate, String scope) {
        DomainEvent<TradingStateChanged> e = DomainEvent.of(new TradingStateChanged(scope, TradingState.TRADING,
                TradingState.IDLE, List.of(), "last order ended"), Instant.now());
        gate.handleEvent(new Event("autotrade/trading/STATE_CHANGED", Map.of(EventProperties.EVENT, e)));
    }

    private <T> List<T> stored(Class<T> type) {
        return store.query(EventQuery.all()).stream().map(DomainEvent::payload).filter(type::isInstance).map(type::cast).toList();
    }

    @Test
    void aChangeIsHeldWhileAnOrderIsInFlightAndAppliedInArrivalOrderWhenIdle() {
        configs.put(RISK, new Hashtable<>(Map.of("max.open.orders", "10")));
        orders.put("rsi-KRW-BTC", List.of("o1"));
        ChangeGate gate = gate();
        ConfigGate.Result first = gate.request(RISK, Map.of("max.open.orders", "3"), ConfigGate.Mode.WAIT, "shell");
        ConfigGate.Result second = gate.request(RISK, Map.of("max.open.orders", "4"), ConfigGate.Mode.WAIT, "shell");
        assertFalse(first.applied());
        assertEquals("global", first.scope(), "the risk manager's configuration waits for every order");
        assertEquals(List.of("o1"), first.waitingFor());
        assertEquals(List.of(first.changeId(), second.changeId()), gate.pending().stream().map(PendingChange::changeId).toList());
        assertEquals(List.of(), updates, "the component still runs with the old configuration");
        assertEquals(2, stored(ConfigChangeRequested.class).size(), "held changes are stored events");

        orders.clear();
        idle(gate, "global");
        assertEquals(List.of(RISK + " {max.open.orders=4}"), updates,
                "held changes of one PID reach ConfigAdmin as one update, applied in arrival order (the later wins)");
        assertEquals(List.of(first.changeId(), second.changeId()),
                stored(ConfigChangeApplied.class).stream().map(ConfigChangeApplied::changeId).toList());
        assertTrue(stored(ConfigChangeApplied.class).stream().noneMatch(ConfigChangeApplied::forced));
        assertEquals(List.of(), gate.pending());
    }

    @Test
    void noWaitIsRefusedWhileTradingAndForceAppliesAtOnce() {
        orders.put("rsi-KRW-BTC", List.of("o1"));
        ChangeGate gate = gate();
        IllegalStateException refused = assertThrows(IllegalStateException.class,
                () -> gate.request(RISK, Map.of("max.open.orders", "3"), ConfigGate.Mode.NO_WAIT, "shell"));
        assertTrue(refused.getMessage().contains("orders in flight: o1"), refused.getMessage());
        assertEquals(List.of(), stored(ConfigChangeRequested.class), "a refused request leaves no trace to apply later");

        ConfigGate.Result forced = gate.request(RISK, Map.of("max.open.orders", "3"), ConfigGate.Mode.FORCE, "shell");
        assertTrue(forced.applied());
        assertEquals(List.of(RISK + " {max.open.orders=3}"), updates);
        assertTrue(stored(ConfigChangeApplied.class).get(0).forced());
    }

    @Test
    void aStrategysOwnConfigurationWaitsOnlyForItsOwnOrders() {
        configs.put(RSI, new Hashtable<>(Map.of("market", "KRW-BTC", "period", "14")));
        orders.put("macross-KRW-ETH", List.of("m1"));
        ChangeGate gate = gate();
        ConfigGate.Result other = gate.request(RSI, Map.of("period", "10"), ConfigGate.Mode.WAIT, "shell");
        assertTrue(other.applied(), "another strategy's order does not hold it");
        assertEquals("rsi-KRW-BTC", other.scope());

        orders.put("rsi-KRW-BTC", List.of("r1"));
        ConfigGate.Result own = gate.request(RSI, Map.of("period", "7"), ConfigGate.Mode.WAIT, "shell");
        assertFalse(own.applied());
        assertEquals(List.of("r1"), own.waitingFor());
        orders.remove("rsi-KRW-BTC");
        idle(gate, "rsi-KRW-BTC");
        assertEquals("7", configs.get(RSI).get("period"));
        assertEquals("KRW-BTC", configs.get(RSI).get("market"), "the other properties stay");
    }

    @Test
    void aHeldChangeSurvivesARestartAndIsAppliedOnceIdle() throws InterruptedException {
        orders.put("rsi-KRW-BTC", List.of("o1"));
        ConfigGate.Result held = gate().request(RISK, Map.of("daily.loss.limit", "500000"), ConfigGate.Mode.WAIT, "shell");
        orders.clear(); // the tracker rebuilt no order yet: a redelivered request is still on its way
        ChangeGate restarted = gate();
        assertEquals(List.of(held.changeId()), restarted.pending().stream().map(PendingChange::changeId).toList());
        Thread.sleep(200);
        assertEquals(List.of(), updates, "nothing is applied before the bus has redelivered what the restart left");
        orders.put("rsi-KRW-BTC", List.of("o1")); // the redelivered request
        quiet.countDown();
        Thread.sleep(200);
        assertEquals(List.of(), updates, "the redelivered order holds it");
        orders.clear();
        idle(restarted, "global");
        assertEquals(List.of(RISK + " {daily.loss.limit=500000}"), updates);
        assertEquals(List.of(), gate().pending(), "applied is remembered too");
        assertEquals(1, updates.size());
    }

    @Test
    void aChangeMadeThroughConfigAdminWhileTradingIsHeldAndTheTargetKeepsItsProperties() {
        configs.put(RISK, new Hashtable<>(Map.of("max.open.orders", "10")));
        ChangeGate gate = gate();
        Hashtable<String, Object> first = new Hashtable<>(Map.of("service.pid", RISK, "max.open.orders", 10));
        gate.modifyConfiguration(null, first);
        assertEquals(10, first.get("max.open.orders"), "what the target runs with passes unchanged while IDLE");

        orders.put("rsi-KRW-BTC", List.of("o1"));
        configs.put(RISK, new Hashtable<>(Map.of("max.open.orders", 3, "daily.loss.limit", "5000")));
        Hashtable<String, Object> changed = new Hashtable<>(Map.of("service.pid", RISK, "max.open.orders", 3,
                "daily.loss.limit", "5000"));
        gate.modifyConfiguration(null, changed);
        assertEquals(Map.of("service.pid", RISK, "max.open.orders", 10), changed, "the target gets its previous properties");
        ConfigChangeRequested held = (ConfigChangeRequested) gate.pending().get(0);
        assertEquals(Map.of("max.open.orders", "3", "daily.loss.limit", "5000"), held.properties());
        assertEquals("configadmin", held.source());
        assertEquals(List.of(held), stored(ConfigChangeRequested.class), "held as a stored request");
        gate.modifyConfiguration(null, new Hashtable<>(Map.of("service.pid", RISK, "max.open.orders", 3, "daily.loss.limit", "5000")));
        assertEquals(1, gate.pending().size(), "a second target of the same change holds no second change");
        assertEquals(List.of(), updates);

        orders.clear();
        idle(gate, "global");
        assertEquals(List.of(RISK + " {daily.loss.limit=5000, max.open.orders=3}"), updates,
                "applied by updating it again, typed values kept");
        Hashtable<String, Object> redelivered = new Hashtable<>(configs.get(RISK));
        redelivered.put("service.pid", RISK);
        orders.put("rsi-KRW-BTC", List.of("o2"));
        gate.modifyConfiguration(null, redelivered);
        assertEquals(3, redelivered.get("max.open.orders"), "what the gate applied passes, even while trading again");
        assertEquals(List.of(held.changeId()), stored(ConfigChangeApplied.class).stream().map(ConfigChangeApplied::changeId).toList());
        assertEquals(List.of(), gate.pending());
    }

    @Test
    void aConfigurationsFirstDeliveryStartsItsComponentEvenWhileTrading() {
        orders.put("rsi-KRW-BTC", List.of("o1"));
        ChangeGate gate = gate();
        Hashtable<String, Object> created = new Hashtable<>(Map.of("service.pid", "io.autotrade.exchange.paper",
                "fee.rate", "0.001"));
        gate.modifyConfiguration(null, created);
        assertEquals("0.001", created.get("fee.rate"));
        assertEquals(List.of(), gate.pending());
        Hashtable<String, Object> changed = new Hashtable<>(Map.of("service.pid", "io.autotrade.exchange.paper",
                "fee.rate", "0.002"));
        gate.modifyConfiguration(null, changed);
        assertEquals("0.001", changed.get("fee.rate"), "a change to it then waits");
    }

    @Test
    void aStrategyInstancesConfigurationChangedThroughConfigAdminWaitsOnlyForItsOwnOrders() {
        orders.put("macross-KRW-ETH", List.of("m1"));
        ChangeGate gate = gate();
        Hashtable<String, Object> created = new Hashtable<>(Map.of("service.pid", RSI, "service.factoryPid",
                "io.autotrade.strategy.rsi", "market", "KRW-BTC", "period", "14"));
        gate.modifyConfiguration(null, created);
        assertEquals("14", created.get("period"), "a new instance of an IDLE strategy starts with its configuration");
        assertEquals(List.of(), gate.pending());

        orders.put("rsi-KRW-BTC", List.of("r1"));
        Hashtable<String, Object> changed = new Hashtable<>(created);
        changed.put("period", "7");
        gate.modifyConfiguration(null, changed);
        assertEquals("14", changed.get("period"));
        assertEquals("rsi-KRW-BTC", gate.pending().get(0).scope());
    }

    @Test
    void aBundleUpdateWaitsForEveryOrderAndRunsAfterTheChangesBeforeIt() throws Exception {
        installed.put("file:/deploy/rsi.jar", new BundleOps.Installed("io.autotrade.strategy.rsi", "file:/deploy/rsi.jar", "1.0.0"));
        configs.put(RISK, new Hashtable<>(Map.of("max.open.orders", "10")));
        orders.put("rsi-KRW-BTC", List.of("o1"));
        ChangeGate gate = gate();
        gate.request(RISK, Map.of("max.open.orders", "3"), ConfigGate.Mode.WAIT, "shell");
        ConfigGate.Result update = gate.requestBundle(io.autotrade.api.config.BundleOperation.UPDATE, "file:/deploy/rsi.jar",
                jar("io.autotrade.strategy.rsi"), ConfigGate.Mode.WAIT, "deploy/rsi.jar");
        gate.request(RISK, Map.of("max.open.orders", "4"), ConfigGate.Mode.WAIT, "shell");
        assertFalse(update.applied());
        assertEquals(List.of("o1"), update.waitingFor());
        assertTrue(gate.pending().get(1).describe().startsWith("update bundle io.autotrade.strategy.rsi"));
        IllegalStateException refused = assertThrows(IllegalStateException.class, () -> gate.requestBundle(
                io.autotrade.api.config.BundleOperation.UNINSTALL, "file:/deploy/rsi.jar", null, ConfigGate.Mode.NO_WAIT, "shell"));
        assertTrue(refused.getMessage().contains("o1"), refused.getMessage());
        assertEquals(List.of(), updates, "the old code keeps running");

        orders.clear();
        idle(gate, "global");
        awaitUpdates(3);
        assertEquals(List.of(RISK + " {max.open.orders=3}", "UPDATE file:/deploy/rsi.jar", RISK + " {max.open.orders=4}"), updates,
                "in arrival order");
        io.autotrade.api.config.BundleChangeApplied applied = stored(io.autotrade.api.config.BundleChangeApplied.class).get(0);
        assertEquals(update.changeId(), applied.changeId());
        assertEquals("1.0.0", applied.fromVersion());
        assertEquals("2.0.0", applied.toVersion());
        assertTrue(applied.succeeded());
        assertEquals(List.of(), gate.pending());
    }

    @Test
    void aNewBundleIsInstalledAtOnceWhileTradingButThePlatformIsNotReplaced() throws Exception {
        installed.put("core", new BundleOps.Installed("io.autotrade.core", "core", "0.1.0"));
        orders.put("rsi-KRW-BTC", List.of("o1"));
        ChangeGate gate = gate();
        ConfigGate.Result install = gate.requestBundle(io.autotrade.api.config.BundleOperation.INSTALL, "file:/deploy/new.jar",
                jar("io.autotrade.strategy.fresh"), ConfigGate.Mode.NO_WAIT, "deploy/new.jar");
        assertTrue(install.applied(), "a new bundle touches nothing that runs");
        assertEquals(List.of("INSTALL file:/deploy/new.jar"), updates);
        IllegalArgumentException platform = assertThrows(IllegalArgumentException.class, () -> gate.requestBundle(
                io.autotrade.api.config.BundleOperation.UPDATE, "core", jar("io.autotrade.core"), ConfigGate.Mode.FORCE, "shell"));
        assertTrue(platform.getMessage().contains("restart the runtime"), platform.getMessage());
        IllegalArgumentException wrong = assertThrows(IllegalArgumentException.class, () -> gate.requestBundle(
                io.autotrade.api.config.BundleOperation.UPDATE, "file:/deploy/new.jar", jar("io.autotrade.other"),
                ConfigGate.Mode.FORCE, "shell"));
        assertTrue(wrong.getMessage().contains("not io.autotrade.strategy.fresh"), wrong.getMessage());
    }

    @Test
    void aHeldBundleChangeSurvivesARestart() throws Exception {
        installed.put("file:/deploy/rsi.jar", new BundleOps.Installed("io.autotrade.strategy.rsi", "file:/deploy/rsi.jar", "1.0.0"));
        orders.put("rsi-KRW-BTC", List.of("o1"));
        ConfigGate.Result held = gate().requestBundle(io.autotrade.api.config.BundleOperation.UNINSTALL, "file:/deploy/rsi.jar",
                null, ConfigGate.Mode.WAIT, "shell");
        ChangeGate restarted = gate();
        assertEquals(List.of(held.changeId()), restarted.pending().stream().map(PendingChange::changeId).toList());
        orders.clear();
        idle(restarted, "global");
        awaitUpdates(1);
        assertEquals(List.of("UNINSTALL file:/deploy/rsi.jar"), updates);
    }

    @Test
    void secretValuesAreAppliedButNeverStoredNorShown() {
        String upbit = "io.autotrade.exchange.upbit";
        orders.put("rsi-KRW-BTC", List.of("o1"));
        ChangeGate gate = gate();
        gate.request(upbit, Map.of("secret.key", "s3cr3t-value", "markets", "KRW-BTC"), ConfigGate.Mode.WAIT, "shell");
        assertEquals(Map.of("secret.key", "****", "markets", "KRW-BTC"),
                ((ConfigChangeRequested) gate.pending().get(0)).properties(), "trade:pending shows no secret");
        assertTrue(store.query(EventQuery.all()).stream().noneMatch(e -> e.toString().contains("s3cr3t-value")),
                "no stored event holds the secret");
        orders.clear();
        idle(gate, "global");
        assertEquals("s3cr3t-value", configs.get(upbit).get("secret.key"), "the component gets the real value");
        assertTrue(store.query(EventQuery.all()).stream().noneMatch(e -> e.toString().contains("s3cr3t-value")));

        orders.put("rsi-KRW-BTC", List.of("o2"));
        gate.request(upbit, Map.of("secret.key", "next-secret"), ConfigGate.Mode.WAIT, "shell");
        orders.clear();
        ChangeGate restarted = gate();
        quiet.countDown();
        idle(restarted, "global");
        assertEquals("s3cr3t-value", configs.get(upbit).get("secret.key"), "a masked secret is not applied after a restart");
    }
}
