package io.autotrade.store.sqlite.internal;

import io.autotrade.api.event.EventJournal.Batch;
import io.autotrade.api.event.EventJournal.Delivery;
import io.autotrade.api.event.EventStoreException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;

/**
 * The journal's group commit, on the journal writer's thread: a group of batches (events, their pending
 * deliveries, finished deliveries) in one SQLite transaction, each kind of row as one JDBC batch, with
 * statements prepared once. A batch whose payloads could not be encoded is left out and the rest written
 * again. Every call holds the store's connection lock.
 */
final class GroupWrite {
    private final Connection connection;
    private final Path file;
    private final EncodedBatch probe;

    /**
     * @param connection the store's connection
     * @param file       the database, for messages
     * @param probe      the fault probe's batch: its group writes the probe row
     */
    GroupWrite(Connection connection, Path file, EncodedBatch probe) {
        this.connection = connection;
        this.file = file;
        this.probe = probe;
    }

    /** The journal writer's statements, prepared once; used under the connection's lock. */
    private PreparedStatement insertEvent;
    private PreparedStatement insertPending;
    private PreparedStatement insertProcessed;
    private PreparedStatement deletePending;
    private PreparedStatement writeProbe;
    private PreparedStatement lastSeq;

    /** Removes one pending delivery, by event id and handler (its key is handler and sequence). */
    static final String DELETE_PENDING = """
            DELETE FROM pending WHERE handler_id = ? AND seq = (SELECT seq FROM events WHERE event_id = ?)""";

    private void prepareWriterStatements() throws SQLException {
        if (insertEvent == null) {
            insertEvent = connection.prepareStatement("""
                    INSERT OR IGNORE INTO events (event_id, type, version, occurred_at, aggregate_id, correlation_id,
                      causation_id, priority, payload, stored_at) VALUES (?,?,?,?,?,?,?,?,?,?)""");
            insertPending = connection.prepareStatement("INSERT OR IGNORE INTO pending (handler_id, seq) VALUES (?,?)");
            insertProcessed = connection.prepareStatement(
                    "INSERT OR IGNORE INTO processed (event_id, handler_id, handled_at) VALUES (?,?,?)");
            deletePending = connection.prepareStatement(DELETE_PENDING);
            writeProbe = connection.prepareStatement("INSERT OR REPLACE INTO journal_probe (id, probed_at) VALUES (1, ?)");
            lastSeq = connection.prepareStatement("SELECT coalesce(max(seq), 0) FROM events");
        }
    }

    /** @return the sequence of the journal's last event, 0 when it has none; call under the connection's lock */
    long lastSeqNow() throws SQLException {
        prepareWriterStatements();
        return lastSeq();
    }

    /** @return the sequence of the journal's last event, 0 when it has none; call under the connection's lock */
    private long lastSeq() throws SQLException {
        try (ResultSet rs = lastSeq.executeQuery()) {
            rs.next();
            return rs.getLong(1);
        }
    }

    /**
     * Writes a group of batches in one transaction (the journal writer's thread). A batch whose payloads
     * could not be encoded is left out: the transaction is rolled back and the rest written again; its
     * place in the returned list is null.
     */
    List<boolean[]> commitGroup(List<EncodedBatch> group) {
        List<EncodedBatch> writing = group;
        while (true) {
            try {
                List<boolean[]> written = writeGroup(writing);
                if (writing.size() == group.size()) {
                    return written;
                }
                List<boolean[]> flags = new ArrayList<>(group.size());
                for (EncodedBatch b : group) {
                    int at = writing.indexOf(b);
                    flags.add(at < 0 ? null : written.get(at));
                }
                return flags;
            } catch (EncodedBatch.Failed f) {
                List<EncodedBatch> rest = new ArrayList<>(writing);
                rest.remove(f.batch);
                writing = rest; // writeGroup rolled its transaction back
            }
        }
    }

    /**
     * One transaction, each kind of row as one JDBC batch: the events (the batch's update counts say
     * which ids were new; SQLite gives each new row the next sequence, checked after the insert), then
     * the pending deliveries of the new ones, the processing-log entries and the removal of their
     * pending rows. A finished delivery always refers to an event of an earlier commit or earlier in this
     * group, so the pending rows go in first.
     */
    private List<boolean[]> writeGroup(List<EncodedBatch> group) {
        synchronized (connection) {
            try {
                prepareWriterStatements();
                connection.setAutoCommit(false);
                try {
                    long now = System.currentTimeMillis();
                    boolean events = bindEvents(group, now);
                    long seq = events ? lastSeq() : 0; // a group of finished deliveries alone reads nothing
                    int[] counts = events ? insertEvent.executeBatch() : new int[0];
                    List<boolean[]> flags = new ArrayList<>(group.size());
                    int row = 0;
                    boolean pendings = false;
                    boolean deliveries = false;
                    boolean deletes = false;
                    // a delivery that both begins and ends in this group (a replay's deferred group holds many)
                    // needs no pending row to insert and delete again: its processing-log entry says it all
                    Set<String> doneHere = doneIn(group);
                    Set<UUID> appendedHere = new HashSet<>();
                    for (EncodedBatch encoded : group) {
                        Batch batch = encoded.batch();
                        boolean[] appended = new boolean[batch.events().size()];
                        for (int i = 0; i < appended.length; i++) {
                            appended[i] = counts[row++] == 1;
                            if (appended[i]) {
                                appendedHere.add(batch.events().get(i).eventId());
                                pendings |= bindPending(batch, i, ++seq, doneHere);
                            }
                        }
                        deliveries |= bindDone(batch, now);
                        deletes |= bindPendingDeletes(batch, appendedHere);
                        flags.add(appended);
                    }
                    finish(pendings, deliveries, deletes, seq);
                    return flags;
                } catch (SQLException | RuntimeException e) {
                    rollback(e);
                    throw e;
                } finally {
                    restoreAutoCommit();
                }
            } catch (SQLException e) {
                throw new EventStoreException("cannot commit to the journal " + file + ": " + e.getMessage()
                        + "; nothing of this commit was stored", e);
            }
        }
    }

