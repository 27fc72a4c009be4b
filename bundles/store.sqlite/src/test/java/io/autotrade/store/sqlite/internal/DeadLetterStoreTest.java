package io.autotrade.store.sqlite.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.autotrade.api.event.DeadLetter;
import io.autotrade.api.event.DomainEvent;
import io.autotrade.api.event.EventStoreException;
import io.autotrade.api.event.Priority;
import io.autotrade.api.trading.ClientOrderId;
import io.autotrade.api.trading.Market;
import io.autotrade.api.trading.OrderRequested;
import io.autotrade.api.trading.OrderSpec;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DeadLetterStoreTest {
    private static final Instant T0 = Instant.parse("2024-10-15T00:00:00Z");

    @TempDir
    Path dir;

    private static DeadLetter letter(String order, String handler) {
        DomainEvent<OrderRequested> event = DomainEvent.of(new OrderRequested(new ClientOrderId(order), "rsi",
                OrderSpec.marketBuy(Market.of("KRW-BTC"), new BigDecimal("10000.5"))), T0)
                .withPriority(Priority.HIGH_SAFETY);
        return new DeadLetter(0, event, handler, Priority.HIGH_SAFETY, 3, "java.lang.IllegalStateException: down",
                "  at a.B.c(B.java:1)\n  at d.E.f(E.java:2)", T0.plusSeconds(5));
    }

    @Test
    void lettersSurviveAReopenExactlyAndInOrder() {
        Path file = dir.resolve("dl.db");
        SqliteEventStore store = new SqliteEventStore(file);
        DeadLetter first = store.add(letter("o1", "manager.order"));
        DeadLetter second = store.add(letter("o2", "manager.position"));
        assertTrue(second.id() > first.id());
        store.close();

        SqliteEventStore reopened = new SqliteEventStore(file);
        assertEquals(List.of(first, second), reopened.list());
        assertEquals(Optional.of(second), reopened.get(second.id()));
        assertEquals(Optional.empty(), reopened.get(999));
        assertEquals(0, reopened.count(), "dead letters are not events");
        reopened.close();
    }

    @Test
    void aFailedReplayUpdatesTheLetterAndAResolvedOneIsLoggedAsHandled() {
        SqliteEventStore store = new SqliteEventStore(dir.resolve("dl.db"));
        DeadLetter stored = store.add(letter("o1", "h"));
        store.replayFailed(stored.id(), 4, "java.lang.IllegalStateException: still down", "  at x.Y.z(Y.java:9)");
        DeadLetter updated = store.get(stored.id()).orElseThrow();
        assertEquals(4, updated.attempts());
        assertEquals("java.lang.IllegalStateException: still down", updated.lastError());
        assertFalse(store.handled(stored.event().eventId(), "h"));

        assertTrue(store.resolve(stored.id(), T0.plusSeconds(60)));
        assertTrue(store.handled(stored.event().eventId(), "h"));
        assertFalse(store.handled(stored.event().eventId(), "other"));
        assertEquals(List.of(), store.list());
        assertFalse(store.resolve(stored.id(), T0), "a letter resolves once");
        store.close();
    }

    @Test
    void discardRemovesWithoutLoggingAsHandled() {
        SqliteEventStore store = new SqliteEventStore(dir.resolve("dl.db"));
        DeadLetter stored = store.add(letter("o1", "h"));
        assertTrue(store.discard(stored.id()));
        assertFalse(store.discard(stored.id()));
        assertFalse(store.handled(stored.event().eventId(), "h"));
        store.close();
    }

    @Test
    void aLetterThatNoLongerDecodesIsAnErrorNamingIt() throws Exception {
        Path file = dir.resolve("dl.db");
        SqliteEventStore store = new SqliteEventStore(file);
        DeadLetter stored = store.add(letter("o1", "h"));
        store.close();
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file); Statement s = c.createStatement()) {
            s.executeUpdate("UPDATE dead_letters SET payload = '{\"orderId\":1}'");
        }
        SqliteEventStore reopened = new SqliteEventStore(file);
        EventStoreException error = assertThrows(EventStoreException.class, reopened::list);
        assertTrue(error.getMessage().contains("dead letter #" + stored.id() + " (order.requested)"), error.getMessage());
        reopened.close();
    }
}
