package io.autotrade.store.sqlite.internal;

import io.autotrade.api.event.DeadLetter;
import io.autotrade.api.event.DomainEvent;
import io.autotrade.api.event.EventStoreException;
import io.autotrade.api.event.Priority;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The {@code dead_letters} table behind the store's {@code DeadLetterStore} service: a letter keeps the whole
 * event (its envelope columns, as the journal's) with the handler, lane, attempts and last error; resolving
 * one logs the event as handled by that handler and deletes the letter in one transaction. Every call holds
 * the store's connection lock.
 */
final class DeadLetterTable {
    private final Connection connection;
    private final Path file;
    private final EventRows rows;

    DeadLetterTable(Connection connection, Path file, EventRows rows) {
        this.connection = connection;
        this.file = file;
        this.rows = rows;
    }

    DeadLetter add(DeadLetter letter) {
        DomainEvent<?> event = letter.event();
        String json = rows.encode(event);
        synchronized (connection) {
            try (PreparedStatement insert = connection.prepareStatement("""
                    INSERT INTO dead_letters (event_id, type, version, occurred_at, aggregate_id, correlation_id,
                      causation_id, priority, payload, handler_id, lane, attempts, last_error, stack_summary,
                      dead_lettered_at) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)""", Statement.RETURN_GENERATED_KEYS)) {
                EventRows.bindEnvelope(insert, event, json);
                insert.setString(10, letter.handlerId());
                insert.setInt(11, letter.lane().rank());
                insert.setInt(12, letter.attempts());
                insert.setString(13, letter.lastError());
                insert.setString(14, letter.stackSummary());
                insert.setLong(15, letter.deadLetteredAt().toEpochMilli());
                insert.executeUpdate();
                try (ResultSet keys = insert.getGeneratedKeys()) {
                    keys.next();
                    return letter.withId(keys.getLong(1));
                }
            } catch (SQLException e) {
                throw new EventStoreException("cannot store the dead letter of " + event.type() + " " + event.eventId()
                        + " for handler " + letter.handlerId() + " in " + file + ": " + e.getMessage(), e);
            }
        }
    }

    List<DeadLetter> list() {
        return letters("SELECT * FROM dead_letters ORDER BY id", null);
    }

    Optional<DeadLetter> get(long id) {
        return letters("SELECT * FROM dead_letters WHERE id = ?", id).stream().findFirst();
    }

    private List<DeadLetter> letters(String sql, Long id) {
        synchronized (connection) {
            try (PreparedStatement select = connection.prepareStatement(sql)) {
                if (id != null) {
                    select.setLong(1, id);
                }
                List<DeadLetter> letters = new ArrayList<>();
                try (ResultSet rs = select.executeQuery()) {
                    while (rs.next()) {
                        long letterId = rs.getLong("id");
                        letters.add(new DeadLetter(letterId, rows.event(rs, "dead letter #" + letterId),
                                rs.getString("handler_id"), Priority.ofRank(rs.getInt("lane")), rs.getInt("attempts"),
                                rs.getString("last_error"), rs.getString("stack_summary"),
                                Instant.ofEpochMilli(rs.getLong("dead_lettered_at"))));
                    }
                }
                return letters;
            } catch (SQLException e) {
                throw new EventStoreException("cannot read dead letters from " + file + ": " + e.getMessage(), e);
            }
        }
    }

    void replayFailed(long id, int attempts, String lastError, String stackSummary) {
        update("UPDATE dead_letters SET attempts = ?, last_error = ?, stack_summary = ? WHERE id = ?",
                "record the failed replay of dead letter #" + id, attempts, lastError, stackSummary, id);
    }

    boolean resolve(long id, Instant handledAt) {
        synchronized (connection) {
            try {
                connection.setAutoCommit(false);
                try (PreparedStatement log = connection.prepareStatement("""
                        INSERT OR IGNORE INTO processed (event_id, handler_id, handled_at)
                          SELECT event_id, handler_id, ? FROM dead_letters WHERE id = ?""");
                        PreparedStatement delete = connection.prepareStatement("DELETE FROM dead_letters WHERE id = ?")) {
                    log.setLong(1, handledAt.toEpochMilli());
                    log.setLong(2, id);
                    log.executeUpdate();
                    delete.setLong(1, id);
                    boolean removed = delete.executeUpdate() == 1;
                    connection.commit();
                    return removed;
                } catch (SQLException e) {
                    connection.rollback();
                    throw e;
                } finally {
                    connection.setAutoCommit(true);
                }
            } catch (SQLException e) {
                throw new EventStoreException("cannot resolve dead letter #" + id + " in " + file + ": " + e.getMessage(), e);
            }
        }
    }

    boolean discard(long id) {
        return update("DELETE FROM dead_letters WHERE id = ?", "discard dead letter #" + id, id) == 1;
    }

    private int update(String sql, String what, Object... args) {
        return SqliteEventStore.update(connection, file, sql, what, args);
    }
}
