package io.autotrade.store.sqlite.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.autotrade.api.event.DomainEvent;
import io.autotrade.api.event.EventJournal;
import io.autotrade.api.event.EventQuery;
import io.autotrade.api.trading.ClientOrderId;
import io.autotrade.api.trading.Market;
import io.autotrade.api.trading.OrderRequested;
import io.autotrade.api.trading.OrderSpec;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
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
}
