package io.autotrade.store.sqlite.internal;

import io.autotrade.api.event.DeadLetter;
import io.autotrade.api.event.DeadLetterStore;
import io.autotrade.api.event.DomainEvent;
import io.autotrade.api.event.EventJournal;
import io.autotrade.api.event.EventQuery;
import io.autotrade.api.event.EventStore;
import io.autotrade.api.event.EventStoreException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Consumer;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.sqlite.SQLiteConfig;

/**
 * The event store: one SQLite database file per profile, {@code <data.dir>/<profile>.db}, in WAL
 * mode, and the bus's write-ahead journal: the bus commits every durable event here before it
 * dispatches it ({@link EventJournal}, group commit on one writer thread), with a pending delivery
 * per handler, which becomes a processing-log entry when the handler succeeds. An event id is stored
 * at most once.
 *
 * <p>The same database keeps the dead letters of the event bus and the processing log (which handler
 * has handled which event), so they survive a restart together with the events.
 *
 * <p>At start a file that exists but is not an SQLite database, or fails {@code PRAGMA quick_check},
 * is refused with an error naming it; it is never written to.
 *
 * <p>Why it is longer than 400 lines: its three services (store, journal, dead letters) share one connection and its lock; what stands apart is in Schema, GroupWrite, EventRows and DeadLetterTable.
 */
@Component(immediate = true, service = {EventStore.class, EventJournal.class, DeadLetterStore.class})
@Designate(ocd = SqliteEventStore.Config.class)
public class SqliteEventStore implements EventStore, EventJournal, DeadLetterStore {
    /** Framework property giving the runtime's data folder when the configuration names none. */
    public static final String DATA_DIR_PROPERTY = "autotrade.data.dir";
    /** Framework property giving the database profile when the configuration names none. */
    public static final String PROFILE_PROPERTY = "autotrade.db.profile";
    /** Framework property giving the journal's SQLite {@code synchronous} mode when the configuration names none. */
    public static final String SYNCHRONOUS_PROPERTY = "autotrade.db.synchronous";
    /** Framework (or system) property: events a replay's deferred group holds before it is committed at a boundary. */
    public static final String DEFERRED_GROUP_PROPERTY = "autotrade.journal.deferred.group.events";
    /**
     * Framework (or system) property: the SQLite page cache of the store's connection, KiB (default 65536). The
     * backtest feature sets a small one: a replay appends, reads little back, and the cache's pages are resident memory.
     */
    public static final String CACHE_PROPERTY = "autotrade.db.cache.kib";

    /** Configuration, PID {@code io.autotrade.store.sqlite.internal.SqliteEventStore}. */
    @ObjectClassDefinition(name = "autotrade event store", description = "SQLite event store")
    public @interface Config {
        /** @return data folder; empty means the framework property autotrade.data.dir, else ./autotrade-data */
        @AttributeDefinition(name = "Data folder", description = "Folder of the database files; empty: framework property autotrade.data.dir, else ./autotrade-data")
        String data_dir() default "";

        /** @return how long the journal waits for more batches to commit together, µs */
        @AttributeDefinition(name = "Group commit delay (µs)", description = "After the first batch, how long the journal waits for more to commit in one transaction; 0 commits what is queued at once", min = "0")
        long group_delay_micros() default 0;

        /** @return profile name; the file is profile.db */
        @AttributeDefinition(name = "Profile", description = "Database profile; the file is <profile>.db. Empty: framework property autotrade.db.profile, else 'autotrade'")
        String profile() default "";

        /** @return how long a write waits for a lock held by another connection, ms */
        @AttributeDefinition(name = "Lock wait (ms)", description = "How long a commit waits for a lock another process holds on the database before it fails (SQLite busy timeout)", min = "0")
        int busy_timeout_ms() default 5_000;

        /** @return SQLite's synchronous mode: FULL, or NORMAL; empty means the framework property, else FULL */
        @AttributeDefinition(name = "Synchronous", description = "SQLite PRAGMA synchronous of the journal. FULL: every commit is on disk before publish returns (survives a power loss). NORMAL: in WAL mode a commit survives a killed process but not a power loss or OS crash, without a disk sync per commit (the backtest feature uses it). Empty: framework property autotrade.db.synchronous, else FULL", required = false)
        String synchronous() default "";
    }

