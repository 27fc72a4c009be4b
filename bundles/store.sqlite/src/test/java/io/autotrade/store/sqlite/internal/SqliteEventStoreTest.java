package io.autotrade.store.sqlite.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.autotrade.api.event.DomainEvent;
import io.autotrade.api.event.EventQuery;
import io.autotrade.api.event.EventStoreException;
import io.autotrade.api.trading.ClientOrderId;
import io.autotrade.api.trading.Market;
import io.autotrade.api.trading.OrderFilled;
import io.autotrade.api.trading.OrderRequested;
import io.autotrade.api.trading.OrderSpec;
import io.autotrade.api.trading.Position;
import io.autotrade.api.trading.PositionUpdated;
import io.autotrade.api.trading.Side;
import io.autotrade.api.trading.SignalGenerated;
import io.autotrade.api.trading.TradingState;
import io.autotrade.api.trading.TradingStateChanged;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SqliteEventStoreTest {
    private static final Market BTC = Market.of("KRW-BTC");
    private static final Instant T0 = Instant.parse("2024-10-15T00:00:00Z");

    @TempDir
    Path dir;

    private List<DomainEvent<?>> chain() {
        var signal = DomainEvent.of(new SignalGenerated("rsi-KRW-BTC",
                OrderSpec.marketBuy(BTC, new BigDecimal("1000000")), "RSI crossed up"), T0);
        var id = new ClientOrderId("c-1");
        var request = DomainEvent.causedBy(signal, new OrderRequested(id, "rsi-KRW-BTC", signal.payload().order()), T0);
        var fill = DomainEvent.causedBy(request, new OrderFilled(id, "rsi-KRW-BTC", BTC, Side.BID, "t-1",
                new BigDecimal("90518000.0"), new BigDecimal("0.01104752"), new BigDecimal("500.000001488"), true),
                T0.plusSeconds(86_400));
        var position = DomainEvent.causedBy(fill, new PositionUpdated(new Position(BTC, new BigDecimal("0.01104752"),
                new BigDecimal("999999.998176"), BigDecimal.ZERO, new BigDecimal("500.000001488"),
                new BigDecimal("90518000.0"), T0.plusSeconds(86_400))), T0.plusSeconds(86_400));
        var state = DomainEvent.causedBy(fill, new TradingStateChanged("global", TradingState.TRADING,
                TradingState.IDLE, List.of(), "order.filled"), T0.plusSeconds(86_400));
        return List.of(signal, request, fill, position, state);
    }

    @Test
    void theSynchronousModeIsConfiguredElseTheFrameworkPropertyElseFull() throws Exception {
        assertEquals(org.sqlite.SQLiteConfig.SynchronousMode.FULL, SqliteEventStore.synchronous("", null));
        assertEquals(org.sqlite.SQLiteConfig.SynchronousMode.NORMAL, SqliteEventStore.synchronous("", "normal"));
        assertEquals(org.sqlite.SQLiteConfig.SynchronousMode.FULL, SqliteEventStore.synchronous("FULL", "NORMAL"));
        assertThrows(IllegalArgumentException.class, () -> SqliteEventStore.synchronous("OFF", null),
                "OFF would lose commits when the process is killed: not offered");
        SqliteEventStore store = new SqliteEventStore(dir.resolve("n.db"), 0, 5_000, org.sqlite.SQLiteConfig.SynchronousMode.NORMAL);
        chain().forEach(store::append);
        store.close();
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("n.db"))) {
            assertEquals(5, c.createStatement().executeQuery("SELECT count(*) FROM events").getInt(1));
        }
    }

    @Test
    void thePageCacheIsTheFrameworkPropertysElseTheDefault() throws Exception {
        assertEquals(Schema.CACHE_KIB, SqliteEventStore.positive(SqliteEventStore.CACHE_PROPERTY, null, Schema.CACHE_KIB, "KiB"));
        assertEquals(2048, SqliteEventStore.positive(SqliteEventStore.CACHE_PROPERTY, " 2048 ", Schema.CACHE_KIB, "KiB"));
        for (String bad : new String[] {"0", "-5", "2M"}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> SqliteEventStore.positive(SqliteEventStore.CACHE_PROPERTY, bad, Schema.CACHE_KIB, "KiB"));
            assertEquals("autotrade.db.cache.kib must be a positive whole number of KiB, was '" + bad + "'", e.getMessage());
        }
        SqliteEventStore store = new SqliteEventStore(dir.resolve("c.db"), 0, 5_000,
                org.sqlite.SQLiteConfig.SynchronousMode.NORMAL, DeferredCommits.MAX_EVENTS, 2048);
        try {
            synchronized (store.connection()) {
                try (java.sql.ResultSet rs = store.connection().createStatement().executeQuery("PRAGMA cache_size")) {
                    assertEquals(-2048, rs.getInt(1), "negative: KiB");
                }
            }
        } finally {
            store.close();
        }
    }

    @Test
    void storesEventsExactlyAndReadsThemBackTyped() {
        SqliteEventStore store = new SqliteEventStore(dir.resolve("a.db"));
        List<DomainEvent<?>> chain = chain();
        chain.forEach(store::append);
        assertEquals(chain, store.query(EventQuery.all()), "envelope and payload survive the round trip, BigDecimal scale included");
        assertEquals(5, store.count());
        store.close();

        SqliteEventStore reopened = new SqliteEventStore(dir.resolve("a.db"));
        assertEquals(chain, reopened.query(EventQuery.all()));
        reopened.close();
    }

    @Test
    void appendingTheSameEventTwiceStoresItOnce() {
        SqliteEventStore store = new SqliteEventStore(dir.resolve("a.db"));
        DomainEvent<?> first = chain().get(0);
        assertTrue(store.append(first));
        assertFalse(store.append(first));
        assertEquals(1, store.count());
        store.close();
    }

    @Test
    void queriesByAggregateCorrelationTypeSinceAndLimit() {
        SqliteEventStore store = new SqliteEventStore(dir.resolve("a.db"));
        List<DomainEvent<?>> chain = chain();
        chain.forEach(store::append);
        var other = DomainEvent.of(new SignalGenerated("other", OrderSpec.marketSell(BTC, BigDecimal.ONE), "x"), T0);
        store.append(other);

        assertEquals(chain, store.query(EventQuery.all().correlation(chain.get(0).correlationId())));
        assertEquals(List.of(chain.get(1), chain.get(2)), store.query(EventQuery.all().aggregate("c-1")));
        assertEquals(List.of(chain.get(0), other), store.query(EventQuery.ofType("signal.generated")));
        assertEquals(List.of(chain.get(2), chain.get(3), chain.get(4)),
                store.query(EventQuery.all().since(T0.plusSeconds(1))));
        assertEquals(List.of(chain.get(4), other), store.query(EventQuery.all().limit(2)), "limit keeps the newest, in order");
        assertEquals(List.of(chain.get(3), chain.get(4), other), store.query(EventQuery.all().after(chain.get(2).eventId())),
                "after a cursor: what was appended after it, in append order");
        assertEquals(List.of(chain.get(3), chain.get(4)), store.query(EventQuery.all().after(chain.get(2).eventId()).limit(2)),
                "after a cursor with a limit: the oldest page after it");
        assertEquals(List.of(), store.query(EventQuery.all().after(java.util.UUID.randomUUID())), "an unknown cursor matches nothing");
        store.close();
    }

    @Test
    void refusesAFileThatIsNotSqliteAndLeavesItUntouched() throws Exception {
        Path file = dir.resolve("bad.db");
        byte[] content = "this is a trader's spreadsheet, not a database".getBytes(StandardCharsets.UTF_8);
        Files.write(file, content);
        EventStoreException error = assertThrows(EventStoreException.class, () -> new SqliteEventStore(file));
        assertTrue(error.getMessage().contains(file.toAbsolutePath().toString()), error.getMessage());
        assertTrue(error.getMessage().contains("not an SQLite database"), error.getMessage());
        assertArrayEquals(content, Files.readAllBytes(file));
    }

    @Test
    void refusesADamagedDatabaseAndLeavesItUntouched() throws Exception {
        Path file = dir.resolve("damaged.db");
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file); Statement s = c.createStatement()) {
            s.executeUpdate("PRAGMA page_size=1024");
            s.executeUpdate("CREATE TABLE t(x TEXT)");
            s.executeUpdate("CREATE INDEX t_x ON t(x)");
            for (int i = 0; i < 2000; i++) {
                s.executeUpdate("INSERT INTO t VALUES ('row " + i + " padding padding padding padding')");
            }
        }
        byte[] bytes = Files.readAllBytes(file);
        // overwrite the middle pages with garbage, keeping the header intact
        for (int i = 4096; i < bytes.length - 4096; i++) {
            bytes[i] = (byte) (i * 31);
        }
        Files.write(file, bytes);
        EventStoreException error = assertThrows(EventStoreException.class, () -> new SqliteEventStore(file));
        assertTrue(error.getMessage().contains(file.toAbsolutePath().toString()), error.getMessage());
        assertArrayEquals(bytes, Files.readAllBytes(file));
    }

    @Test
    void aStoredPayloadThatNoLongerDecodesIsAnErrorNamingTheEvent() throws Exception {
        Path file = dir.resolve("a.db");
        SqliteEventStore store = new SqliteEventStore(file);
        store.append(chain().get(0));
        store.close();
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file); Statement s = c.createStatement()) {
            s.executeUpdate("UPDATE events SET payload = '{\"strategyId\":\"x\",\"surprise\":1}'");
        }
        SqliteEventStore reopened = new SqliteEventStore(file);
        EventStoreException error = assertThrows(EventStoreException.class, () -> reopened.query(EventQuery.all()));
        assertTrue(error.getMessage().contains("event #1 (signal.generated)"), error.getMessage());
        reopened.close();
    }
}
