package io.autotrade.api.config;

import io.autotrade.api.event.EventKind;
import io.autotrade.api.event.EventPayload;
import io.autotrade.api.event.Priority;
import io.autotrade.api.event.Topics;
import java.util.Map;

/**
 * A configuration change was asked for. Until a {@link ConfigChangeApplied} with the same change id
 * follows, it is pending: held while its scope is TRADING.
 *
 * @param changeId   unique id of the change
 * @param pid        the configuration PID (a factory configuration's full PID, {@code factoryPid~name})
 * @param properties the properties to set, by key (values as text; Declarative Services converts them)
 * @param scope      the trading state it waits for: {@code global}, or a strategy id for a strategy's own configuration
 * @param source     where it came from, for people: {@code shell}, {@code etc/<file>}, {@code configadmin} (another bundle
 *                   through the ConfigAdmin API), ...
 */
public record ConfigChangeRequested(String changeId, String pid, Map<String, String> properties, String scope,
        String source) implements EventPayload, PendingChange {
    /** Type {@code config.change_requested}, topic {@link Topics#CONFIG_CHANGE_REQUESTED}, config lane, durable. */
    public static final EventKind KIND = new EventKind("config.change_requested", 1, Topics.CONFIG_CHANGE_REQUESTED,
            Priority.MEDIUM_CONFIG, true, ConfigChangeRequested.class);

    /** @throws IllegalArgumentException if a field is blank or there is no property */
    public ConfigChangeRequested {
        for (String[] f : new String[][] {{"change id", changeId}, {"pid", pid}, {"scope", scope}, {"source", source}}) {
            if (f[1] == null || f[1].isBlank()) {
                throw new IllegalArgumentException("config change needs a " + f[0]);
            }
        }
        if (properties == null || properties.isEmpty()) {
            throw new IllegalArgumentException("config change " + changeId + " of " + pid + " sets no property");
        }
        properties = Map.copyOf(properties);
    }

    @Override
    public EventKind kind() {
        return KIND;
    }

    @Override
    public String describe() {
        return pid + " " + new java.util.TreeMap<>(properties).entrySet().stream().map(e -> e.getKey() + "=" + e.getValue())
                .collect(java.util.stream.Collectors.joining(" "));
    }

    /** @return {@code config/<pid>}: changes of one PID stay in order */
    @Override
    public String aggregateId() {
        return "config/" + pid;
    }
}