    private final PayloadCodec codec = new PayloadCodec();
    private final EventRows eventRows;
    private final GroupWrite groups;
    private final DeadLetterTable deadLetters;
    private final Path file;
    private final Connection connection;
    private final JournalWriter<EncodedBatch> writer;
    /** A replay driver's batches, committed together (before every other read or write of this store). */
    private final DeferredCommits deferred;
    /** Guarded by the connection: {@link #stored}'s statement, prepared on first use. */
    private PreparedStatement storedQuery;

    /**
     * Opens (or creates) the profile's database.
     *
     * @param context for the framework properties
     * @param config  folder and profile
     * @throws EventStoreException if the file is not a healthy SQLite database or cannot be opened
     */
    @Activate
    public SqliteEventStore(BundleContext context, Config config) {
        this(resolveFile(context, config), config.group_delay_micros(), config.busy_timeout_ms(),
                synchronous(config.synchronous(), context.getProperty(SYNCHRONOUS_PROPERTY)),
                positive(DEFERRED_GROUP_PROPERTY, context.getProperty(DEFERRED_GROUP_PROPERTY), DeferredCommits.MAX_EVENTS,
                        "events"),
                positive(CACHE_PROPERTY, context.getProperty(CACHE_PROPERTY), Schema.CACHE_KIB, "KiB"));
    }

    /**
     * @param property the framework property's name, for the error
     * @param value    its value, or null
     * @param absent   the default without a value
     * @param unit     what the number counts, for the error
     * @return the value as a positive whole number, or the default
     * @throws IllegalArgumentException naming the property if the value is not a positive whole number
     */
    static int positive(String property, String value, int absent, String unit) {
        if (value == null || value.isBlank()) {
            return absent;
        }
        try {
            int n = Integer.parseInt(value.strip());
            if (n > 0) {
                return n;
            }
        } catch (NumberFormatException e) {
            // said below
        }
        throw new IllegalArgumentException(property + " must be a positive whole number of " + unit + ", was '" + value
                + "'");
    }

    SqliteEventStore(Path file) {
        this(file, 0, 5_000);
    }

    SqliteEventStore(Path file, long groupDelayMicros, int busyTimeoutMillis) {
        this(file, groupDelayMicros, busyTimeoutMillis, SQLiteConfig.SynchronousMode.FULL);
    }

    SqliteEventStore(Path file, long groupDelayMicros, int busyTimeoutMillis, SQLiteConfig.SynchronousMode synchronous) {
        this(file, groupDelayMicros, busyTimeoutMillis, synchronous, DeferredCommits.MAX_EVENTS, Schema.CACHE_KIB);
    }

    SqliteEventStore(Path file, long groupDelayMicros, int busyTimeoutMillis, SQLiteConfig.SynchronousMode synchronous,
            int deferredGroupEvents, int cacheKib) {
        this.file = file.toAbsolutePath();
        this.connection = Schema.open(this.file, busyTimeoutMillis, synchronous, cacheKib);
        this.eventRows = new EventRows(codec, this.file);
        this.deadLetters = new DeadLetterTable(connection, this.file, eventRows);
        this.groups = new GroupWrite(connection, this.file, PROBE);
        this.writer = new JournalWriter<>(groups::commitGroup, groupDelayMicros, "autotrade-journal");
        this.deferred = new DeferredCommits(writer, this::stored, deferredGroupEvents,
                checkpoint -> encoded(new Batch(List.of(checkpoint), Map.of(), List.of())));
    }

    private static Path resolveFile(BundleContext context, Config config) {
        Path folder = DataFolder.folder(config.data_dir(), context.getProperty(DATA_DIR_PROPERTY));
        return DataFolder.file(folder, DataFolder.profile(config.profile(), context.getProperty(PROFILE_PROPERTY)));
    }

    /**
     * @return the configured mode, else the framework property's, else FULL
     * @throws IllegalArgumentException for a mode other than FULL or NORMAL
     */
    static SQLiteConfig.SynchronousMode synchronous(String configured, String property) {
        String mode = configured != null && !configured.isBlank() ? configured : property;
        if (mode == null || mode.isBlank()) {
            return SQLiteConfig.SynchronousMode.FULL;
        }
        return switch (mode.strip().toUpperCase(java.util.Locale.ROOT)) {
            case "FULL" -> SQLiteConfig.SynchronousMode.FULL;
            case "NORMAL" -> SQLiteConfig.SynchronousMode.NORMAL;
            default -> throw new IllegalArgumentException("synchronous must be FULL or NORMAL, was '" + mode + "'");
        };
    }

    /**
     * The store's own connection, for the fault tests of this package: they switch SQLite's
     * {@code query_only} and {@code max_page_count} on it to make the journal meet a read-only file and
     * a full disk. Synchronize on it.
     */
    Connection connection() {
        return connection;
    }

