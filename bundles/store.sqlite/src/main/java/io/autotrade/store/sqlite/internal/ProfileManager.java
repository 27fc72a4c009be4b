package io.autotrade.store.sqlite.internal;

import io.autotrade.api.config.ConfigGate;
import io.autotrade.api.config.DatabaseProfiles;
import io.autotrade.api.config.DbProfileSwitched;
import io.autotrade.api.event.DomainEvent;
import io.autotrade.api.event.EventBus;
import io.autotrade.api.event.EventStore;
import io.autotrade.api.event.EventStoreException;
import io.autotrade.api.trading.TradingStatus;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;
import org.osgi.framework.BundleContext;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.log.Logger;
import org.osgi.service.log.LoggerFactory;
import org.osgi.util.tracker.ServiceTracker;
import org.sqlite.SQLiteDataSource;

/**
 * Database profiles ({@link DatabaseProfiles}): lists the {@code *.db} files of the data folder and
 * switches the event store between them by updating its configuration (PID {@value #STORE_PID},
 * property {@code profile}); Declarative Services then restarts the store and, through their static
 * references, the bus and everything built on it, each rebuilding its state from the new database.
 *
 * <p>A switch request is a trade-safe change: it goes through the core's {@link ConfigGate} as a change
 * of this component's own configuration (PID {@value #REQUEST_PID}, property {@code profile}), held
 * while an order is in flight. When the gate applies it, ConfigAdmin calls {@link #modified}, and the
 * switch runs on this component's own thread (ConfigAdmin's update thread must stay free to deliver the
 * store's new configuration). A held switch is a stored event of the gate, so it survives a restart.
 *
 * <p>The bus, the store, the gate and the trading state are referenced dynamically, so this component
 * outlives the restart it causes and can publish {@link DbProfileSwitched} into the new database. The
 * switch lasts for the runtime's life: the configuration area is cleaned at each launch, where the
 * feature's {@code autotrade.db.profile} framework property chooses again.
 */
@Component(immediate = true, service = DatabaseProfiles.class, configurationPid = ProfileManager.REQUEST_PID)
public class ProfileManager implements DatabaseProfiles {
    /** Configuration PID of the event store. */
    static final String STORE_PID = "io.autotrade.store.sqlite.internal.SqliteEventStore";
    /** This component's configuration PID: its {@code profile} property is the requested profile. */
    static final String REQUEST_PID = "io.autotrade.store.profile";
    private static final Duration COME_BACK = Duration.ofSeconds(30);
    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss-SSS").withZone(ZoneOffset.UTC);

    private final BundleContext context;
    private final ConfigurationAdmin configAdmin;
    private final Logger logger;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile TradingStatus status;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile ConfigGate gate;

