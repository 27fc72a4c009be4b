package io.autotrade.api.event;

import java.nio.file.Path;
import java.util.List;

/**
 * Named databases: one SQLite file per profile, {@code <data folder>/<name>.db} (for instance
 * {@code paper} and {@code live}). Switching takes an online backup of the current database first
 * (SQLite's backup API) into {@code <data folder>/backups/}, then restarts the event store on the other
 * file: the bus and every component that depends on the store restart with it and rebuild their state
 * from the new database's events. A {@link DbProfileSwitched} event is stored in the new database.
 *
 * <p>A switch happens only while no order is in flight ({@code TradingStatus#openOrders()} empty):
 * an order's fill must land in the database its request is in. Otherwise it is refused with the
 * orders named, unless forced.
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
     * @return every profile in the data folder, by name; the current one also when it has no file yet
     * @throws EventStoreException if the data folder cannot be read
     */
    List<Profile> list();

    /** @return the current profile's name */
    String current();

    /**
     * Backs the current database up, then moves the event store to the profile's database (created if
     * new), waits until the runtime is back on it and publishes {@link DbProfileSwitched} there.
     *
     * @param name  the profile: letters, digits, '.', '_' or '-'
     * @param force switch although orders are in flight (their later events go to the new database);
     *              logged as forced
     * @return the event stored in the new database
     * @throws IllegalArgumentException if the name is not a valid profile name or is the current one
     * @throws IllegalStateException    if orders are in flight and {@code force} is false (the message
     *                                  names them), or the trading state is not known
     * @throws EventStoreException      if the backup fails (nothing was switched) or the new database does
     *                                  not come up (the message says which)
     */
    DbProfileSwitched switchTo(String name, boolean force);
}