    @Deactivate
    void close() {
        try {
            deferred.flush(); // a replay's last group: a failure here loses it, as a crash would
        } finally {
            writer.close();
        }
        synchronized (connection) {
            Schema.closeQuietly(connection);
        }
    }

    @Override
    public boolean[] commitDeferred(Batch batch) {
        return deferred.add(encoded(batch), batch.events());
    }

    /** @return the batch with its payloads encoded on this thread */
    private EncodedBatch encoded(Batch batch) {
        EncodedBatch encoded = EncodedBatch.toEncode(batch);
        encoded.encodeAll(codec);
        return encoded;
    }

    @Override
    public void flushDeferred() {
        deferred.flushAll();
    }

    @Override
    public void boundary(java.util.function.Supplier<DomainEvent<?>> checkpoint) {
        deferred.boundary(checkpoint);
    }

    /**
     * @return whether the journal holds an event with this id (a replay asks it for each candle it defers: the
     *         statement is prepared once)
     */
    private boolean stored(UUID eventId) {
        synchronized (connection) {
            try {
                if (storedQuery == null) {
                    storedQuery = connection.prepareStatement("SELECT 1 FROM events WHERE event_id = ?");
                }
                storedQuery.setString(1, eventId.toString());
                try (ResultSet rs = storedQuery.executeQuery()) {
                    return rs.next();
                }
            } catch (SQLException e) {
                storedQuery = null; // prepared again next time (closing the connection closes the old one)
                throw new EventStoreException("cannot read the journal " + file + ": " + e.getMessage(), e);
            }
        }
    }

    @Override
    public boolean[] commit(Batch batch) {
        deferred.flush();
        EncodedBatch encoded = EncodedBatch.toEncode(batch);
        CompletableFuture<boolean[]> result = writer.tryInline(encoded, () -> encoded.encodeAll(codec)); // an idle writer: here
        if (result == null) {
            result = writer.submit(encoded); // the writer starts inserting ...
            encoded.encodeAll(codec); // ... while the payloads are encoded here
        }
        boolean[] appended = writer.await(result);
        if (appended == null) {
            throw encoded.failure(); // the group was committed without this batch
        }
        return appended;
    }

    /** The probe's batch: no events, no deliveries; its group writes the probe row. */
    private static final EncodedBatch PROBE = EncodedBatch.withoutEvents(new Batch(List.of(), Map.of(), List.of()));

    @Override
    public void probe() {
        deferred.flush();
        writer.commit(PROBE);
    }

    @Override
    public void commitLater(List<Delivery> done) {
        deferred.flush();
        if (!done.isEmpty()) {
            writer.submit(EncodedBatch.withoutEvents(new Batch(List.of(), Map.of(), done)));
        }
    }

    /** Events a page of a handler's backlog holds: read, decoded and handed over together. */
    static final int PENDING_PAGE = 2_048;

    @Override
    public List<DomainEvent<?>> pending(String handlerId) {
        List<DomainEvent<?>> all = new ArrayList<>();
        pending(handlerId, all::addAll);
        return all;
    }

    /**
     * Reads the backlog a page at a time, by the pending table's key (handler, sequence) after the
     * last sequence read and up to the journal's last sequence at the call, holding the connection only
     * for each page's read. While the caller handles a page, the next is decoded on another thread.
     */
    @Override
    public long pending(String handlerId, Consumer<List<DomainEvent<?>>> page) {
        deferred.flush();
        String what = "read the pending deliveries of " + handlerId;
        long upTo;
        synchronized (connection) {
            try {
                upTo = groups.lastSeqNow();
            } catch (SQLException e) {
                throw new EventStoreException("cannot " + what + " in " + file + ": " + e.getMessage(), e);
            }
        }
        List<EventRows.StoredRow> rows = pendingPage(handlerId, 0, upTo, what);
        CompletableFuture<List<DomainEvent<?>>> decoding = decodeLater(rows);
        long handed = 0;
        while (decoding != null) {
            List<EventRows.StoredRow> next = rows.size() < PENDING_PAGE ? List.of()
                    : pendingPage(handlerId, rows.get(rows.size() - 1).seq(), upTo, what);
            List<DomainEvent<?>> events = decoded(decoding);
            decoding = next.isEmpty() ? null : decodeLater(next);
            page.accept(events);
            handed += events.size();
            rows = next;
        }
        return handed;
    }