    /** Runs the switches the gate applies, one at a time. */
    private final ExecutorService switcher = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "autotrade-profile-switch");
        t.setDaemon(true);
        return t;
    });
    /** The switch to each profile that was requested and has not happened yet. */
    private final Map<String, CompletableFuture<DbProfileSwitched>> switching = new ConcurrentHashMap<>();

    /**
     * @param context       framework properties and the service registry
     * @param configAdmin   the store's configuration
     * @param loggerFactory for switches
     */
    @Activate
    public ProfileManager(BundleContext context, @Reference ConfigurationAdmin configAdmin,
            @Reference LoggerFactory loggerFactory, Map<String, Object> properties) {
        this.context = context;
        this.configAdmin = configAdmin;
        this.logger = loggerFactory.getLogger(ProfileManager.class);
        modified(properties);
    }

    /**
     * The requested profile changed (the gate applied a switch): switches on this component's thread.
     *
     * @param properties this component's configuration; {@code profile} is the requested profile
     */
    @Modified
    void modified(Map<String, Object> properties) {
        Object requested = properties.get("profile");
        if (requested == null || requested.toString().equals(current())) {
            return;
        }
        String name = requested.toString();
        CompletableFuture<DbProfileSwitched> done = switching.computeIfAbsent(name, n -> new CompletableFuture<>());
        switcher.execute(() -> {
            try {
                done.complete(switchNow(name));
            } catch (RuntimeException e) {
                logger.error("database profile switch to {} failed: {}", name, e.getMessage());
                done.completeExceptionally(e);
            } finally {
                switching.remove(name, done);
            }
        });
    }

    @Deactivate
    void stop() {
        switcher.shutdownNow();
    }

    private Dictionary<String, Object> storeProperties() {
        try {
            Configuration c = configAdmin.getConfiguration(STORE_PID, null);
            Dictionary<String, Object> p = c.getProperties();
            return p == null ? new Hashtable<>() : p;
        } catch (IOException e) {
            throw new EventStoreException("cannot read the event store's configuration: " + e.getMessage(), e);
        }
    }

    private Path folder() {
        Object dir = storeProperties().get("data.dir");
        return DataFolder.folder(dir == null ? null : dir.toString(), context.getProperty(SqliteEventStore.DATA_DIR_PROPERTY));
    }

    @Override
    public String current() {
        Object profile = storeProperties().get("profile");
        return DataFolder.profile(profile == null ? null : profile.toString(), context.getProperty(SqliteEventStore.PROFILE_PROPERTY));
    }

    @Override
    public List<Profile> list() {
        Path folder = folder();
        String current = current();
        List<Profile> out = new ArrayList<>();
        boolean currentSeen = false;
        if (Files.isDirectory(folder)) {
            try (Stream<Path> files = Files.list(folder)) {
                for (Path f : files.filter(f -> f.getFileName().toString().endsWith(".db")).sorted().toList()) {
                    String name = f.getFileName().toString().replaceFirst("\\.db$", "");
                    currentSeen |= name.equals(current);
                    out.add(new Profile(name, f.toAbsolutePath(), Files.size(f), name.equals(current)));
                }
            } catch (IOException e) {
                throw new EventStoreException("cannot list the data folder " + folder + ": " + e.getMessage(), e);
            }
        }
        if (!currentSeen) {
            out.add(new Profile(current, DataFolder.file(folder, current).toAbsolutePath(), 0, true));
            out.sort(Comparator.comparing(Profile::name));
        }
        return out;
    }

    @Override
    public SwitchResult switchTo(String name, ConfigGate.Mode mode) {
        DataFolder.checkName(name);
        String from = current();
        if (name.equals(from)) {
            throw new IllegalArgumentException("the event store is already on profile '" + name + "'");
        }
        ConfigGate changes = gate;
        if (mode == ConfigGate.Mode.FORCE && changes == null) {
            return new SwitchResult(true, switchNow(name), List.of());
        }
        if (changes == null) {
            throw new IllegalStateException("the configuration gate (core) is not running: cannot tell whether an order"
                    + " is in flight, so the profile stays '" + from + "'");
        }
        CompletableFuture<DbProfileSwitched> done = switching.computeIfAbsent(name, n -> new CompletableFuture<>());
        ConfigGate.Result result;
        try {
            result = changes.request(REQUEST_PID, Map.of("profile", name), mode, "profile switch");
        } catch (RuntimeException refused) {
            switching.remove(name, done);
            throw refused;
        }
        if (!result.applied()) {
            logger.info("database profile switch {} -> {} held until no order is in flight: {}", from, name,
                    result.waitingFor());
            return new SwitchResult(false, null, result.waitingFor());
        }
        try {
            return new SwitchResult(true, done.get(COME_BACK.toSeconds() * 2, TimeUnit.SECONDS), List.of());
        } catch (ExecutionException e) {
            throw e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while switching to profile " + name, e);
        } catch (TimeoutException e) {
            throw new IllegalStateException("the switch to profile " + name + " did not complete within "
                    + COME_BACK.toSeconds() * 2 + " s; see the log (trade:status shows the store in use)", e);
        }
    }

    /** Backs the current database up, moves the store, waits for the runtime, stores the event there. */
    private DbProfileSwitched switchNow(String name) {
        EventBus quiet = currentBus();
        if (quiet != null) {
            try {
                // what is in flight (the gate's record that it applied this switch) lands in the current database
                quiet.awaitQuiescence(Duration.ofSeconds(10));
            } catch (java.util.concurrent.TimeoutException e) {
                logger.warn("switching to profile {} with events still in flight; they stay pending in the current database", name);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted before switching to profile " + name, e);
            }
        }
        String from = current();
        List<String> inFlight = status == null ? List.of() : status.openOrders();
        boolean forced = !inFlight.isEmpty();
        Path folder = folder();
        Path backup = backup(DataFolder.file(folder, from), folder.resolve("backups")
                .resolve(from + "-" + STAMP.format(Instant.now()) + ".db"));
        if (forced) {
            logger.warn("FORCED database profile switch {} -> {} with orders in flight: {}", from, name, inFlight);
        }
        EventBus before = currentBus();
        Path target = DataFolder.file(folder, name).toAbsolutePath();
        try {
            ConfigGate changes = gate;
            if (changes != null) {
                // the switch itself was let through (or forced): the store's new profile goes through the gate too,
                // which records it and lets ConfigAdmin deliver it whatever the trading state
                changes.request(STORE_PID, Map.of("profile", name), ConfigGate.Mode.FORCE, "profile switch");
            } else {
                Configuration c = configAdmin.getConfiguration(STORE_PID, null);
                Dictionary<String, Object> props = storeProperties();
                props.put("profile", name);
                c.update(props);
            }
        } catch (IOException | RuntimeException e) {
            throw new EventStoreException("cannot update the event store's configuration: " + e.getMessage()
                    + "; the profile stays '" + from + "' (backup taken: " + backup + ")", e);
        }
        EventBus bus = awaitRuntimeOn(target, before);
        DomainEvent<DbProfileSwitched> event = DomainEvent.of(new DbProfileSwitched(from, name, backup.toString(), forced),
                Instant.now());
        bus.publish(event);
        remember(name);
        logger.info("database profile switched {} -> {} (backup {})", from, name, backup);
        return event.payload();
    }

    /** Records the profile now in use as this component's requested one, so a later activation does not switch back. */
    private void remember(String name) {
        try {
            Configuration own = configAdmin.getConfiguration(REQUEST_PID, "?");
            Dictionary<String, Object> props = own.getProperties() == null ? new Hashtable<>() : own.getProperties();
            if (!name.equals(props.get("profile"))) {
                props.put("profile", name);
                own.update(props);
            }
        } catch (IOException e) {
            logger.warn("cannot record profile {} as the requested one: {}", name, e.getMessage());
        }
    }

    /** Online backup through SQLite's backup API on a connection of our own: a consistent copy while the store writes. */
    private static Path backup(Path source, Path target) {
        if (!Files.exists(source)) {
            throw new EventStoreException("the current database " + source + " does not exist; nothing to back up");
        }
        try {
            Files.createDirectories(target.getParent());
        } catch (IOException e) {
            throw new EventStoreException("cannot create the backup folder " + target.getParent() + ": " + e.getMessage(), e);
        }
        SQLiteDataSource ds = new SQLiteDataSource();
        ds.setUrl("jdbc:sqlite:" + source.toAbsolutePath());
        try (Connection c = ds.getConnection(); Statement s = c.createStatement()) {
            s.executeUpdate("backup to " + target.toAbsolutePath());
        } catch (SQLException e) {
            throw new EventStoreException("backup of " + source + " to " + target + " failed: " + e.getMessage()
                    + "; nothing was switched", e);
        }
        return target.toAbsolutePath();
    }

    private EventBus currentBus() {
        var ref = context.getServiceReference(EventBus.class);
        return ref == null ? null : context.getService(ref);
    }

    /** Waits until the store serves the target file and a bus other than the one before is registered. */
    private EventBus awaitRuntimeOn(Path target, EventBus before) {
        long deadline = System.nanoTime() + COME_BACK.toNanos();
        ServiceTracker<EventStore, EventStore> stores = new ServiceTracker<>(context, EventStore.class, null);
        ServiceTracker<EventBus, EventBus> buses = new ServiceTracker<>(context, EventBus.class, null);
        stores.open();
        buses.open();
        try {
            while (System.nanoTime() < deadline) {
                EventStore store = stores.getService();
                EventBus bus = buses.getService();
                if (store != null && store.location().equals(target.toString()) && bus != null && bus != before) {
                    return bus;
                }
                Thread.sleep(20);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            stores.close();
            buses.close();
        }
        throw new EventStoreException("the event store was told to use " + target + " but the runtime was not back on it"
                + " within " + COME_BACK.toSeconds() + " s; see the log (trade:status shows the store in use)");
    }
}
