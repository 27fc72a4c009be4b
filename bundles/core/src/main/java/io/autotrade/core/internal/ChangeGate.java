package io.autotrade.core.internal;

import io.autotrade.api.config.ConfigChangeApplied;
import io.autotrade.api.config.ConfigChangeRequested;
import io.autotrade.api.config.ConfigGate;
import io.autotrade.api.event.DomainEvent;
import io.autotrade.api.event.EventBus;
import io.autotrade.api.event.EventProperties;
import io.autotrade.api.event.EventQuery;
import io.autotrade.api.event.EventStore;
import io.autotrade.api.event.Topics;
import io.autotrade.api.strategy.LongOnlyStrategy;
import io.autotrade.api.trading.TradingStateChanged;
import io.autotrade.api.trading.TradingStatus;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Dictionary;
import java.util.HashSet;
import java.util.Hashtable;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.event.Event;
import org.osgi.service.event.EventConstants;
import org.osgi.service.event.EventHandler;
import org.osgi.service.log.Logger;
import org.osgi.service.log.LoggerFactory;

/**
 * The trade-safe configuration gate ({@link ConfigGate}). A change's scope is the strategy instance
 * when the PID is a strategy's factory configuration (factory PID under {@value #STRATEGY_PIDS}; the
 * instance id as {@link LongOnlyStrategy#instanceId} derives it), else global. While the scope
 * has an order in flight the change is held; held changes are applied in arrival order when their
 * scope's last order ends ({@code trading.state_changed} to IDLE), a change never overtaking an earlier
 * one of the same PID. Requests and applications are stored events ({@code config.change_requested},
 * {@code config.change_applied}); a requested change without an application is pending, and is
 * pending again after a restart.
 *
 * <p>Applying hands the properties to ConfigAdmin ({@code Configuration.update}, OSGi Compendium 104),
 * which delivers them to the component; the component sees the change only then.
 */
@Component(immediate = true, service = {ConfigGate.class, EventHandler.class},
        property = {EventConstants.EVENT_TOPIC + "=" + Topics.TRADING_STATE_CHANGED,
                EventProperties.HANDLER_ID + "=" + ChangeGate.HANDLER})
public class ChangeGate implements ConfigGate, EventHandler {
    /** Handler id of the gate. */
    static final String HANDLER = "core.config-gate";
    /** Factory PIDs under this prefix are strategies, whose changes wait only for their own orders. */
    static final String STRATEGY_PIDS = "io.autotrade.strategy.";

    private record Held(ConfigChangeRequested change, Instant since) {
    }

    /** How long a start waits for the bus's redeliveries before looking at held changes. */
    private static final Duration RECOVERY_WAIT = Duration.ofSeconds(30);

    private final EventBus bus;
    private final TradingStatus status;
    private final ConfigurationAdmin configAdmin;
    private final Logger logger;
    private final List<Held> held = new ArrayList<>();

