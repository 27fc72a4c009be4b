package io.autotrade.exchange.paper.internal;

import static io.autotrade.exchange.paper.internal.PaperBookTest.close;
import static io.autotrade.exchange.paper.internal.PaperBookTest.d;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.autotrade.api.event.DomainEvent;
import io.autotrade.api.trading.CandleOpened;
import io.autotrade.api.trading.ClientOrderId;
import io.autotrade.api.trading.Market;
import io.autotrade.api.trading.OrderAccepted;
import io.autotrade.api.trading.OrderCanceled;
import io.autotrade.api.trading.OrderFilled;
import io.autotrade.api.trading.OrderRequested;
import io.autotrade.api.trading.OrderSpec;
import io.autotrade.api.trading.TimeInForce;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * IOC, FOK, post-only and best orders on paper, decided at the order's arrival (the first candle that
 * opens after it was accepted), as {@link PaperBook} documents.
 */
class PaperTimeInForceTest {
    private static final Market BTC = Market.of("KRW-BTC");
    private static final Instant T = Instant.parse("2024-10-15T00:00:00Z");
    private int ids;

    private static PaperBook book(String participation) {
        return new PaperBook(Map.of("KRW", d("100000000"), "BTC", d("1")), d("0.0005"), Map.of("KRW", d("5000")), d(participation));
    }

    private DomainEvent<OrderRequested> submit(PaperBook book, OrderSpec spec) {
        DomainEvent<OrderRequested> r = DomainEvent.of(new OrderRequested(new ClientOrderId("o" + (++ids)), "s", spec), T);
        assertInstanceOf(OrderAccepted.class, book.submit(r).get(0).payload());
        return r;
    }

    private static List<DomainEvent<?>> open(PaperBook book, String price, Instant at) {
        return book.onOpen(DomainEvent.of(new CandleOpened(BTC, at, d(price)), at));
    }

    private static List<Object> payloads(List<DomainEvent<?>> events) {
        return events.stream().<Object>map(DomainEvent::payload).toList();
    }

    @Test
    void anIocLimitTheOpenDoesNotReachIsCanceledAtArrivalAndNeverRests() {
        PaperBook book = book("1");
        submit(book, OrderSpec.limitBuy(BTC, d("0.1"), d("99000000")).with(TimeInForce.IOC, null));
        List<Object> out = payloads(open(book, "100000000", T.plusSeconds(60)));
        OrderCanceled canceled = assertInstanceOf(OrderCanceled.class, out.get(0));
        assertTrue(canceled.reason().startsWith("ioc:"), canceled.reason());
        assertEquals(List.of(), payloads(close(book, "100000000", "100000000", "98000000", "99000000", "5", T.plusSeconds(60))),
                "the low reached its price later in the candle, but an IOC order does not wait");
        assertEquals(0, book.balances().get("KRW").locked().signum(), "the lock returned");
        assertEquals(List.of(), book.workingOrders());
    }

    @Test
    void aMarketableIocOrFokLimitFillsWholeAtTheOpenUncapped() {
        for (TimeInForce tif : new TimeInForce[] {TimeInForce.IOC, TimeInForce.FOK}) {
            PaperBook book = book("1");
            submit(book, OrderSpec.limitBuy(BTC, d("0.1"), d("101000000")).with(tif, null));
            List<Object> out = payloads(open(book, "100000000", T.plusSeconds(60)));
            assertEquals(1, out.size(), tif + ": " + out);
            OrderFilled fill = assertInstanceOf(OrderFilled.class, out.get(0));
            assertEquals(d("100000000"), fill.price());
            assertEquals(d("0.1"), fill.volume());
            assertTrue(fill.orderComplete());
        }
    }

