package io.autotrade.api.config;

import io.autotrade.api.event.EventKind;
import io.autotrade.api.event.EventPayload;
import io.autotrade.api.event.Priority;
import io.autotrade.api.event.Topics;
import java.util.Map;

/**
 * A requested configuration change was handed to ConfigAdmin (which delivers it to the component).
 *
 * @param changeId   the {@link ConfigChangeRequested}'s id
 * @param pid        the configuration PID
 * @param properties the properties set
 * @param scope      the trading state it waited for
 * @param forced     {@code true} if applied at once although its scope was TRADING
 * @param heldMillis how long it was held, ms (0 when applied at once)
 */
public record ConfigChangeApplied(String changeId, String pid, Map<String, String> properties, String scope,
        boolean forced, long heldMillis) implements EventPayload {
    /** Type {@code config.change_applied}, topic {@link Topics#CONFIG_CHANGE_APPLIED}, config lane, durable. */
    public static final EventKind KIND = new EventKind("config.change_applied", 1, Topics.CONFIG_CHANGE_APPLIED,
            Priority.MEDIUM_CONFIG, true, ConfigChangeApplied.class);

    /** @throws IllegalArgumentException if the change id or pid is blank or the hold is negative */
    public ConfigChangeApplied {
        if (changeId == null || changeId.isBlank() || pid == null || pid.isBlank()) {
            throw new IllegalArgumentException("an applied config change needs its change id and pid");
        }
        if (heldMillis < 0) {
            throw new IllegalArgumentException("config change " + changeId + " held for " + heldMillis + " ms");
        }
        properties = Map.copyOf(properties);
    }

    @Override
    public EventKind kind() {
        return KIND;
    }

    @Override
    public String aggregateId() {
        return "config/" + pid;
    }
}
