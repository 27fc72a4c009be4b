package io.autotrade.api.config;

import java.nio.file.Path;
import java.util.List;

/**
 * Named databases: one SQLite file per profile, {@code <data folder>/<name>.db} (for instance
 * {@code paper} and {@code live}). Switching takes an online backup of the current database first
 * (SQLite's backup API) into {@code <data folder>/backups/}, then restarts the event store on the other
 * file: the bus and every component that depends on the store restart with it and rebuild their state
 * from the new database's events. A {@link DbProfileSwitched} event is stored in the new database.
 *
 * <p>A switch is a trade-safe change ({@link ConfigGate}, scope global): while an order is in flight it
 * is held (an order's fill must land in the database its request is in) and happens when the last order
 * ends; {@link ConfigGate.Mode#NO_WAIT} refuses it instead, {@link ConfigGate.Mode#FORCE} switches at once.
 */
public interface DatabaseProfiles {

    /**
     * One database file.
     *
     * @param name      the profile name
     * @param file      its file
     * @param sizeBytes its size on disk, bytes (without the WAL)
     * @param current   {@code true} for the database the event store is on
     */
    record Profile(String name, Path file, long sizeBytes, boolean current) {
    }

    /**
     * What a switch request did.
     *
     * @param switched   {@code true} if the runtime is on the new profile now
     * @param event      the event stored in the new database, or null when held
     * @param waitingFor when held, the orders the switch waits for
     */
    record SwitchResult(boolean switched, DbProfileSwitched event, List<String> waitingFor) {
        /** Copies the list. */
        public SwitchResult {
            waitingFor = List.copyOf(waitingFor);
        }
    }

    /**
     * @return every profile in the data folder, by name; the current one also when it has no file yet
     * @throws io.autotrade.api.event.EventStoreException if the data folder cannot be read
     */
    List<Profile> list();

    /** @return the current profile's name */
    String current();

    /**
     * Requests a switch to the profile's database (created if new). When it happens now, this returns
     * once the runtime is back on the new database and {@link DbProfileSwitched} is stored there.
     *
     * @param name the profile: letters, digits, '.', '_' or '-'
     * @param mode hold while orders are in flight, refuse, or switch at once (logged as forced)
     * @return switched now, or held and for which orders
     * @throws IllegalArgumentException if the name is not a valid profile name or is the current one
     * @throws IllegalStateException    if refused ({@link ConfigGate.Mode#NO_WAIT} while orders are in flight,
     *                                  the message names them), or the switch did not complete
     * @throws io.autotrade.api.event.EventStoreException if the backup fails (nothing was switched)
     */
    SwitchResult switchTo(String name, ConfigGate.Mode mode);
}
