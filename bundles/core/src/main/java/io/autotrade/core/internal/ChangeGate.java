package io.autotrade.core.internal;

import io.autotrade.api.config.BundleChangeApplied;
import io.autotrade.api.config.BundleChangeRequested;
import io.autotrade.api.config.BundleOperation;
import io.autotrade.api.config.ConfigChangeApplied;
import io.autotrade.api.config.ConfigChangeRequested;
import io.autotrade.api.config.ConfigGate;
import io.autotrade.api.config.PendingChange;
import io.autotrade.api.config.SettingsCheck;
import io.autotrade.api.event.DomainEvent;
import io.autotrade.api.event.EventBus;
import io.autotrade.api.event.EventProperties;
import io.autotrade.api.event.EventQuery;
import io.autotrade.api.event.EventStore;
import io.autotrade.api.event.Topics;
import io.autotrade.api.strategy.Strategy;
import io.autotrade.api.trading.TradingStateChanged;
import io.autotrade.api.trading.TradingStatus;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Dictionary;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.Set;
import java.util.UUID;
import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.framework.ServiceReference;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.service.cm.ConfigurationPlugin;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.event.Event;
import org.osgi.service.event.EventConstants;
import org.osgi.service.event.EventHandler;
import org.osgi.service.log.Logger;
import org.osgi.service.log.LoggerFactory;

/**
 * The trade-safe change gate ({@link ConfigGate}): configuration and bundle changes wait until no order they
 * could affect is in flight. A change's scope is the strategy instance for a strategy's factory configuration
 * (factory PID under {@value #STRATEGY_PIDS}, id as {@link Strategy#instanceId} derives it), else global;
 * held changes are applied in arrival order when their scope is IDLE, never overtaking an earlier change of
 * the same PID or bundle; requests and applications are stored events, so a held change is held again after
 * a restart. As a {@link ConfigurationPlugin} (Compendium 104.9) it holds changes other bundles make through
 * ConfigAdmin too, giving the target its previous properties meanwhile. {@link ChangeApplier} carries changes
 * out. The rules, and why, are in {@code docs/architecture.md} ("Trade-safe changes").
 *
 * <p>Why it is longer than 400 lines: its three services (the gate's API, the handler of trading-state
 * changes, the ConfigurationPlugin) read and change one list of held changes under one lock.
 */
@Component(immediate = true, service = {ConfigGate.class, EventHandler.class, ConfigurationPlugin.class},
        property = {EventConstants.EVENT_TOPIC + "=" + Topics.TRADING_STATE_CHANGED,
                EventProperties.HANDLER_ID + "=" + ChangeGate.HANDLER,
                ConfigurationPlugin.CM_RANKING + ":Integer=0"})
public class ChangeGate implements ConfigGate, EventHandler, ConfigurationPlugin {
    /** Handler id of the gate. */
    static final String HANDLER = "core.config-gate";
    /** Factory PIDs under this prefix are strategies, whose changes wait only for their own orders. */
    static final String STRATEGY_PIDS = "io.autotrade.strategy.";
    /** Configurations whose changes through the ConfigAdmin API are held too: the platform's own. */
    static final String GATED_PIDS = "io.autotrade.";
    /** The source recorded for a change another bundle made through the ConfigAdmin API. */
    static final String CONFIGADMIN_SOURCE = "configadmin";
    /** Bundles the gate does not update or remove: the platform it runs on (restart the runtime instead). */
    static final Set<String> PLATFORM_BUNDLES = Set.of("io.autotrade.api", "io.autotrade.core", "io.autotrade.store.sqlite");
    private record Held(PendingChange change, Instant since) {
        long heldMillis() {
            return Math.max(0, Duration.between(since, Instant.now()).toMillis());
        }
    }

    /** How long a start waits for the bus's redeliveries before looking at held changes. */
    private static final Duration RECOVERY_WAIT = Duration.ofSeconds(30);