    /** Binds every event of the group (and writes the probe row when the probe batch is in it); @return whether any */
    private boolean bindEvents(List<EncodedBatch> group, long now) throws SQLException {
        boolean events = false;
        for (EncodedBatch encoded : group) {
            if (encoded == probe) {
                writeProbe.setLong(1, now);
                writeProbe.executeUpdate();
            }
            for (int i = 0; i < encoded.size(); i++) {
                EventRows.bindEnvelope(insertEvent, encoded.batch().events().get(i), encoded.payload(i));
                insertEvent.setLong(10, now);
                insertEvent.addBatch();
                events = true;
            }
        }
        return events;
    }

    /** @return every finished delivery of the group as {@code eventId/handlerId} */
    private static Set<String> doneIn(List<EncodedBatch> group) {
        Set<String> done = new HashSet<>();
        for (EncodedBatch encoded : group) {
            for (Delivery d : encoded.batch().done()) {
                done.add(d.eventId() + "/" + d.handlerId());
            }
        }
        return done;
    }

    /**
     * Binds the pending deliveries of the batch's i-th event, stored with sequence {@code seq}, but for those that
     * end in the same group; @return whether any
     */
    private boolean bindPending(Batch batch, int i, long seq, Set<String> doneHere) throws SQLException {
        boolean any = false;
        UUID id = batch.events().get(i).eventId();
        for (String handler : batch.recipients().getOrDefault(id, List.of())) {
            if (!doneHere.isEmpty() && doneHere.contains(id + "/" + handler)) {
                continue;
            }
            insertPending.setString(1, handler);
            insertPending.setLong(2, seq);
            insertPending.addBatch();
            any = true;
        }
        return any;
    }

    /** Binds the batch's finished deliveries as processed; @return whether any */
    private boolean bindDone(Batch batch, long now) throws SQLException {
        for (Delivery d : batch.done()) {
            insertProcessed.setString(1, d.eventId().toString());
            insertProcessed.setString(2, d.handlerId());
            insertProcessed.setLong(3, now);
            insertProcessed.addBatch();
        }
        return !batch.done().isEmpty();
    }

    /**
     * Binds the removal of the finished deliveries' pending rows; none was written for an event appended in this
     * group. @return whether any
     */
    private boolean bindPendingDeletes(Batch batch, Set<UUID> appendedHere) throws SQLException {
        boolean any = false;
        for (Delivery d : batch.done()) {
            if (!appendedHere.contains(d.eventId())) {
                deletePending.setString(1, d.handlerId());
                deletePending.setString(2, d.eventId().toString());
                deletePending.addBatch();
                any = true;
            }
        }
        return any;
    }

    /** Runs the pending and processing-log batches and commits; the new events must end at {@code seq}. */
    private void finish(boolean pendings, boolean deliveries, boolean deletes, long seq) throws SQLException {
        if (pendings) {
            long last = lastSeq();
            if (last != seq) {
                throw new SQLException("the events were given sequences up to " + last + ", not " + seq
                        + " as counted; their pending deliveries would point at other events");
            }
            insertPending.executeBatch();
        }
        if (deliveries) {
            insertProcessed.executeBatch();
        }
        if (deletes) {
            deletePending.executeBatch();
        }
        connection.commit();
    }

    /**
     * Rolls the failed transaction back. SQLite has already rolled it back by itself after some errors
     * (SQLITE_FULL, SQLITE_IOERR), and then the rollback fails: that is kept as suppressed, so the
     * reported error stays the one that made the commit fail.
     */
    private void rollback(Exception cause) {
        for (PreparedStatement s : new PreparedStatement[] {insertEvent, insertPending, insertProcessed, deletePending,
                writeProbe, lastSeq}) {
            try {
                if (s != null) {
                    s.close(); // prepared again for the next group: a statement that failed mid-step is not reused
                }
            } catch (SQLException e) {
                cause.addSuppressed(e);
            }
        }
        insertEvent = null;
        try {
            connection.rollback();
        } catch (SQLException e) {
            cause.addSuppressed(e);
        }
    }

    private void restoreAutoCommit() throws SQLException {
        try {
            connection.setAutoCommit(true);
        } catch (SQLException e) {
            if (connection.getAutoCommit()) {
                return; // the transaction was already gone
            }
            throw e;
        }
    }
}
