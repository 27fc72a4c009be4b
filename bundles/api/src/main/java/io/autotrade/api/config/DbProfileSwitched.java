package io.autotrade.api.config;

import io.autotrade.api.event.EventKind;
import io.autotrade.api.event.EventPayload;
import io.autotrade.api.event.Priority;
import io.autotrade.api.event.Topics;

/**
 * The event store moved to another database profile. Stored in the new profile's database, as its
 * record of where the runtime came from.
 *
 * @param from       the previous profile
 * @param to         the profile now in use
 * @param backupFile the online backup of the previous database taken before the switch, a path
 * @param forced     {@code true} if the switch was forced while orders were in flight
 */
public record DbProfileSwitched(String from, String to, String backupFile, boolean forced) implements EventPayload {
    /** Type {@code db.profile_switched}, topic {@link Topics#DB_PROFILE_SWITCHED}, config lane, durable. */
    public static final EventKind KIND = new EventKind("db.profile_switched", 1, Topics.DB_PROFILE_SWITCHED,
            Priority.MEDIUM_CONFIG, true, DbProfileSwitched.class);

    /** @throws IllegalArgumentException if a profile or the backup file is blank */
    public DbProfileSwitched {
        if (from == null || from.isBlank() || to == null || to.isBlank()) {
            throw new IllegalArgumentException("a profile switch needs both profiles, was " + from + " -> " + to);
        }
        if (backupFile == null || backupFile.isBlank()) {
            throw new IllegalArgumentException("a profile switch from " + from + " needs its backup file");
        }
    }

    @Override
    public EventKind kind() {
        return KIND;
    }

    @Override
    public String aggregateId() {
        return "db";
    }
}
