package io.autotrade.api.config;

import io.autotrade.api.event.EventKind;
import io.autotrade.api.event.EventPayload;
import io.autotrade.api.event.Priority;
import io.autotrade.api.event.Topics;

/**
 * A requested bundle change was carried out, or failed ({@code failure} set): either way it is no
 * longer pending.
 *
 * @param changeId     the {@link BundleChangeRequested}'s id
 * @param operation    install, update or uninstall
 * @param symbolicName the bundle's symbolic name
 * @param fromVersion  the bundle's version before ({@code null} for an install)
 * @param toVersion    the bundle's version after ({@code null} for an uninstall, or when it failed)
 * @param scope        the trading state it waited for
 * @param forced       {@code true} if carried out at once although its scope was TRADING
 * @param heldMillis   how long it was held, ms (0 when carried out at once)
 * @param failure      why it failed (the framework's error), or {@code null} when it succeeded
 */
public record BundleChangeApplied(String changeId, BundleOperation operation, String symbolicName, String fromVersion,
        String toVersion, String scope, boolean forced, long heldMillis, String failure) implements EventPayload {
    /** Type {@code config.bundle_change_applied}, topic {@link Topics#BUNDLE_CHANGE_APPLIED}, config lane, durable. */
    public static final EventKind KIND = new EventKind("config.bundle_change_applied", 1, Topics.BUNDLE_CHANGE_APPLIED,
            Priority.MEDIUM_CONFIG, true, BundleChangeApplied.class);

    /** @throws IllegalArgumentException if the change id or symbolic name is blank, there is no operation, or the hold is negative */
    public BundleChangeApplied {
        if (changeId == null || changeId.isBlank() || symbolicName == null || symbolicName.isBlank() || operation == null) {
            throw new IllegalArgumentException("an applied bundle change needs its change id, operation and symbolic name");
        }
        if (heldMillis < 0) {
            throw new IllegalArgumentException("bundle change " + changeId + " held for " + heldMillis + " ms");
        }
    }

    @Override
    public EventKind kind() {
        return KIND;
    }

    @Override
    public String aggregateId() {
        return "bundle/" + symbolicName;
    }

    /** @return {@code true} if the bundle change took effect */
    public boolean succeeded() {
        return failure == null;
    }
}