    private List<EventRows.StoredRow> pendingPage(String handlerId, long after, long upTo, String what) {
        return rows("""
                SELECT e.seq, e.event_id, e.type, e.version, e.occurred_at, e.aggregate_id, e.correlation_id, e.causation_id,
                  e.priority, e.payload FROM pending p JOIN events e ON e.seq = p.seq
                WHERE p.handler_id = ? AND p.seq > ? AND p.seq <= ? ORDER BY p.seq LIMIT ?""",
                List.of(handlerId, after, upTo, PENDING_PAGE), what);
    }

    private CompletableFuture<List<DomainEvent<?>>> decodeLater(List<EventRows.StoredRow> rows) {
        return rows.isEmpty() ? null : CompletableFuture.supplyAsync(() -> eventRows.decodeAll(rows));
    }

    private static List<DomainEvent<?>> decoded(CompletableFuture<List<DomainEvent<?>>> decoding) {
        try {
            return decoding.join();
        } catch (CompletionException e) {
            throw e.getCause() instanceof EventStoreException s ? s : new EventStoreException(e.getCause().toString(), e.getCause());
        }
    }

    @Override
    public void remember(DurableSubscription subscription) {
        deferred.flush();
        update("INSERT OR REPLACE INTO subscriptions (handler_id, topics, filter) VALUES (?,?,?)",
                "remember the subscription of " + subscription.handlerId(), subscription.handlerId(),
                String.join("\n", subscription.topics()), subscription.filter());
    }

    @Override
    public List<DurableSubscription> subscriptions() {
        deferred.flush();
        synchronized (connection) {
            try (Statement select = connection.createStatement();
                    ResultSet rs = select.executeQuery("SELECT handler_id, topics, filter FROM subscriptions ORDER BY handler_id")) {
                List<DurableSubscription> out = new ArrayList<>();
                while (rs.next()) {
                    out.add(new DurableSubscription(rs.getString(1), List.of(rs.getString(2).split("\n")), rs.getString(3)));
                }
                return out;
            } catch (SQLException e) {
                throw new EventStoreException("cannot read the subscriptions of " + file + ": " + e.getMessage(), e);
            }
        }
    }

    @Override
    public int forget(String handlerId) {
        deferred.flush();
        update("DELETE FROM subscriptions WHERE handler_id = ?", "forget the subscription of " + handlerId, handlerId);
        return update("DELETE FROM pending WHERE handler_id = ?", "drop the pending deliveries of " + handlerId, handlerId);
    }

    @Override
    public void abandon(Delivery delivery) {
        deferred.flush();
        update(GroupWrite.DELETE_PENDING, "drop the pending delivery of " + delivery.eventId() + " to " + delivery.handlerId(),
                delivery.handlerId(), delivery.eventId().toString());
    }

    @Override
    public boolean append(DomainEvent<?> event) {
        deferred.flush();
        String json = codec.encode(event.payload());
        synchronized (connection) {
            try (PreparedStatement insert = connection.prepareStatement("""
                    INSERT OR IGNORE INTO events (event_id, type, version, occurred_at, aggregate_id, correlation_id,
                      causation_id, priority, payload, stored_at) VALUES (?,?,?,?,?,?,?,?,?,?)""")) {
                EventRows.bindEnvelope(insert, event, json);
                insert.setLong(10, System.currentTimeMillis());
                return insert.executeUpdate() == 1;
            } catch (SQLException e) {
                throw new EventStoreException("cannot append " + event.type() + " " + event.eventId() + " to " + file
                        + ": " + e.getMessage(), e);
            }
        }
    }

    @Override
    public List<DomainEvent<?>> query(EventQuery query) {
        deferred.flush();
        StringBuilder sql = new StringBuilder("SELECT seq, event_id, type, version, occurred_at, aggregate_id,"
                + " correlation_id, causation_id, priority, payload FROM events WHERE 1=1");
        List<Object> args = new ArrayList<>();
        where(sql, args, "aggregate_id = ?", query.aggregateId());
        where(sql, args, "correlation_id = ?", query.correlationId() == null ? null : query.correlationId().toString());
        where(sql, args, "type = ?", query.type());
        where(sql, args, "occurred_at >= ?", query.since() == null ? null : query.since().toEpochMilli());
        where(sql, args, "event_id IN (SELECT event_id FROM processed WHERE handler_id = ?)", query.handledBy());
        // an id that is not stored gives NULL here, and seq > NULL matches nothing
        where(sql, args, "seq > (SELECT seq FROM events WHERE event_id = ?)",
                query.after() == null ? null : query.after().toString());
        if (query.limit() > 0 && query.after() != null) {
            sql.append(" ORDER BY seq LIMIT ").append(query.limit());
            return events(sql.toString(), args, "query");
        }
        if (query.limit() > 0) {
            sql.insert(0, "SELECT * FROM (").append(" ORDER BY seq DESC LIMIT ").append(query.limit()).append(")");
        }
        sql.append(" ORDER BY seq");
        return events(sql.toString(), args, "query");
    }

