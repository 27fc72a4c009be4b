package io.autotrade.core.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.autotrade.api.event.DomainEvent;
import io.autotrade.api.event.EventBusException;
import io.autotrade.api.event.EventProperties;
import io.autotrade.api.event.Priority;
import io.autotrade.api.trading.ClientOrderId;
import io.autotrade.api.trading.Market;
import io.autotrade.api.trading.OrderRequested;
import io.autotrade.api.trading.OrderSpec;
import java.lang.annotation.Annotation;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.osgi.service.event.Event;
import org.osgi.service.event.EventAdmin;

class PriorityEventBusTest {
    private static final Market BTC = Market.of("KRW-BTC");
    private PriorityEventBus bus;

    @AfterEach
    void stop() throws InterruptedException {
        if (bus != null) {
            bus.stop();
        }
    }

    private static DomainEvent<OrderRequested> order(int n) {
        return DomainEvent.of(new OrderRequested(new ClientOrderId("o" + n), "s",
                OrderSpec.marketBuy(BTC, new BigDecimal(5000 + n))), Instant.ofEpochMilli(n));
    }

    private PriorityEventBus bus(int capacity, Consumer<Event> handler) {
        EventAdmin admin = new EventAdmin() {
            @Override
            public void postEvent(Event event) {
                throw new UnsupportedOperationException("the bus must deliver synchronously on its lane thread");
            }

            @Override
            public void sendEvent(Event event) {
                handler.accept(event);
            }
        };
        return new PriorityEventBus(admin, TestLogs.factory(), config(capacity));
    }

    @Test
    void deliversEachLaneInPublishOrderWithEnvelopeProperties() throws Exception {
        List<Event> seen = Collections.synchronizedList(new ArrayList<>());
        bus = bus(100, seen::add);
        List<DomainEvent<OrderRequested>> sent = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            sent.add(order(i));
            bus.publish(sent.get(i));
        }
        bus.awaitQuiescence(Duration.ofSeconds(5));
        assertEquals(50, seen.size());
        for (int i = 0; i < 50; i++) {
            Event e = seen.get(i);
            assertEquals(sent.get(i), EventProperties.domainEvent(e));
            assertEquals("autotrade/order/REQUESTED", e.getTopic());
            assertEquals("KRW-BTC", e.getProperty(EventProperties.MARKET));
            assertEquals("s", e.getProperty(EventProperties.STRATEGY_ID));
            assertEquals(Boolean.TRUE, e.getProperty(EventProperties.DURABLE));
            assertEquals(1, e.getProperty(EventProperties.PRIORITY));
            assertEquals(sent.get(i).eventId().toString(), e.getProperty(EventProperties.EVENT_ID));
        }
    }

    @Test
    void quiescenceWaitsForEventsPublishedByHandlers() throws Exception {
        List<String> seen = Collections.synchronizedList(new ArrayList<>());
        PriorityEventBus[] self = new PriorityEventBus[1];
        bus = bus(100, e -> {
            DomainEvent<?> d = EventProperties.domainEvent(e);
            seen.add(d.aggregateId());
            sleep(5);
            int n = Integer.parseInt(d.aggregateId().substring(1));
            if (n < 5) {
                self[0].publish(order(n + 1));
            }
        });
        self[0] = bus;
        bus.publish(order(0));
        bus.awaitQuiescence(Duration.ofSeconds(5));
        assertEquals(List.of("o0", "o1", "o2", "o3", "o4", "o5"), seen);
    }

    @Test
    void aBlockedLowLaneDoesNotDelayTheTradingLane() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        CountDownLatch tradingSeen = new CountDownLatch(1);
        bus = bus(100, e -> {
            if (EventProperties.domainEvent(e).priority() == Priority.LOW_LOGGING) {
                await(release);
            } else {
                tradingSeen.countDown();
            }
        });
        bus.publish(order(1).withPriority(Priority.LOW_LOGGING));
        bus.publish(order(2));
        assertTrue(tradingSeen.await(5, TimeUnit.SECONDS), "trading event waited for the blocked logging lane");
        assertThrows(TimeoutException.class, () -> bus.awaitQuiescence(Duration.ofMillis(50)));
        release.countDown();
        bus.awaitQuiescence(Duration.ofSeconds(5));
    }

    @Test
    void aFullLowLaneRejectsWithAnExceptionAndCountsIt() {
        CountDownLatch release = new CountDownLatch(1);
        bus = bus(2, e -> await(release));
        bus.publish(order(1).withPriority(Priority.LOWEST_CLEANUP));
        // the worker may or may not have taken the first event yet: fill until the queue is surely full
        EventBusException error = assertThrows(EventBusException.class, () -> {
            for (int i = 2; i < 10; i++) {
                bus.publish(order(i).withPriority(Priority.LOWEST_CLEANUP));
            }
        });
        assertTrue(error.getMessage().contains("LOWEST_CLEANUP is full"), error.getMessage());
        LaneStats stats = bus.stats().get(Priority.LOWEST_CLEANUP.ordinal());
        assertEquals(1, stats.rejected());
        release.countDown();
    }

    @Test
    void awaitingQuiescenceFromALaneWorkerIsRefused() throws Exception {
        List<Throwable> errors = Collections.synchronizedList(new ArrayList<>());
        PriorityEventBus[] self = new PriorityEventBus[1];
        bus = bus(10, e -> {
            try {
                self[0].awaitQuiescence(Duration.ofMillis(10));
            } catch (Exception | Error x) {
                errors.add(x);
            }
        });
        self[0] = bus;
        bus.publish(order(1));
        bus.awaitQuiescence(Duration.ofSeconds(5));
        assertEquals(1, errors.size());
        assertTrue(errors.get(0) instanceof IllegalStateException);
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    static PriorityEventBus.Config config(int capacity) {
        return new PriorityEventBus.Config() {
            @Override
            public Class<? extends Annotation> annotationType() {
                return PriorityEventBus.Config.class;
            }

            @Override
            public int lane_capacity() {
                return capacity;
            }

            @Override
            public long critical_offer_timeout_ms() {
                return 100;
            }

            @Override
            public long drain_timeout_ms() {
                return 1000;
            }
        };
    }

}
