package io.autotrade.store.sqlite.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.autotrade.api.event.DomainEvent;
import io.autotrade.api.event.EventJournal;
import io.autotrade.api.event.EventKind;
import io.autotrade.api.event.EventPayload;
import io.autotrade.api.event.EventQuery;
import io.autotrade.api.event.EventStoreException;
import io.autotrade.api.event.Priority;
import io.autotrade.api.event.UnreadableEventException;
import io.autotrade.api.trading.ClientOrderId;
import io.autotrade.api.trading.Market;
import io.autotrade.api.trading.OrderRequested;
import io.autotrade.api.trading.OrderSpec;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Future;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JournalTest {
    @TempDir
    Path dir;

    private static DomainEvent<OrderRequested> order(String id) {
        return DomainEvent.of(new OrderRequested(new ClientOrderId(id), "s",
                OrderSpec.marketBuy(Market.of("KRW-BTC"), new BigDecimal("10000"))), Instant.EPOCH);
    }

    @Test
    void commitsAppendOncePendDeliveriesAndMoveThemToTheProcessingLog() {
        SqliteEventStore journal = new SqliteEventStore(dir.resolve("j.db"));
        DomainEvent<OrderRequested> a = order("a");
        DomainEvent<OrderRequested> b = order("b");
        boolean[] first = journal.commit(new EventJournal.Batch(List.of(a, b),
                Map.of(a.eventId(), List.of("h1", "h2"), b.eventId(), List.of("h1")), List.of()));
        assertArrayEquals(new boolean[] {true, true}, first);
        boolean[] again = journal.commit(new EventJournal.Batch(List.of(a), Map.of(a.eventId(), List.of("h3")), List.of()));
        assertArrayEquals(new boolean[] {false}, again, "a journaled event is not appended twice");
        assertEquals(List.of(), journal.pending("h3"), "nor does it get new deliveries");
        assertEquals(List.of(a, b), journal.pending("h1"));
        journal.commit(new EventJournal.Batch(List.of(), Map.of(), List.of(new EventJournal.Delivery(a.eventId(), "h1"))));
        assertEquals(List.of(b), journal.pending("h1"));
        assertEquals(List.of(a), journal.query(EventQuery.all().handledBy("h1")));
        journal.commitLater(List.of(new EventJournal.Delivery(b.eventId(), "h1")));
        journal.commit(new EventJournal.Batch(List.of(), Map.of(), List.of())); // flushes what was queued before
        assertEquals(List.of(), journal.pending("h1"));
        journal.remember(new EventJournal.DurableSubscription("h2", List.of("autotrade/order/*"), "(market=KRW-BTC)"));
        assertEquals(List.of(new EventJournal.DurableSubscription("h2", List.of("autotrade/order/*"), "(market=KRW-BTC)")),
                journal.subscriptions());
        assertEquals(1, journal.forget("h2"));
        assertEquals(List.of(), journal.subscriptions());
        journal.close();

        SqliteEventStore reopened = new SqliteEventStore(dir.resolve("j.db"));
        assertEquals(List.of(a, b), reopened.query(EventQuery.all().handledBy("h1")), "the processing log survives");
        reopened.close();
    }

    /** A candle-like event with a name-based id (UUID version 3), as a replay publishes them. */
    private static DomainEvent<OrderRequested> named(String id) {
        return DomainEvent.of(order(id).payload(), Instant.EPOCH, java.util.UUID.nameUUIDFromBytes(id.getBytes()));
    }

    @Test
    void deferredBatchesAnswerAsCommitsDoAreReadBackAndCommitTogether() throws Exception {
        Path file = dir.resolve("d.db");
        SqliteEventStore journal = new SqliteEventStore(file);
        DomainEvent<OrderRequested> stored = named("stored");
        journal.commit(new EventJournal.Batch(List.of(stored), Map.of(), List.of()));
        DomainEvent<OrderRequested> a = order("a");
        DomainEvent<OrderRequested> b = named("b");
        assertArrayEquals(new boolean[] {true, false}, journal.commitDeferred(new EventJournal.Batch(List.of(a, stored),
                Map.of(a.eventId(), List.of("h1")), List.of())), "an event journaled before is not appended again");
        assertArrayEquals(new boolean[] {true, false}, journal.commitDeferred(new EventJournal.Batch(List.of(b, a),
                Map.of(b.eventId(), List.of("h1")), List.of())), "nor one deferred before");
        try (java.sql.Connection other = java.sql.DriverManager.getConnection("jdbc:sqlite:" + file);
                java.sql.Statement st = other.createStatement();
                java.sql.ResultSet rs = st.executeQuery("SELECT count(*) FROM events")) {
            rs.next();
            assertEquals(1, rs.getInt(1), "nothing deferred is in the database yet");
        }
        assertEquals(List.of(a, b), journal.pending("h1"), "a read commits what is deferred first");
        journal.commitDeferred(new EventJournal.Batch(List.of(), Map.of(), List.of(new EventJournal.Delivery(a.eventId(), "h1"))));
        journal.flushDeferred();
        assertEquals(List.of(b), journal.pending("h1"));
        DomainEvent<OrderRequested> c = order("c");
        journal.commitDeferred(new EventJournal.Batch(List.of(c), Map.of(c.eventId(), List.of("h2", "h3")), List.of()));
        journal.commitDeferred(new EventJournal.Batch(List.of(), Map.of(), List.of(new EventJournal.Delivery(c.eventId(), "h2"))));
        journal.flushDeferred();
        assertEquals(List.of(), journal.pending("h2"), "begun and ended in one group: no pending row left");
        assertEquals(List.of(c), journal.pending("h3"), "the other handler's delivery is pending");
        assertEquals(List.of(c), journal.query(EventQuery.all().handledBy("h2")), "and the processing log has it");
        for (int i = 0; i < DeferredCommits.MAX_EVENTS; i++) {
            journal.commitDeferred(new EventJournal.Batch(List.of(order("x" + i)), Map.of(), List.of()));
        }
        try (java.sql.Connection other = java.sql.DriverManager.getConnection("jdbc:sqlite:" + file);
                java.sql.Statement st = other.createStatement();
                java.sql.ResultSet rs = st.executeQuery("SELECT count(*) FROM events")) {
            rs.next();
            assertEquals(4 + DeferredCommits.MAX_EVENTS, rs.getInt(1), "a full group commits by itself");
        }
        journal.close();
    }

    private static DomainEvent<?> checkpoint(int candles) {
        Instant open = Instant.parse("2024-01-01T00:00:00Z");
        return DomainEvent.of(new io.autotrade.api.trading.ReplayCheckpoint(Market.of("KRW-BTC"), "f.csv", "ab", open,
                open.plusSeconds(60L * candles), candles), open.plusSeconds(60L * candles));
    }

    private static List<String> journaled(Path db) throws Exception {
        List<String> out = new ArrayList<>();
        try (java.sql.Connection c = java.sql.DriverManager.getConnection("jdbc:sqlite:" + db);
                java.sql.ResultSet rs = c.createStatement().executeQuery("SELECT type, aggregate_id FROM events ORDER BY seq")) {
            while (rs.next()) {
                out.add(rs.getString(1).equals("market.replay_checkpoint") ? "checkpoint" : rs.getString(2));
            }
        }
        return out;
    }

    /**
     * A replay's boundaries: a group commits only at one, ending with its checkpoint; a read in the middle of a step
     * commits up to the last boundary and leaves the step's batches deferred; the end of the replay commits the rest.
     */
    @Test
    void deferredGroupsCommitAtBoundariesEndingWithTheirCheckpoint() throws Exception {
        Path db = dir.resolve("b.db");
        SqliteEventStore journal = new SqliteEventStore(db, 0, 5_000, org.sqlite.SQLiteConfig.SynchronousMode.FULL, 3,
                Schema.CACHE_KIB);
        journal.commitDeferred(new EventJournal.Batch(List.of(order("a1"), order("a2")), Map.of(), List.of()));
        journal.boundary(() -> checkpoint(1)); // 2 events: under the group's 3
        journal.commitDeferred(new EventJournal.Batch(List.of(order("b1"), order("b2")), Map.of(), List.of()));
        assertEquals(List.of(), journaled(db), "a full group waits for the next boundary");
        int[] made = new int[1];
        journal.boundary(() -> {
            made[0]++;
            return checkpoint(2);
        });
        assertEquals(List.of("a1", "a2", "b1", "b2", "checkpoint"), journaled(db), "committed at the boundary, checkpoint last");
        assertEquals(1, made[0]);

        journal.commitDeferred(new EventJournal.Batch(List.of(order("c1")), Map.of(), List.of()));
        journal.boundary(() -> checkpoint(3));
        journal.commitDeferred(new EventJournal.Batch(List.of(order("d1")), Map.of(), List.of())); // a step in progress
        assertEquals(7, journal.query(EventQuery.all()).size(), "a read commits up to the last boundary only");
        assertEquals(List.of("a1", "a2", "b1", "b2", "checkpoint", "c1", "checkpoint"), journaled(db));
        journal.boundary(() -> checkpoint(4));
        journal.commitDeferred(new EventJournal.Batch(List.of(order("e1")), Map.of(), List.of())); // the replay failed here
        journal.flushDeferred();
        assertEquals(List.of("a1", "a2", "b1", "b2", "checkpoint", "c1", "checkpoint", "d1", "checkpoint", "e1"), journaled(db),
                "the end commits everything, the last checkpoint where it was marked");
        journal.close();
    }

    @Test
    void everyBatchOfConcurrentPublishersIsCommittedOnce() throws Exception {
        SqliteEventStore journal = new SqliteEventStore(dir.resolve("g.db"), 2_000, 5_000);
        int threads = 8;
        CountDownLatch start = new CountDownLatch(1);
        AtomicInteger appended = new AtomicInteger();
        List<Thread> all = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            int n = t;
            Thread thread = new Thread(() -> {
                try {
                    start.await();
                    for (int i = 0; i < 50; i++) {
                        if (journal.commit(new EventJournal.Batch(List.of(order("t" + n + "-" + i)), Map.of(), List.of()))[0]) {
                            appended.incrementAndGet();
                        }
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
            thread.start();
            all.add(thread);
        }
        start.countDown();
        for (Thread thread : all) {
            thread.join(30_000);
        }
        assertEquals(threads * 50, appended.get());
        assertEquals(threads * 50L, journal.count());
        journal.close();
    }

    /** Commits {@code n} orders, each pending for handler h, in batches of 1000; @return them in order */
    private static List<DomainEvent<?>> commitPending(SqliteEventStore journal, int n, String prefix) {
        List<DomainEvent<?>> all = new ArrayList<>();
        for (int from = 0; from < n; from += 1000) {
            List<DomainEvent<?>> batch = new ArrayList<>();
            Map<java.util.UUID, List<String>> recipients = new java.util.HashMap<>();
            for (int i = from; i < Math.min(n, from + 1000); i++) {
                DomainEvent<OrderRequested> e = order(prefix + i);
                batch.add(e);
                recipients.put(e.eventId(), List.of("h"));
            }
            journal.commit(new EventJournal.Batch(batch, recipients, List.of()));
            all.addAll(batch);
        }
        return all;
    }

    @Test
    void aBacklogLargerThanAPageIsHandedOverInJournalOrderPageByPageWithoutWhatIsJournaledMeanwhile() {
        SqliteEventStore journal = new SqliteEventStore(dir.resolve("p.db"));
        int n = SqliteEventStore.PENDING_PAGE * 2 + 100;
        List<DomainEvent<?>> all = commitPending(journal, n, "o");
        DomainEvent<?> done = all.remove(7);
        journal.commit(new EventJournal.Batch(List.of(), Map.of(), List.of(new EventJournal.Delivery(done.eventId(), "h"))));
        List<Integer> pages = new ArrayList<>();
        List<DomainEvent<?>> handed = new ArrayList<>();
        long count = journal.pending("h", page -> {
            if (pages.isEmpty()) {
                commitPending(journal, 5, "late"); // journaled after the call: not part of this backlog
            }
            pages.add(page.size());
            handed.addAll(page);
        });
        assertEquals(List.of(SqliteEventStore.PENDING_PAGE, SqliteEventStore.PENDING_PAGE, 99), pages);
        assertEquals(all.size(), count);
        assertEquals(all, handed, "every pending event once, in journal order, the handled one left out");
        assertEquals(all.size() + 5, journal.pending("h").size(), "the late ones are pending for the next read");
        journal.close();
    }

    @Test
    void aDamagedPendingEventStopsTheBacklogAtItsPageNamingItAndNothingIsLost() throws Exception {
        Path file = dir.resolve("d.db");
        SqliteEventStore journal = new SqliteEventStore(file);
        int n = SqliteEventStore.PENDING_PAGE * 2 + 10;
        List<DomainEvent<?>> all = commitPending(journal, n, "o");
        DomainEvent<?> damaged = all.get(SqliteEventStore.PENDING_PAGE + 700);
        DomainEvent<?> alsoDamaged = all.get(SqliteEventStore.PENDING_PAGE + 1500);
        long seq;
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file); Statement s = c.createStatement()) {
            for (DomainEvent<?> e : List.of(alsoDamaged, damaged)) {
                s.executeUpdate("UPDATE events SET payload = '{\"orderId\": ' WHERE event_id = '" + e.eventId() + "'");
            }
            try (ResultSet rs = s.executeQuery("SELECT seq FROM events WHERE event_id = '" + damaged.eventId() + "'")) {
                rs.next();
                seq = rs.getLong(1);
            }
        }
        List<DomainEvent<?>> handed = new ArrayList<>();
        UnreadableEventException e = assertThrows(UnreadableEventException.class, () -> journal.pending("h", handed::addAll));
        assertEquals(all.subList(0, SqliteEventStore.PENDING_PAGE), handed, "the page before the damaged one is handed over");
        assertEquals(damaged.eventId(), e.eventId(), "the first damaged event of its page, though decoded in parallel");
        assertEquals(OrderRequested.KIND.type(), e.type());
        assertEquals(seq, e.sequence());
        assertTrue(e.getMessage().contains(file.toString()) && e.getMessage().contains("event #" + seq)
                && e.getMessage().contains(damaged.eventId().toString()), e.getMessage());
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file); Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT count(*) FROM pending WHERE handler_id = 'h'")) {
            rs.next();
            assertEquals(n, rs.getInt(1), "every delivery stays pending; the handed-over page is finished by its handler");
        }
        journal.close();
    }

    @Test
    void aSchemaZeroDatabaseIsMigratedKeepingEveryPendingDelivery() throws Exception {
        Path file = dir.resolve("old.db");
        SqliteEventStore journal = new SqliteEventStore(file);
        List<DomainEvent<?>> all = commitPending(journal, 1500, "o");
        journal.close();
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file); Statement s = c.createStatement()) {
            // the first layout: pending keyed by (event id, handler), no schema version
            s.executeUpdate("CREATE TABLE old_pending (event_id TEXT NOT NULL, handler_id TEXT NOT NULL,"
                    + " PRIMARY KEY (event_id, handler_id)) WITHOUT ROWID");
            s.executeUpdate("INSERT INTO old_pending SELECT e.event_id, p.handler_id FROM pending p JOIN events e ON e.seq = p.seq");
            s.executeUpdate("DROP TABLE pending");
            s.executeUpdate("ALTER TABLE old_pending RENAME TO pending");
            s.executeUpdate("CREATE INDEX pending_handler ON pending(handler_id)");
            s.executeUpdate("PRAGMA user_version = 0");
        }
        SqliteEventStore migrated = new SqliteEventStore(file);
        assertEquals(all, migrated.pending("h"));
        migrated.commit(new EventJournal.Batch(List.of(), Map.of(), List.of(new EventJournal.Delivery(all.get(0).eventId(), "h"))));
        assertEquals(all.subList(1, all.size()), migrated.pending("h"), "a delivery of a migrated row is finished as any");
        migrated.close();
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file); Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("PRAGMA user_version")) {
            rs.next();
            assertEquals(Schema.VERSION, rs.getInt(1));
        }
    }

    @Test
    void aDatabaseOfANewerSchemaIsRefusedAndLeftUntouched() throws Exception {
        Path file = dir.resolve("new.db");
        SqliteEventStore journal = new SqliteEventStore(file);
        commitPending(journal, 10, "o");
        journal.close();
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file); Statement s = c.createStatement()) {
            s.executeUpdate("PRAGMA user_version = " + (Schema.VERSION + 1));
        }
        byte[] before = Files.readAllBytes(file);
        EventStoreException refused = assertThrows(EventStoreException.class, () -> new SqliteEventStore(file));
        assertTrue(refused.getMessage().contains("schema version " + (Schema.VERSION + 1)), refused.getMessage());
        assertTrue(refused.getMessage().contains(file.toString()), refused.getMessage());
        assertArrayEquals(before, Files.readAllBytes(file));
    }

    /** A payload Jackson cannot write: a field of a type with nothing to serialize. */
    record Unwritable(Object opaque) implements EventPayload {
        static final EventKind KIND = new EventKind("test.unwritable", 1, "autotrade/test/UNWRITABLE",
                Priority.LOW_LOGGING, true, Unwritable.class);

        @Override
        public EventKind kind() {
            return KIND;
        }

        @Override
        public String aggregateId() {
            return "x";
        }
    }

    @Test
    void aBatchWhosePayloadCannotBeEncodedFailsAloneAndItsGroupCommitsWithoutIt() throws Exception {
        SqliteEventStore journal = new SqliteEventStore(dir.resolve("e.db"), 200_000, 5_000); // 200 ms: the two group
        DomainEvent<?> bad = DomainEvent.of(new Unwritable(new Object()), Instant.EPOCH);
        List<DomainEvent<?>> good = List.of(order("g1"), order("g2"));
        ExecutorService two = Executors.newFixedThreadPool(2);
        CountDownLatch start = new CountDownLatch(1);
        try {
            Future<boolean[]> failing = two.submit(() -> {
                start.await();
                return journal.commit(new EventJournal.Batch(List.of(order("b1"), bad), Map.of(), List.of()));
            });
            Future<boolean[]> passing = two.submit(() -> {
                start.await();
                return journal.commit(new EventJournal.Batch(good, Map.of(), List.of()));
            });
            start.countDown();
            assertArrayEquals(new boolean[] {true, true}, passing.get(10, TimeUnit.SECONDS));
            Exception e = assertThrows(Exception.class, () -> failing.get(10, TimeUnit.SECONDS));
            assertTrue(e.getCause() instanceof EventStoreException, String.valueOf(e.getCause()));
            assertTrue(e.getCause().getMessage().contains("test.unwritable"), e.getCause().getMessage());
        } finally {
            two.shutdownNow();
        }
        assertEquals(good, journal.query(EventQuery.all()), "nothing of the failed batch, not even its encodable event");
        journal.close();
    }
}
