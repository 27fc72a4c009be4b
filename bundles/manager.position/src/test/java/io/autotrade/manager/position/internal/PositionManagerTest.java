package io.autotrade.manager.position.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.autotrade.api.event.DomainEvent;
import io.autotrade.api.event.EventProperties;
import io.autotrade.api.trading.Candle;
import io.autotrade.api.trading.CandleClosed;
import io.autotrade.api.trading.ClientOrderId;
import io.autotrade.api.trading.Market;
import io.autotrade.api.trading.OrderFilled;
import io.autotrade.api.trading.Position;
import io.autotrade.api.trading.PositionUpdated;
import io.autotrade.api.trading.Side;
import io.autotrade.testing.MemoryEventStore;
import io.autotrade.testing.RecordingEventBus;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.osgi.service.event.Event;

class PositionManagerTest {
    private static final Market BTC = Market.of("KRW-BTC");
    private static final Instant T = Instant.parse("2024-10-15T00:00:00Z");
    private final RecordingEventBus bus = new RecordingEventBus();
    private final List<DomainEvent<?>> published = bus.published();

    /** A store holding the events, all of them handled by the position manager before the restart. */
    private static MemoryEventStore store(List<DomainEvent<?>> events) {
        return MemoryEventStore.of(events).handledBy(PositionManager.HANDLER, events);
    }

    private static DomainEvent<OrderFilled> fill(Side side, String price, String volume, boolean complete) {
        BigDecimal fee = new BigDecimal(price).multiply(new BigDecimal(volume)).multiply(new BigDecimal("0.0005"));
        return DomainEvent.of(new OrderFilled(new ClientOrderId("o-" + side + volume.replace(".", "_")), "s", BTC, side, "t-" + volume,
                new BigDecimal(price), new BigDecimal(volume), fee, complete), T);
    }

    private static Event osgi(DomainEvent<?> e) {
        return new Event(e.topic(), Map.of(EventProperties.EVENT, e));
    }

    @Test
    void rebuildsFromStoredFillsThenFoldsNewFillsAndPublishesEachPosition() {
        PositionManager manager = new PositionManager(bus, store(List.of(fill(Side.BID, "100000000", "0.02", true))));
        assertEquals(0, new BigDecimal("0.02").compareTo(manager.position(BTC).orElseThrow().volume()));
        assertTrue(published.isEmpty(), "a rebuild publishes nothing");

        DomainEvent<OrderFilled> partial = fill(Side.ASK, "110000000", "0.005", false);
        manager.handleEvent(osgi(partial));
        Position after = ((PositionUpdated) published.get(0).payload()).position();
        assertEquals(0, new BigDecimal("0.015").compareTo(after.volume()));
        assertEquals(0, new BigDecimal("50000").compareTo(after.realizedPnl()), "0.005 * (110M - 100M)");
        assertEquals(partial.eventId(), published.get(0).causationId());
    }

    @Test
    void aStoredFillTheManagerHadNotHandledIsLeftForRedelivery() {
        DomainEvent<OrderFilled> handled = fill(Side.BID, "100000000", "0.02", true);
        DomainEvent<OrderFilled> unhandled = fill(Side.BID, "100000000", "0.01", true);
        MemoryEventStore journal = MemoryEventStore.of(List.of(handled, unhandled))
                .handledBy(PositionManager.HANDLER, List.of(handled));
        PositionManager manager = new PositionManager(bus, journal);
        assertEquals(0, new BigDecimal("0.02").compareTo(manager.position(BTC).orElseThrow().volume()),
                "only what the processing log says it handled");
        manager.handleEvent(osgi(unhandled)); // the bus redelivers it
        assertEquals(0, new BigDecimal("0.03").compareTo(manager.position(BTC).orElseThrow().volume()), "once");
    }

    @Test
    void aCandleCloseMarksThePositionWithoutAnEvent() {
        PositionManager manager = new PositionManager(bus, store(List.of(fill(Side.BID, "100000000", "0.01", true))));
        BigDecimal p = new BigDecimal("95000000");
        manager.handleEvent(osgi(DomainEvent.of(new CandleClosed(new Candle(BTC, Duration.ofDays(1), T, p, p, p, p,
                BigDecimal.ONE, null)), T.plus(Duration.ofDays(1)))));
        Position marked = manager.position(BTC).orElseThrow();
        assertEquals(0, p.compareTo(marked.markPrice()));
        assertEquals(0, new BigDecimal("-50000").compareTo(marked.unrealizedPnl()));
        assertTrue(published.isEmpty());
    }
}