    /** Adds {@code AND condition} with its one argument, unless the argument is null (no such filter). */
    private static void where(StringBuilder sql, List<Object> args, String condition, Object arg) {
        if (arg != null) {
            sql.append(" AND ").append(condition);
            args.add(arg);
        }
    }

    /** Runs a select over the events table's columns and decodes every row. */
    private List<DomainEvent<?>> events(String sql, List<Object> args, String what) {
        return eventRows.decodeAll(rows(sql, args, what));
    }

    /** Runs a select over the events table's columns (see {@link EventRows.StoredRow#readEventsRow}). */
    private List<EventRows.StoredRow> rows(String sql, List<Object> args, String what) {
        List<EventRows.StoredRow> rows = new ArrayList<>();
        synchronized (connection) {
            try (PreparedStatement select = connection.prepareStatement(sql)) {
                for (int i = 0; i < args.size(); i++) {
                    select.setObject(i + 1, args.get(i));
                }
                try (ResultSet rs = select.executeQuery()) {
                    while (rs.next()) {
                        rows.add(EventRows.StoredRow.readEventsRow(rs));
                    }
                }
            } catch (SQLException e) {
                throw new EventStoreException("cannot " + what + " in " + file + ": " + e.getMessage(), e);
            }
        }
        return rows;
    }

    @Override
    public long count() {
        deferred.flush();
        synchronized (connection) {
            try (Statement s = connection.createStatement(); ResultSet rs = s.executeQuery("SELECT count(*) FROM events")) {
                rs.next();
                return rs.getLong(1);
            } catch (SQLException e) {
                throw new EventStoreException("cannot count events in " + file + ": " + e.getMessage(), e);
            }
        }
    }

    @Override
    public DeadLetter add(DeadLetter letter) {
        deferred.flush();
        return deadLetters.add(letter);
    }

    @Override
    public List<DeadLetter> list() {
        deferred.flush();
        return deadLetters.list();
    }

    @Override
    public Optional<DeadLetter> get(long id) {
        deferred.flush();
        return deadLetters.get(id);
    }

    @Override
    public void replayFailed(long id, int attempts, String lastError, String stackSummary) {
        deferred.flush();
        deadLetters.replayFailed(id, attempts, lastError, stackSummary);
    }

    @Override
    public boolean resolve(long id, Instant handledAt) {
        deferred.flush();
        return deadLetters.resolve(id, handledAt);
    }

    @Override
    public boolean discard(long id) {
        deferred.flush();
        return deadLetters.discard(id);
    }

    @Override
    public boolean handled(UUID eventId, String handlerId) {
        deferred.flush();
        synchronized (connection) {
            try (PreparedStatement select = connection.prepareStatement(
                    "SELECT 1 FROM processed WHERE event_id = ? AND handler_id = ?")) {
                select.setString(1, eventId.toString());
                select.setString(2, handlerId);
                try (ResultSet rs = select.executeQuery()) {
                    return rs.next();
                }
            } catch (SQLException e) {
                throw new EventStoreException("cannot read the processing log of " + file + ": " + e.getMessage(), e);
            }
        }
    }

    private int update(String sql, String what, Object... args) {
        return update(connection, file, sql, what, args);
    }

    /**
     * Runs one statement that changes rows, under the connection's lock.
     *
     * @param what what it does, for the error ("drop the pending deliveries of h1")
     * @return the rows changed
     * @throws EventStoreException naming {@code what} and the database, if it fails
     */
    static int update(Connection connection, Path file, String sql, String what, Object... args) {
        synchronized (connection) {
            try (PreparedStatement statement = connection.prepareStatement(sql)) {
                for (int i = 0; i < args.length; i++) {
                    statement.setObject(i + 1, args[i]);
                }
                return statement.executeUpdate();
            } catch (SQLException e) {
                throw new EventStoreException("cannot " + what + " in " + file + ": " + e.getMessage(), e);
            }
        }
    }

    @Override
    public String location() {
        return file.toString();
    }
}