    private final EventBus bus;
    private final TradingStatus status;
    private final ConfigurationAdmin configAdmin;
    private final BundleOps bundles;
    private final Logger logger;
    private final List<Held> held = new CopyOnWriteArrayList<>();
    /** Refuses unknown keys and malformed values before a change is recorded (absent in unit tests). */
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
    private volatile SettingsCheck settings;
    /** What the targets of each gated PID were last given (properties without bookkeeping). */
    private final Map<String, Map<String, Object>> delivered = new ConcurrentHashMap<>();
    /** What the gate itself applied last, per PID, as text: a delivery of exactly this passes whatever the state. */
    private final Map<String, Map<String, String>> released = new ConcurrentHashMap<>();
    private final ChangeApplier applying;
    /** Carries out bundle changes, and the changes held behind one, in order. */
    private final ExecutorService applier = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "autotrade-change-applier");
        t.setDaemon(true);
        return t;
    });

    /**
     * @param context       the core bundle's context, for bundle changes
     * @param bus           where requests and applications are published
     * @param status        the trading state per scope
     * @param store         the requests and applications before this start
     * @param configAdmin   where configuration changes are applied
     * @param loggerFactory for held, forced and applied changes
     */
    @Activate
    public ChangeGate(BundleContext context, @Reference EventBus bus, @Reference TradingStatus status,
            @Reference EventStore store, @Reference ConfigurationAdmin configAdmin, @Reference LoggerFactory loggerFactory) {
        this(bus, status, store, configAdmin, new FrameworkBundles(context), loggerFactory);
    }

    ChangeGate(EventBus bus, TradingStatus status, EventStore store, ConfigurationAdmin configAdmin, BundleOps bundles,
            LoggerFactory loggerFactory) {
        this.bus = bus;
        this.status = status;
        this.configAdmin = configAdmin;
        this.bundles = bundles;
        this.logger = loggerFactory.getLogger(ChangeGate.class);
        this.applying = new ChangeApplier(bus, configAdmin, bundles, logger, released);
        Set<String> applied = new HashSet<>();
        for (DomainEvent<?> e : store.query(EventQuery.ofType(ConfigChangeApplied.KIND.type()))) {
            applied.add(((ConfigChangeApplied) e.payload()).changeId());
        }
        for (DomainEvent<?> e : store.query(EventQuery.ofType(BundleChangeApplied.KIND.type()))) {
            applied.add(((BundleChangeApplied) e.payload()).changeId());
        }
        List<DomainEvent<?>> requested = new ArrayList<>(store.query(EventQuery.ofType(ConfigChangeRequested.KIND.type())));
        requested.addAll(store.query(EventQuery.ofType(BundleChangeRequested.KIND.type())));
        requested.sort(java.util.Comparator.comparing(DomainEvent::occurredAt));
        for (DomainEvent<?> e : requested) {
            PendingChange r = (PendingChange) e.payload();
            if (!applied.contains(r.changeId())) {
                held.add(new Held(r, e.occurredAt()));
            }
        }
        rememberDelivered();
        if (!held.isEmpty()) {
            logger.warn("{} change(s) held since before this start: {}", held.size(),
                    held.stream().map(h -> h.change().describe()).toList());
            Thread later = new Thread(this::applyWhenRecovered, "autotrade-config-gate-start");
            later.setDaemon(true);
            later.start();
        }
    }

    @Deactivate
    void stop() {
        applier.shutdown();
    }

    /** The gated configurations as they are now: what their targets were given before this gate started. */
    private void rememberDelivered() {
        try {
            Configuration[] all = configAdmin.listConfigurations("(" + Constants.SERVICE_PID + "=" + GATED_PIDS + "*)");
            for (Configuration c : all == null ? new Configuration[0] : all) {
                if (c.getProperties() != null) {
                    delivered.put(c.getPid(), ChangeTexts.content(c.getProperties()));
                }
            }
        } catch (IOException | InvalidSyntaxException e) {
            logger.warn("cannot list the configurations: {}; changes made through ConfigAdmin are compared with none", e.getMessage());
        }
    }

    /**
     * After a restart the trading state is only known once the bus has redelivered what the tracker
     * had not handled (an order request among it would make a scope TRADING again): the held changes
     * are looked at once the bus is quiet, not during activation.
     */
    private void applyWhenRecovered() {
        try {
            bus.awaitQuiescence(RECOVERY_WAIT);
        } catch (java.util.concurrent.TimeoutException e) {
            logger.warn("the bus was not quiet within {} s of the start; held changes wait for the next state change",
                    RECOVERY_WAIT.toSeconds());
            return;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
        }
        applyReady(null);
    }

    @Override
    public synchronized Result request(String pid, Map<String, String> properties, Mode mode, String source) {
        if (pid == null || pid.isBlank()) {
            throw new IllegalArgumentException("a configuration change needs a PID");
        }
        properties.forEach((k, v) -> {
            if (k == null || k.isBlank() || v == null) {
                throw new IllegalArgumentException("configuration change of " + pid + ": property '" + k + "' has no key or value");
            }
        });
        SettingsCheck check = settings;
        List<String> problems = check == null ? List.of() : check.problems(pid, properties, false);
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException(pid + ": " + String.join("; ", problems));
        }
        String scope = scopeOf(pid);
        List<String> waitingFor = status.openOrders(scope);
        boolean ready = waitingFor.isEmpty() && !behind("config/" + pid);
        if (mode == Mode.NO_WAIT && !ready) {
            throw new IllegalStateException("refused without waiting: " + pid + " (scope " + scope + ") "
                    + (waitingFor.isEmpty() ? "has an earlier change held" : "has orders in flight: " + String.join(", ", waitingFor)));
        }
        ConfigChangeRequested change = new ConfigChangeRequested(UUID.randomUUID().toString(), pid, properties, scope, source);
        DomainEvent<ConfigChangeRequested> requested = DomainEvent.of(change, Instant.now());
        bus.publish(ChangeTexts.recorded(requested));
        if (mode == Mode.FORCE || ready) {
            if (!ready) {
                logger.warn("FORCED configuration change {} of {} (scope {}) with orders in flight: {}", change.changeId(),
                        pid, scope, waitingFor);
            }
            applying.apply(requested, List.of(change), !ready, List.of(0L));
            return new Result(change.changeId(), true, scope, List.of());
        }
        held.add(new Held(change, requested.occurredAt()));
        logger.info("configuration change {} of {} held until scope {} is IDLE (orders in flight: {})", change.changeId(),
                pid, scope, waitingFor);
        return new Result(change.changeId(), false, scope, waitingFor);
    }

    @Override
    public Result requestBundle(BundleOperation operation, String location, String artifact, Mode mode, String source) {
        if (operation == null || location == null || location.isBlank()) {
            throw new IllegalArgumentException("a bundle change needs an operation and a location");
        }
        BundleOps.Installed current = bundles.at(location);
        String symbolicName;
        if (operation == BundleOperation.INSTALL) {
            if (current != null) {
                throw new IllegalArgumentException("a bundle is already installed from " + location + ": "
                        + current.symbolicName() + " " + current.version() + "; update it instead");
            }
            symbolicName = ChangeTexts.symbolicNameOf(artifact);
        } else {
            if (current == null) {
                throw new IllegalArgumentException("no bundle is installed from " + location);
            }
            symbolicName = current.symbolicName();
            if (PLATFORM_BUNDLES.contains(symbolicName)) {
                throw new IllegalArgumentException(symbolicName + " is the platform the gate runs on; it is not "
                        + operation.name().toLowerCase(java.util.Locale.ROOT) + "d while running: restart the runtime");
            }
            String replacement = operation == BundleOperation.UPDATE ? ChangeTexts.symbolicNameOf(artifact) : symbolicName;
            if (!symbolicName.equals(replacement)) {
                throw new IllegalArgumentException(artifact + " is bundle " + replacement + ", not " + symbolicName
                        + " installed from " + location);
            }
        }
        String scope = TradingStatus.GLOBAL;
        DomainEvent<BundleChangeRequested> requested;
        boolean ready;
        synchronized (this) {
            List<String> waitingFor = operation == BundleOperation.INSTALL ? List.of() : status.openOrders(scope);
            ready = waitingFor.isEmpty() && !behind("bundle/" + symbolicName);
            if (mode == Mode.NO_WAIT && !ready) {
                throw new IllegalStateException("refused without waiting: " + operation.name().toLowerCase(java.util.Locale.ROOT)
                        + " of " + symbolicName + " " + (waitingFor.isEmpty() ? "has an earlier change held"
                        : "waits for the orders in flight: " + String.join(", ", waitingFor)));
            }
            BundleChangeRequested change = new BundleChangeRequested(UUID.randomUUID().toString(), operation, symbolicName,
                    location, artifact, scope, source);
            requested = DomainEvent.of(change, Instant.now());
            bus.publish(requested);
            if (mode != Mode.FORCE && !ready) {
                held.add(new Held(change, requested.occurredAt()));
                logger.info("bundle change {} ({}) held until no order is in flight: {}", change.changeId(), change.describe(),
                        waitingFor);
                return new Result(change.changeId(), false, scope, waitingFor);
            }
            if (!ready) {
                logger.warn("FORCED bundle change {} ({}) with orders in flight: {}", change.changeId(), change.describe(),
                        waitingFor);
            }
        }
        BundleChangeApplied applied = applying.bundle(requested, requested.payload(), !ready, 0);
        if (!applied.succeeded()) {
            throw new IllegalStateException(requested.payload().describe() + " failed: " + applied.failure());
        }
        return new Result(requested.payload().changeId(), true, scope, List.of());
    }

    @Override
    public List<PendingChange> pending() {
        return held.stream().map(h -> h.change() instanceof ConfigChangeRequested c ? ChangeTexts.masked(c) : h.change()).toList();
    }

    @Override
    public void handleEvent(Event event) {
        DomainEvent<?> e = EventProperties.domainEvent(event);
        if (e.payload() instanceof TradingStateChanged changed && changed.openOrders().isEmpty()) {
            applyReady(e);
        }
    }

    /**
     * ConfigAdmin hands a configuration to a target (Compendium 104.9.1): a change to a gated PID made
     * while its scope is TRADING, and not by this gate, is held; the target gets its previous
     * properties. Runs on ConfigAdmin's thread or the one activating a component; takes no gate lock.
     */
    @Override
    public void modifyConfiguration(ServiceReference<?> reference, Dictionary<String, Object> properties) {
        if (!(properties.get(Constants.SERVICE_PID) instanceof String pid) || !pid.startsWith(GATED_PIDS)) {
            return;
        }
        Map<String, Object> content = ChangeTexts.content(properties);
        Map<String, String> text = ChangeTexts.text(content);
        Map<String, Object> last = delivered.get(pid);
        if (last == null || text.equals(released.get(pid)) || text.equals(ChangeTexts.text(last))) {
            // a configuration's first delivery is how its component starts, not a change to one that runs
            delivered.put(pid, content);
            return;
        }
        Object factoryPid = properties.get(ConfigurationAdmin.SERVICE_FACTORYPID);
        String scope = scopeOf(factoryPid == null ? null : factoryPid.toString(), properties.get("strategy.id"),
                properties.get("market"));
        List<String> waitingFor = status.openOrders(scope);
        if (waitingFor.isEmpty() && !behind("config/" + pid)) {
            delivered.put(pid, content);
            return;
        }
        Map<String, String> lastText = ChangeTexts.text(last);
        Map<String, String> changed = new TreeMap<>();
        text.forEach((k, v) -> {
            if (!v.equals(lastText.get(k))) {
                changed.put(k, v);
            }
        });
        if (changed.isEmpty()) {
            logger.warn("configuration {} lost {} through ConfigAdmin while scope {} is TRADING; a removal cannot be held",
                    pid, lastText.keySet().stream().filter(k -> !text.containsKey(k)).toList(), scope);
            delivered.put(pid, content);
            return;
        }
        content.keySet().forEach(properties::remove);
        last.forEach(properties::put);
        String source = ChangeTexts.sourceOf(properties);
        boolean known = held.stream().anyMatch(h -> h.change() instanceof ConfigChangeRequested c && c.pid().equals(pid)
                && c.source().equals(source) && c.properties().equals(changed));
        if (known) {
            return;
        }
        ConfigChangeRequested change = new ConfigChangeRequested(UUID.randomUUID().toString(), pid, changed, scope, source);
        DomainEvent<ConfigChangeRequested> requested = DomainEvent.of(change, Instant.now());
        try {
            bus.publish(ChangeTexts.recorded(requested));
        } catch (RuntimeException e) {
            logger.error("cannot store the held change {} of {}: {}; it is held until this gate stops", change.changeId(), pid,
                    e.getMessage());
        }
        held.add(new Held(change, requested.occurredAt()));
        logger.warn("configuration {} changed through ConfigAdmin while scope {} has orders in flight {}: held ({}); its"
                + " components keep the previous properties", pid, scope, waitingFor, change.changeId());
        if (status.openOrders(scope).isEmpty()) {
            applier.execute(() -> applyReady(null));
        }
    }

    /** @return {@code true} if a change of this PID or bundle ({@code config/<pid>}, {@code bundle/<name>}) is held */
    private boolean behind(String key) {
        return held.stream().anyMatch(h -> key(h.change()).equals(key));
    }

    private static String key(PendingChange change) {
        return change instanceof ConfigChangeRequested c ? "config/" + c.pid()
                : "bundle/" + ((BundleChangeRequested) change).symbolicName();
    }

    /**
     * Applies, in arrival order, every held change whose scope has no order in flight and no earlier
     * change of its PID or bundle held. Configuration changes before the first bundle change are applied
     * here; that bundle change and the rest go to the applier thread, in the same order.
     */
    private synchronized void applyReady(DomainEvent<?> cause) {
        Set<String> blocked = new HashSet<>();
        List<Held> ready = new ArrayList<>();
        for (Held h : held) {
            String key = key(h.change());
            if (blocked.contains(key) || !status.openOrders(h.change().scope()).isEmpty()) {
                blocked.add(key);
                continue;
            }
            held.remove(h);
            ready.add(h);
        }
        int i = 0;
        while (i < ready.size() && ready.get(i).change() instanceof ConfigChangeRequested c) {
            // consecutive held changes of one PID go to ConfigAdmin as one update: two updates back to back can
            // leave a component with the first one's properties (SCR may read the second's change count with
            // the first's properties, then skip the second as seen)
            List<ConfigChangeRequested> run = new ArrayList<>();
            List<Long> heldMillis = new ArrayList<>();
            while (i < ready.size() && ready.get(i).change() instanceof ConfigChangeRequested d && d.pid().equals(c.pid())) {
                run.add(d);
                heldMillis.add(ready.get(i).heldMillis());
                i++;
            }
            applying.apply(cause, run, false, heldMillis);
        }
        List<Held> rest = List.copyOf(ready.subList(i, ready.size()));
        if (!rest.isEmpty()) {
            applier.execute(() -> {
                for (Held h : rest) {
                    if (h.change() instanceof ConfigChangeRequested c) {
                        synchronized (this) {
                            applying.apply(cause, List.of(c), false, List.of(h.heldMillis()));
                        }
                    } else {
                        applying.bundle(cause, (BundleChangeRequested) h.change(), false, h.heldMillis());
                    }
                }
            });
        }
    }

    /** @return the strategy id for a strategy instance's configuration, else global */
    private String scopeOf(String pid) {
        try {
            Configuration[] found = configAdmin.listConfigurations("(service.pid=" + pid.replaceAll("([\\\\*()])", "\\\\$1") + ")");
            if (found == null) {
                return TradingStatus.GLOBAL;
            }
            Dictionary<String, Object> p = found[0].getProperties();
            return scopeOf(found[0].getFactoryPid(), p == null ? null : p.get("strategy.id"), p == null ? null : p.get("market"));
        } catch (IOException | InvalidSyntaxException e) {
            logger.warn("cannot look up configuration {} ({}); its change waits for all orders", pid, e.getMessage());
            return TradingStatus.GLOBAL;
        }
    }

    private static String scopeOf(String factoryPid, Object strategyId, Object market) {
        if (factoryPid == null || !factoryPid.startsWith(STRATEGY_PIDS) || market == null) {
            return TradingStatus.GLOBAL;
        }
        return Strategy.instanceId(factoryPid.substring(STRATEGY_PIDS.length()),
                strategyId == null ? null : strategyId.toString(), market.toString());
    }
}