    /**
     * @param bus           where requests and applications are published
     * @param status        the trading state per scope
     * @param store         the requests and applications before this start
     * @param configAdmin   where changes are applied
     * @param loggerFactory for held, forced and applied changes
     */
    @Activate
    public ChangeGate(@Reference EventBus bus, @Reference TradingStatus status, @Reference EventStore store,
            @Reference ConfigurationAdmin configAdmin, @Reference LoggerFactory loggerFactory) {
        this.bus = bus;
        this.status = status;
        this.configAdmin = configAdmin;
        this.logger = loggerFactory.getLogger(ChangeGate.class);
        Set<String> applied = new HashSet<>();
        for (DomainEvent<?> e : store.query(EventQuery.ofType(ConfigChangeApplied.KIND.type()))) {
            applied.add(((ConfigChangeApplied) e.payload()).changeId());
        }
        for (DomainEvent<?> e : store.query(EventQuery.ofType(ConfigChangeRequested.KIND.type()))) {
            ConfigChangeRequested r = (ConfigChangeRequested) e.payload();
            if (!applied.contains(r.changeId())) {
                held.add(new Held(r, e.occurredAt()));
            }
        }
        if (!held.isEmpty()) {
            logger.warn("{} configuration change(s) held since before this start: {}", held.size(),
                    held.stream().map(h -> h.change().pid()).toList());
            Thread later = new Thread(this::applyWhenRecovered, "autotrade-config-gate-start");
            later.setDaemon(true);
            later.start();
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
        String scope = scopeOf(pid);
        List<String> waitingFor = status.openOrders(scope);
        boolean behind = held.stream().anyMatch(h -> h.change().pid().equals(pid));
        boolean ready = waitingFor.isEmpty() && !behind;
        if (mode == Mode.NO_WAIT && !ready) {
            throw new IllegalStateException("refused without waiting: " + pid + " (scope " + scope + ") "
                    + (waitingFor.isEmpty() ? "has an earlier change held" : "has orders in flight: " + String.join(", ", waitingFor)));
        }
        ConfigChangeRequested change = new ConfigChangeRequested(UUID.randomUUID().toString(), pid, properties, scope, source);
        DomainEvent<ConfigChangeRequested> requested = DomainEvent.of(change, Instant.now());
        bus.publish(requested);
        if (mode == Mode.FORCE || ready) {
            if (!ready) {
                logger.warn("FORCED configuration change {} of {} (scope {}) with orders in flight: {}", change.changeId(),
                        pid, scope, waitingFor);
            }
            apply(requested, change, !ready, 0);
            return new Result(change.changeId(), true, scope, List.of());
        }
        held.add(new Held(change, requested.occurredAt()));
        logger.info("configuration change {} of {} held until scope {} is IDLE (orders in flight: {})", change.changeId(),
                pid, scope, waitingFor);
        return new Result(change.changeId(), false, scope, waitingFor);
    }

    @Override
    public synchronized List<ConfigChangeRequested> pending() {
        return held.stream().map(Held::change).toList();
    }

    @Override
    public void handleEvent(Event event) {
        DomainEvent<?> e = EventProperties.domainEvent(event);
        if (e.payload() instanceof TradingStateChanged changed && changed.openOrders().isEmpty()) {
            applyReady(e);
        }
    }

    /** Applies, in arrival order, every held change whose scope has no order in flight and no earlier change of its PID held. */
    private synchronized void applyReady(DomainEvent<?> cause) {
        Set<String> blockedPids = new HashSet<>();
        for (Held h : new ArrayList<>(held)) {
            ConfigChangeRequested change = h.change();
            if (blockedPids.contains(change.pid()) || !status.openOrders(change.scope()).isEmpty()) {
                blockedPids.add(change.pid());
                continue;
            }
            held.remove(h);
            apply(cause, change, false, Duration.between(h.since(), Instant.now()).toMillis());
        }
    }

    private void apply(DomainEvent<?> cause, ConfigChangeRequested change, boolean forced, long heldMillis) {
        try {
            Configuration c = configuration(change.pid());
            Dictionary<String, Object> props = c.getProperties() == null ? new Hashtable<>() : c.getProperties();
            change.properties().forEach(props::put);
            c.update(props);
        } catch (IOException e) {
            throw new IllegalStateException("cannot apply configuration change " + change.changeId() + " to " + change.pid()
                    + ": " + e.getMessage(), e);
        }
        ConfigChangeApplied applied = new ConfigChangeApplied(change.changeId(), change.pid(), change.properties(),
                change.scope(), forced, Math.max(0, heldMillis));
        bus.publish(cause == null ? DomainEvent.of(applied, Instant.now()) : DomainEvent.causedBy(cause, applied, Instant.now()));
        logger.info("configuration change {} of {} applied{} after {} ms held", change.changeId(), change.pid(),
                forced ? " (FORCED)" : "", heldMillis);
    }

    /** A plain PID, or a factory configuration's {@code factoryPid~name} (ConfigAdmin 1.6 naming). */
    private Configuration configuration(String pid) throws IOException {
        int tilde = pid.indexOf('~');
        return tilde > 0 ? configAdmin.getFactoryConfiguration(pid.substring(0, tilde), pid.substring(tilde + 1), "?")
                : configAdmin.getConfiguration(pid, "?");
    }

    /** @return the strategy id for a strategy instance's configuration, else global */
    private String scopeOf(String pid) {
        try {
            Configuration[] found = configAdmin.listConfigurations("(service.pid=" + pid.replaceAll("([\\\\*()])", "\\\\$1") + ")");
            if (found == null || found[0].getFactoryPid() == null || !found[0].getFactoryPid().startsWith(STRATEGY_PIDS)) {
                return TradingStatus.GLOBAL;
            }
            Dictionary<String, Object> p = found[0].getProperties();
            Object id = p == null ? null : p.get("strategy.id");
            Object market = p == null ? null : p.get("market");
            if (market == null) {
                return TradingStatus.GLOBAL;
            }
            return LongOnlyStrategy.instanceId(found[0].getFactoryPid().substring(STRATEGY_PIDS.length()),
                    id == null ? null : id.toString(), market.toString());
        } catch (IOException | InvalidSyntaxException e) {
            logger.warn("cannot look up configuration {} ({}); its change waits for all orders", pid, e.getMessage());
            return TradingStatus.GLOBAL;
        }
    }
}
