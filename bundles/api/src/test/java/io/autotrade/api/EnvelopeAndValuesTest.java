package io.autotrade.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.autotrade.api.event.DomainEvent;
import io.autotrade.api.event.InvalidEventException;
import io.autotrade.api.event.Priority;
import io.autotrade.api.trading.Candle;
import io.autotrade.api.trading.ClientOrderId;
import io.autotrade.api.trading.Market;
import io.autotrade.api.trading.OrderRequested;
import io.autotrade.api.trading.OrderSpec;
import io.autotrade.api.trading.OrderState;
import io.autotrade.api.trading.OrderType;
import io.autotrade.api.trading.Side;
import io.autotrade.api.trading.SignalGenerated;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class EnvelopeAndValuesTest {
    private static final Market BTC = Market.of("KRW-BTC");
    private static final Instant T = Instant.parse("2024-10-15T00:00:00Z");

    private static SignalGenerated signal() {
        return new SignalGenerated("rsi-KRW-BTC", OrderSpec.marketBuy(BTC, new BigDecimal("1000000")), "why");
    }

    @Test
    void aRootEventStartsItsOwnChainAndACausedEventContinuesIt() {
        DomainEvent<SignalGenerated> root = DomainEvent.of(signal(), T);
        assertEquals(root.eventId(), root.correlationId());
        assertEquals(root.eventId(), root.causationId());
        assertEquals("signal.generated", root.type());
        assertEquals("rsi-KRW-BTC", root.aggregateId());
        assertEquals(Priority.CRITICAL_TRADING, root.priority());
        assertEquals("autotrade/signal/GENERATED", root.topic());

        DomainEvent<OrderRequested> child = DomainEvent.causedBy(root,
                new OrderRequested(new ClientOrderId("c1"), "rsi-KRW-BTC", root.payload().order()), T);
        assertEquals(root.correlationId(), child.correlationId());
        assertEquals(root.eventId(), child.causationId());
        assertEquals("c1", child.aggregateId());
    }

    /**
     * A candle's event id is the time-ordered layout of the name-based UUID it was derived from before (the same
     * bits of the same MD5), so ids stored by earlier versions still match: a fixed value, and agreement with
     * {@code UUID.nameUUIDFromBytes} on other candles.
     */
    @Test
    void aCandlesEventIdIsItsOpenTimeThenTheNameBasedHashOfItsTypeMarketIntervalAndOpen() {
        java.time.Duration minute = java.time.Duration.ofMinutes(1);
        for (int i = 0; i < 50; i++) {
            Instant open = Instant.parse("2023-03-01T00:00:00Z").plusSeconds(60L * 997 * i);
            io.autotrade.api.trading.Candle candle = new io.autotrade.api.trading.Candle(Market.of("USDT-BTC"), minute, open,
                    BigDecimal.ONE, BigDecimal.ONE, BigDecimal.ONE, BigDecimal.ONE, BigDecimal.ONE, null);
            for (String type : List.of("candle.opened", "candle.closed")) {
                UUID named = UUID.nameUUIDFromBytes((type + "|USDT-BTC|PT1M|" + open.toEpochMilli()).getBytes(
                        java.nio.charset.StandardCharsets.UTF_8));
                UUID id = candle.eventId(type);
                assertEquals(open.toEpochMilli(), id.getMostSignificantBits() >>> 16, "open time first");
                assertEquals(8, id.version());
                assertEquals(named.getMostSignificantBits() & 0x0FFFL, id.getMostSignificantBits() & 0x0FFFL);
                assertEquals(named.getLeastSignificantBits() & 0x3FFFFFFFFFFFFFFFL, id.getLeastSignificantBits() & 0x3FFFFFFFFFFFFFFFL);
            }
        }
        io.autotrade.api.trading.Candle first = new io.autotrade.api.trading.Candle(Market.of("USDT-BTC"), minute,
                Instant.parse("2023-03-01T00:00:00Z"), BigDecimal.ONE, BigDecimal.ONE, BigDecimal.ONE, BigDecimal.ONE,
                BigDecimal.ONE, null);
        assertEquals(UUID.fromString("01869a77-fc00-87f3-b776-ba642e71b584"), first.eventId("candle.closed"),
                "the id the bundled Binance file's first close was journaled with before this change");
        // written byte by byte: a day interval, an open before 1970 (a minus sign), a type that is not ASCII, more
        // types than the bytes kept, a market equal to the last one but another string
        for (String type : List.of("candle.closed", "캔들.closed", "t1", "t2", "t3", "t4", "t5", "t6", "t7", "candle.closed")) {
            for (Instant open : List.of(Instant.parse("1969-12-31T00:00:00Z"), Instant.EPOCH, Instant.parse("2286-11-20T17:46:40Z"))) {
                io.autotrade.api.trading.Candle day = new io.autotrade.api.trading.Candle(Market.of(new String("KRW-BTC")),
                        java.time.Duration.ofDays(1), open, BigDecimal.ONE, BigDecimal.ONE, BigDecimal.ONE, BigDecimal.ONE,
                        BigDecimal.ONE, null);
                UUID named = UUID.nameUUIDFromBytes((type + "|KRW-BTC|PT24H|" + open.toEpochMilli()).getBytes(
                        java.nio.charset.StandardCharsets.UTF_8));
                UUID id = day.eventId(type);
                assertEquals(named.getMostSignificantBits() & 0x0FFFL, id.getMostSignificantBits() & 0x0FFFL, type + " " + open);
                assertEquals(named.getLeastSignificantBits() & 0x3FFFFFFFFFFFFFFFL,
                        id.getLeastSignificantBits() & 0x3FFFFFFFFFFFFFFFL, type + " " + open);
            }
        }
    }

    @Test
    void anEnvelopeThatDisagreesWithItsPayloadIsRefused() {
        UUID id = UUID.randomUUID();
        SignalGenerated payload = signal();
        InvalidEventException wrongType = assertThrows(InvalidEventException.class, () -> new DomainEvent<>(id,
                "order.filled", 1, T, "rsi-KRW-BTC", id, id, Priority.CRITICAL_TRADING, payload));
        assertTrue(wrongType.getMessage().contains("does not match payload SignalGenerated"), wrongType.getMessage());
        assertThrows(InvalidEventException.class, () -> new DomainEvent<>(id, "signal.generated", 2, T, "rsi-KRW-BTC",
                id, id, Priority.CRITICAL_TRADING, payload));
        assertThrows(InvalidEventException.class, () -> new DomainEvent<>(id, "signal.generated", 1, T, "other", id,
                id, Priority.CRITICAL_TRADING, payload));
        InvalidEventException missing = assertThrows(InvalidEventException.class, () -> new DomainEvent<>(id,
                "signal.generated", 1, null, "rsi-KRW-BTC", id, id, Priority.CRITICAL_TRADING, payload));
        assertTrue(missing.getMessage().contains("occurred.at"), missing.getMessage());
    }

    @Test
    void orderSpecsFollowUpbitsOrderTypes() {
        assertEquals(OrderType.PRICE, OrderSpec.marketBuy(BTC, BigDecimal.TEN).type());
        assertThrows(IllegalArgumentException.class,
                () -> new OrderSpec(BTC, Side.ASK, OrderType.PRICE, null, BigDecimal.TEN), "price orders are bids");
        assertThrows(IllegalArgumentException.class,
                () -> new OrderSpec(BTC, Side.BID, OrderType.MARKET, BigDecimal.ONE, null), "market orders are asks");
        assertThrows(IllegalArgumentException.class,
                () -> new OrderSpec(BTC, Side.BID, OrderType.LIMIT, BigDecimal.ONE, null), "limit needs a price");
        assertThrows(IllegalArgumentException.class, () -> OrderSpec.marketSell(BTC, BigDecimal.ZERO));
    }

    @Test
    void marketCodesAreQuoteFirst() {
        assertEquals("KRW", BTC.quote());
        assertEquals("BTC", BTC.base());
        assertThrows(IllegalArgumentException.class, () -> Market.of("krw-btc"));
        assertThrows(IllegalArgumentException.class, () -> Market.of("KRWBTC"));
    }

    @Test
    void candlesMustBeConsistent() {
        Candle ok = new Candle(BTC, Duration.ofDays(1), T, BigDecimal.TEN, new BigDecimal("12"), new BigDecimal("9"),
                new BigDecimal("11"), BigDecimal.ONE, null);
        assertEquals(T.plus(Duration.ofDays(1)), ok.closeTime());
        assertThrows(IllegalArgumentException.class, () -> new Candle(BTC, Duration.ofDays(1), T, BigDecimal.TEN,
                new BigDecimal("10.5"), new BigDecimal("9"), new BigDecimal("11"), BigDecimal.ONE, null), "high below close");
        assertThrows(IllegalArgumentException.class, () -> new Candle(BTC, Duration.ZERO, T, BigDecimal.TEN,
                BigDecimal.TEN, BigDecimal.TEN, BigDecimal.TEN, BigDecimal.ONE, null));
    }

    @Test
    void theOrderStateMachineAllowsOnlyItsTransitions() {
        assertEquals(OrderState.SUBMITTED, OrderState.REQUESTED.transitionTo(OrderState.SUBMITTED));
        assertEquals(OrderState.PARTIALLY_FILLED, OrderState.PARTIALLY_FILLED.transitionTo(OrderState.PARTIALLY_FILLED));
        assertThrows(IllegalStateException.class, () -> OrderState.REQUESTED.transitionTo(OrderState.FILLED));
        assertThrows(IllegalStateException.class, () -> OrderState.ACCEPTED.transitionTo(OrderState.REJECTED));
        for (OrderState last : new OrderState[] {OrderState.FILLED, OrderState.CANCELED, OrderState.REJECTED}) {
            assertTrue(last.isFinal());
            for (OrderState any : OrderState.values()) {
                assertThrows(IllegalStateException.class, () -> last.transitionTo(any), last + " -> " + any);
            }
        }
        assertFalse(OrderState.ACCEPTED.isFinal());
    }

    @Test
    void eventIdsAreVersion7UuidsThatSortByCreationTime() throws InterruptedException {
        UUID first = DomainEvent.newEventId();
        Thread.sleep(2);
        UUID second = DomainEvent.newEventId();
        assertEquals(7, first.version());
        assertEquals(2, first.variant(), "RFC 9562 variant");
        long millis = first.getMostSignificantBits() >>> 16;
        assertTrue(Math.abs(System.currentTimeMillis() - millis) < 10_000, "the first 48 bits are the epoch millis");
        assertTrue(first.toString().compareTo(second.toString()) < 0, "later ids sort later as text, as the store indexes them");
        java.util.Set<UUID> many = new java.util.HashSet<>();
        for (int i = 0; i < 100_000; i++) {
            many.add(DomainEvent.newEventId());
        }
        assertEquals(100_000, many.size(), "no collision within the same milliseconds");
    }

    /** The bus's OSGi event carries its domain event; another OSGi event gives it by property, or is refused. */
    @Test
    void theDomainEventOfAnOsgiEvent() {
        DomainEvent<SignalGenerated> signal = DomainEvent.of(signal(), T);
        assertTrue(signal == io.autotrade.api.event.EventProperties.domainEvent(new io.autotrade.api.event.BusEvent(signal,
                java.util.Map.of())), "carried, whatever the properties say");
        assertEquals("autotrade/signal/GENERATED", new io.autotrade.api.event.BusEvent(signal, java.util.Map.of()).getTopic());
        assertTrue(signal == io.autotrade.api.event.EventProperties.domainEvent(new org.osgi.service.event.Event(
                signal.topic(), java.util.Map.of(io.autotrade.api.event.EventProperties.EVENT, signal))));
        InvalidEventException e = assertThrows(InvalidEventException.class, () -> io.autotrade.api.event.EventProperties
                .domainEvent(new org.osgi.service.event.Event("autotrade/signal/GENERATED", java.util.Map.of())));
        assertTrue(e.getMessage().contains("was not sent through the autotrade event bus"), e.getMessage());
    }

    /** A client order id is 1..64 of letters, digits, '-' and '_' (Upbit's {@code identifier}). */
    @Test
    void aClientOrderIdIsOneToSixtyFourOfLettersDigitsDashAndUnderscore() {
        for (String ok : List.of("c1", "a", "Z-9_z", "x".repeat(64), UUID.randomUUID().toString())) {
            assertEquals(ok, new ClientOrderId(ok).value());
        }
        for (String bad : List.of("", "x".repeat(65), "a b", "a.b", "é", "a/b", "0x\u0000")) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new ClientOrderId(bad));
            assertEquals("client order id must be 1..64 of [A-Za-z0-9_-], was '" + bad + "'", e.getMessage());
        }
    }
}