    @Test
    void withAParticipationCapAnIocFillsTheCandlesShareAndCancelsTheRestWhileAFokFillsNothing() {
        PaperBook ioc = book("0.1"); // 10% of a 0.5 BTC candle: 0.05 BTC
        submit(ioc, OrderSpec.limitSell(BTC, d("0.2"), d("99000000")).with(TimeInForce.IOC, null));
        assertEquals(List.of(), payloads(open(ioc, "100000000", T.plusSeconds(60))), "capped fills are decided at the close");
        List<Object> out = payloads(close(ioc, "100000000", "100000000", "100000000", "100000000", "0.5", T.plusSeconds(60)));
        OrderFilled fill = assertInstanceOf(OrderFilled.class, out.get(0));
        assertEquals(0, d("0.05").compareTo(fill.volume()));
        assertFalse(fill.orderComplete());
        assertTrue(assertInstanceOf(OrderCanceled.class, out.get(1)).reason().startsWith("ioc: the rest"));
        assertEquals(0, d("0.95").compareTo(ioc.balances().get("BTC").available()), "the unfilled 0.15 BTC is unlocked");

        PaperBook fok = book("0.1");
        submit(fok, OrderSpec.limitSell(BTC, d("0.2"), d("99000000")).with(TimeInForce.FOK, null));
        open(fok, "100000000", T.plusSeconds(60));
        out = payloads(close(fok, "100000000", "100000000", "100000000", "100000000", "0.5", T.plusSeconds(60)));
        assertEquals(1, out.size(), out.toString());
        assertTrue(assertInstanceOf(OrderCanceled.class, out.get(0)).reason().startsWith("fok:"));
        assertEquals(0, d("1").compareTo(fok.balances().get("BTC").available()), "nothing filled, all unlocked");
    }

    @Test
    void aPostOnlyLimitThatWouldTakeIsCanceledAndOneThatRestsFillsAtItsPriceLater() {
        PaperBook book = book("1");
        submit(book, OrderSpec.limitBuy(BTC, d("0.1"), d("100000000")).with(TimeInForce.POST_ONLY, null));
        List<Object> out = payloads(open(book, "99000000", T.plusSeconds(60)));
        assertTrue(assertInstanceOf(OrderCanceled.class, out.get(0)).reason().startsWith("post_only:"), out.toString());

        submit(book, OrderSpec.limitBuy(BTC, d("0.1"), d("98000000")).with(TimeInForce.POST_ONLY, null));
        assertEquals(List.of(), payloads(open(book, "99000000", T.plusSeconds(120))), "it rests");
        out = payloads(close(book, "99000000", "99500000", "97500000", "98500000", "3", T.plusSeconds(120)));
        OrderFilled fill = assertInstanceOf(OrderFilled.class, out.get(0));
        assertEquals(d("98000000"), fill.price(), "a resting order fills at its own price");
        assertTrue(fill.orderComplete());
    }

    @Test
    void aBestBuySpendsItsAmountAtTheOpenAndABestFokSellBeyondTheCapIsCanceled() {
        PaperBook book = book("1");
        submit(book, OrderSpec.bestBuy(BTC, d("1000000"), TimeInForce.IOC));
        OrderFilled fill = assertInstanceOf(OrderFilled.class, payloads(open(book, "90518000", T.plusSeconds(60))).get(0));
        assertEquals(d("0.01104752"), fill.volume(), "1,000,000 / 90,518,000, down to 8 decimals");
        assertTrue(fill.orderComplete());

        PaperBook capped = book("0.01");
        close(capped, "100000000", "100000000", "100000000", "100000000", "1", T); // a last price for the sell's total
        submit(capped, OrderSpec.bestSell(BTC, d("0.5"), TimeInForce.FOK));
        open(capped, "100000000", T.plusSeconds(60));
        List<Object> out = payloads(close(capped, "100000000", "100000000", "100000000", "100000000", "10", T.plusSeconds(60)));
        assertTrue(assertInstanceOf(OrderCanceled.class, out.get(0)).reason().startsWith("fok:"), out.toString());
    }

    @Test
    void orderOptionsThatUpbitRefusesAreRefusedWhenTheSpecIsMade() {
        var e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> new OrderSpec(BTC, io.autotrade.api.trading.Side.BID, io.autotrade.api.trading.OrderType.BEST, null,
                        BigDecimal.TEN, null, null));
        assertTrue(e.getMessage().contains("ioc or fok"), e.getMessage());
        org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> OrderSpec.marketBuy(BTC, BigDecimal.TEN).with(TimeInForce.IOC, null));
        org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> OrderSpec.limitBuy(BTC, BigDecimal.ONE, BigDecimal.TEN).with(TimeInForce.POST_ONLY,
                        io.autotrade.api.trading.SelfMatchPrevention.CANCEL_TAKER));
    }
}
