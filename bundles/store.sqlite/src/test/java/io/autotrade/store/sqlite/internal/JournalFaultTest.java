package io.autotrade.store.sqlite.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.autotrade.api.event.DomainEvent;
import io.autotrade.api.event.EventJournal;
import io.autotrade.api.event.EventQuery;
import io.autotrade.api.event.EventStoreException;
import io.autotrade.api.trading.ClientOrderId;
import io.autotrade.api.trading.Market;
import io.autotrade.api.trading.OrderRequested;
import io.autotrade.api.trading.OrderSpec;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The journal under the faults SQLite itself reports: a read-only database ({@code PRAGMA query_only},
 * SQLITE_READONLY), a full disk ({@code PRAGMA max_page_count}, SQLITE_FULL) and a lock held by another
 * connection (SQLITE_BUSY). Each time: the commit throws with the file and the reason, nothing of the
 * batch is stored, what was stored before is intact and readable, and commits work again when the fault
 * clears.
 */
class JournalFaultTest {
    @TempDir
    Path dir;
    private Path file;
    private SqliteEventStore journal;
    private List<DomainEvent<?>> before;

    private static DomainEvent<OrderRequested> order(String id) {
        return DomainEvent.of(new OrderRequested(new ClientOrderId(id), "s",
                OrderSpec.marketBuy(Market.of("KRW-BTC"), new BigDecimal("10000"))), Instant.EPOCH);
    }

    private static EventJournal.Batch batch(List<DomainEvent<?>> events) {
        return new EventJournal.Batch(events, Map.of(events.get(0).eventId(), List.of("h")), List.of());
    }

    private static List<DomainEvent<?>> orders(String prefix, int n) {
        List<DomainEvent<?>> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add(order(prefix + i));
        }
        return out;
    }

    @BeforeEach
    void storeSomeEvents() {
        file = dir.resolve("fault.db");
        journal = new SqliteEventStore(file, 0, 200);
        before = orders("before-", 20);
        journal.commit(batch(before));
    }

    @AfterEach
    void close() {
        journal.close();
    }

    /** Runs a statement that sets or clears a fault on a connection; a failure fails the test. */
    private static void sql(Connection c, String statement) {
        synchronized (c) {
            try (Statement s = c.createStatement()) {
                s.execute(statement);
            } catch (SQLException e) {
                throw new AssertionError(statement + ": " + e.getMessage(), e);
            }
        }
    }

    private void assertRefusedThenResumed(String reason, boolean probeFails, Runnable clear) {
        List<DomainEvent<?>> refused = orders("refused-", 200);
        EventStoreException e = assertThrows(EventStoreException.class, () -> journal.commit(batch(refused)));
        assertTrue(e.getMessage().contains(file.toAbsolutePath().toString()), "names the file: " + e.getMessage());
        assertTrue(e.getMessage().toLowerCase().contains(reason), "gives SQLite's reason: " + e.getMessage());
        if (probeFails) {
            assertThrows(EventStoreException.class, journal::probe, "the probe sees the fault too");
        }
        assertEquals(before, journal.query(EventQuery.all()), "what was stored before is intact and readable");
        assertEquals(List.of(before.get(0)), journal.pending("h"));

        clear.run();
        journal.probe();
        List<DomainEvent<?>> after = orders("after-", 3);
        assertArrayEquals(new boolean[] {true, true, true}, journal.commit(batch(after)));
        List<DomainEvent<?>> all = new ArrayList<>(before);
        all.addAll(after);
        assertEquals(all, journal.query(EventQuery.all()), "nothing of the refused commit was stored");
    }

    @Test
    void aReadOnlyDatabaseRefusesCommitsUntilItIsWritableAgain() throws SQLException {
        sql(journal.connection(), "PRAGMA query_only = 1");
        assertRefusedThenResumed("readonly", true, () -> sql(journal.connection(), "PRAGMA query_only = 0"));
    }

    @Test
    void aFullDiskRefusesCommitsUntilThereIsRoomAgain() throws SQLException {
        long pages;
        Connection c = journal.connection();
        synchronized (c) {
            try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("PRAGMA page_count")) {
                rs.next();
                pages = rs.getLong(1);
            }
        }
        sql(journal.connection(), "PRAGMA max_page_count = " + pages);
        // the probe rewrites one row in place, which needs no new page: it passes where 200 new events do not
        assertRefusedThenResumed("full", false, () -> sql(journal.connection(), "PRAGMA max_page_count = 1073741823"));
    }

    @Test
    void aLockHeldByAnotherProcessRefusesCommitsUntilItIsReleased() throws SQLException {
        Connection other = DriverManager.getConnection("jdbc:sqlite:" + file);
        try (Statement s = other.createStatement()) {
            s.execute("BEGIN EXCLUSIVE");
            assertRefusedThenResumed("locked", true, () -> sql(other, "COMMIT"));
        } finally {
            other.close();
        }
    }
}
