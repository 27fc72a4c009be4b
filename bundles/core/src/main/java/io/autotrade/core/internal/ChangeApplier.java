package io.autotrade.core.internal;

import io.autotrade.api.config.BundleChangeApplied;
import io.autotrade.api.config.BundleChangeRequested;
import io.autotrade.api.config.ConfigChangeApplied;
import io.autotrade.api.config.ConfigChangeRequested;
import io.autotrade.api.config.ConfigGate;
import io.autotrade.api.event.DomainEvent;
import io.autotrade.api.event.EventBus;
import java.io.IOException;
import java.time.Instant;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.List;
import java.util.Map;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.service.log.Logger;

/**
 * Carries out the changes the gate lets through and records each: configuration changes of one PID as one
 * ConfigAdmin update ({@code Configuration.update}, OSGi Compendium 104), then a {@code config.change_applied}
 * each; bundle changes through {@link BundleOps} (update or uninstall, then a wiring refresh), then a
 * {@code config.bundle_change_applied}. What it applied last per PID is remembered, so the gate's
 * {@code ConfigurationPlugin} lets exactly that delivery through whatever the trading state.
 */
final class ChangeApplier {
    private final EventBus bus;
    private final ConfigurationAdmin configAdmin;
    private final BundleOps bundles;
    private final Logger logger;
    private final Map<String, Map<String, String>> released;

    /**
     * @param bus         where applications are recorded
     * @param configAdmin where configuration changes go
     * @param bundles     carries out bundle changes
     * @param logger      for what was applied and what failed
     * @param released    per PID, what was applied last, as text (shared with the gate)
     */
    ChangeApplier(EventBus bus, ConfigurationAdmin configAdmin, BundleOps bundles, Logger logger,
            Map<String, Map<String, String>> released) {
        this.bus = bus;
        this.configAdmin = configAdmin;
        this.bundles = bundles;
        this.logger = logger;
        this.released = released;
    }

    /** Applies changes of one PID, in order, as one ConfigAdmin update, and records each as applied. */
    void apply(DomainEvent<?> cause, List<ConfigChangeRequested> changes, boolean forced, List<Long> heldMillis) {
        String pid = changes.get(0).pid();
        try {
            Configuration c = configuration(pid);
            Dictionary<String, Object> props = c.getProperties() == null ? new Hashtable<>() : c.getProperties();
            for (ConfigChangeRequested change : changes) {
                change.properties().forEach((k, v) -> {
                    if (ConfigGate.MASK.equals(v)) {
                        logger.warn("configuration change {} of {}: the secret {} was not stored and is not applied after the"
                                + " restart; set it again", change.changeId(), pid, k);
                        return;
                    }
                    if (!v.equals(ChangeTexts.text(props.get(k)))) {
                        props.put(k, v);
                    }
                });
            }
            released.put(pid, ChangeTexts.text(ChangeTexts.content(props)));
            c.update(props);
        } catch (IOException e) {
            throw new IllegalStateException("cannot apply configuration change(s) "
                    + changes.stream().map(ConfigChangeRequested::changeId).toList() + " to " + pid + ": " + e.getMessage(), e);
        }
        for (int i = 0; i < changes.size(); i++) {
            ConfigChangeRequested change = changes.get(i);
            ConfigChangeApplied applied = new ConfigChangeApplied(change.changeId(), pid, ChangeTexts.masked(change.properties()),
                    change.scope(), forced, Math.max(0, heldMillis.get(i)));
            bus.publish(cause == null ? DomainEvent.of(applied, Instant.now()) : DomainEvent.causedBy(cause, applied, Instant.now()));
            logger.info("configuration change {} of {} applied{} after {} ms held", change.changeId(), pid,
                    forced ? " (FORCED)" : "", heldMillis.get(i));
        }
    }

    BundleChangeApplied bundle(DomainEvent<?> cause, BundleChangeRequested change, boolean forced, long heldMillis) {
        BundleOps.Installed before = bundles.at(change.location());
        BundleOps.Installed after = null;
        String failure = null;
        try {
            after = bundles.apply(change.operation(), change.location(), change.artifact());
        } catch (Exception e) {
            failure = e.getMessage() == null ? e.toString() : e.getMessage();
            logger.error("bundle change {} ({}) failed: {}", change.changeId(), change.describe(), failure);
        }
        BundleChangeApplied applied = new BundleChangeApplied(change.changeId(), change.operation(), change.symbolicName(),
                before == null ? null : before.version(), after == null ? null : after.version(), change.scope(), forced,
                heldMillis, failure);
        bus.publish(cause == null ? DomainEvent.of(applied, Instant.now()) : DomainEvent.causedBy(cause, applied, Instant.now()));
        if (failure == null) {
            logger.info("bundle change {} ({}) done{} after {} ms held: {} -> {}", change.changeId(), change.describe(),
                    forced ? " (FORCED)" : "", heldMillis, applied.fromVersion(), applied.toVersion());
        }
        return applied;
    }

    /** A plain PID, or a factory configuration's {@code factoryPid~name} (ConfigAdmin 1.6 naming). */
    private Configuration configuration(String pid) throws IOException {
        int tilde = pid.indexOf('~');
        return tilde > 0 ? configAdmin.getFactoryConfiguration(pid.substring(0, tilde), pid.substring(tilde + 1), "?")
                : configAdmin.getConfiguration(pid, "?");
    }
}
