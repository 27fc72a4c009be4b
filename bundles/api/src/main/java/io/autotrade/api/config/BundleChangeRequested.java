package io.autotrade.api.config;

import io.autotrade.api.event.EventKind;
import io.autotrade.api.event.EventPayload;
import io.autotrade.api.event.Priority;
import io.autotrade.api.event.Topics;

/**
 * A bundle install, update or removal was asked for (a jar dropped into, replaced in or removed from
 * the runtime's {@code deploy/} folder, or {@code trade:bundle}). Until a {@link BundleChangeApplied}
 * with the same change id follows it is pending: an update or removal is held while any order is in
 * flight (scope {@code global}: the bundle's code may be handling it).
 *
 * @param changeId     unique id of the change
 * @param operation    install, update or uninstall
 * @param symbolicName the bundle's symbolic name ({@code Bundle-SymbolicName})
 * @param location     the bundle's location: where it was (or is to be) installed from
 * @param artifact     the jar to install or update from (a {@code file:} URI), or {@code null} for an uninstall
 * @param scope        the trading state it waits for ({@code global})
 * @param source       where it came from, for people: {@code deploy/<file>}, {@code shell}
 */
public record BundleChangeRequested(String changeId, BundleOperation operation, String symbolicName, String location,
        String artifact, String scope, String source) implements EventPayload, PendingChange {
    /** Type {@code config.bundle_change_requested}, topic {@link Topics#BUNDLE_CHANGE_REQUESTED}, config lane, durable. */
    public static final EventKind KIND = new EventKind("config.bundle_change_requested", 1, Topics.BUNDLE_CHANGE_REQUESTED,
            Priority.MEDIUM_CONFIG, true, BundleChangeRequested.class);

    /** @throws IllegalArgumentException if a field is blank, or an install or update names no artifact */
    public BundleChangeRequested {
        for (String[] f : new String[][] {{"change id", changeId}, {"symbolic name", symbolicName}, {"location", location},
                {"scope", scope}, {"source", source}}) {
            if (f[1] == null || f[1].isBlank()) {
                throw new IllegalArgumentException("bundle change needs a " + f[0]);
            }
        }
        if (operation == null) {
            throw new IllegalArgumentException("bundle change " + changeId + " of " + symbolicName + " has no operation");
        }
        if (operation != BundleOperation.UNINSTALL && (artifact == null || artifact.isBlank())) {
            throw new IllegalArgumentException("bundle " + operation + " " + changeId + " of " + symbolicName + " names no artifact");
        }
    }

    @Override
    public EventKind kind() {
        return KIND;
    }

    /** @return {@code bundle/<symbolic name>}: changes of one bundle stay in order */
    @Override
    public String aggregateId() {
        return "bundle/" + symbolicName;
    }

    @Override
    public String describe() {
        return operation.name().toLowerCase(java.util.Locale.ROOT) + " bundle " + symbolicName
                + (artifact == null ? "" : " from " + artifact);
    }
}
