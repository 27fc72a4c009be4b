package io.autotrade.exchange.paper.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.autotrade.api.event.DomainEvent;
import io.autotrade.api.trading.Candle;
import io.autotrade.api.trading.CandleClosed;
import io.autotrade.api.trading.OrderCanceled;
import io.autotrade.api.trading.CandleOpened;
import io.autotrade.api.trading.ClientOrderId;
import io.autotrade.api.trading.Market;
import io.autotrade.api.trading.OrderAccepted;
import io.autotrade.api.trading.OrderFilled;
import io.autotrade.api.trading.OrderRejected;
import io.autotrade.api.trading.OrderRequested;
import io.autotrade.api.trading.OrderSpec;
import io.autotrade.api.trading.Side;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PaperBookTest {
    private static final Market BTC = Market.of("KRW-BTC");
    private static final Instant T = Instant.parse("2024-10-15T00:00:00Z");
    private final PaperBook book = new PaperBook(Map.of("KRW", new BigDecimal("10000000")), new BigDecimal("0.0005"),
            Map.of("KRW", new BigDecimal("5000")), BigDecimal.ONE);
    private int ids;

    private DomainEvent<OrderRequested> request(OrderSpec spec) {
        return DomainEvent.of(new OrderRequested(new ClientOrderId("o" + (++ids)), "s", spec), T);
    }

    private List<DomainEvent<?>> open(String price, Instant at) {
        return book.onOpen(DomainEvent.of(new CandleOpened(BTC, at, new BigDecimal(price)), at));
    }

    static BigDecimal d(String s) {
        return new BigDecimal(s);
    }

    /** Closes a one-minute candle that opened at {@code at}. */
    static List<DomainEvent<?>> close(PaperBook book, String open, String high, String low, String close, String volume,
            Instant at) {
        Candle candle = new Candle(BTC, Duration.ofMinutes(1), at, d(open), d(high), d(low), d(close), d(volume), null);
        return book.onClose(DomainEvent.of(new CandleClosed(candle), at.plusSeconds(60)));
    }

    @Test
    void marketBuyFillsAtTheNextOpenWithVolumeRoundedDownAndFeeOnTop() {
        var request = request(OrderSpec.marketBuy(BTC, d("1000000")));
        var accepted = book.submit(request);
        assertInstanceOf(OrderAccepted.class, accepted.get(0).payload());
        assertEquals(accepted.get(0).correlationId(), request.correlationId());
        // locked: amount plus the most fee it can cost
        assertEquals(d("8999500.0000"), book.balances().get("KRW").available());
        assertEquals(d("1000500.0000"), book.balances().get("KRW").locked());

        Instant next = T.plusSeconds(86_400);
        var fills = open("90518000.0", next);
        OrderFilled fill = (OrderFilled) fills.get(0).payload();
        // 1,000,000 / 90,518,000 = 0.011047526... -> 0.01104752 (down, 8 places)
        assertEquals(d("0.01104752"), fill.volume());
        assertEquals(d("90518000.0"), fill.price());
        BigDecimal notional = d("0.01104752").multiply(d("90518000.0"));
        assertEquals(notional.multiply(d("0.0005")), fill.fee(), "fee is 0.05% of the filled notional, unrounded");
        assertEquals(next, fills.get(0).occurredAt());
        assertEquals(request.eventId(), fills.get(0).causationId());
        assertTrue(fill.orderComplete());

        assertEquals(0, d("10000000").subtract(notional).subtract(fill.fee())
                .compareTo(book.balances().get("KRW").available()));
        assertEquals(0, book.balances().get("KRW").locked().signum());
        assertEquals(d("0.01104752"), book.balances().get("BTC").available());
    }

    @Test
    void marketSellTakesTheFeeFromTheProceeds() {
        book.submit(request(OrderSpec.marketBuy(BTC, d("1000000"))));
        open("100000000", T.plusSeconds(60));
        BigDecimal cashAfterBuy = book.balances().get("KRW").available();
        close(book, "100000000", "100000000", "100000000", "100000000", "1", T.plusSeconds(60));
        var accepted = book.submit(request(OrderSpec.marketSell(BTC, d("0.01"))));
        assertInstanceOf(OrderAccepted.class, accepted.get(0).payload());
        assertEquals(d("0.01"), book.balances().get("BTC").locked());
        OrderFilled fill = (OrderFilled) open("110000000", T.plusSeconds(120)).get(0).payload();
        assertEquals(Side.ASK, fill.side());
        assertEquals(d("550.0000"), fill.fee().stripTrailingZeros().setScale(4));
        assertEquals(0, cashAfterBuy.add(d("1100000")).subtract(d("550")).compareTo(book.balances().get("KRW").available()));
        assertEquals(0, book.balances().get("BTC").total().signum());
    }

    @Test
    void aProtectiveExitFillsAtOnceAndWholeAtItsTriggerPriceNotAtTheNextOpen() {
        book.submit(request(OrderSpec.marketBuy(BTC, d("1000000"))));
        open("100000000", T.plusSeconds(60));
        DomainEvent<OrderRequested> exit = DomainEvent.of(new OrderRequested(new ClientOrderId("exit"), "s",
                OrderSpec.marketSell(BTC, d("0.01")), new io.autotrade.api.trading.Exit(
                        io.autotrade.api.trading.ExitReason.STOP_LOSS, d("98000000"))), T.plusSeconds(61));
        List<DomainEvent<?>> out = book.submit(exit);
        assertEquals(2, out.size(), "accepted and filled in one step");
        OrderFilled fill = (OrderFilled) out.get(1).payload();
        assertEquals(d("98000000"), fill.price(), "at the stop level, inside the candle");
        assertEquals(d("0.01"), fill.volume());
        assertTrue(fill.orderComplete());
        assertEquals(T.plusSeconds(61), out.get(1).occurredAt());
        assertEquals(0, book.balances().get("BTC").total().signum());
        assertTrue(open("90000000", T.plusSeconds(120)).isEmpty(), "nothing left to fill at the next open");
    }

    @Test
    void ordersUnderTheMinimumOrOverTheBalanceAreRejectedWithUpbitsErrorNames() {
        var small = (OrderRejected) book.submit(request(OrderSpec.marketBuy(BTC, d("4999")))).get(0).payload();
        assertEquals("under_min_total_bid", small.code());
        assertTrue(small.reason().contains("4999"), small.reason());
        var minimum = book.submit(request(OrderSpec.marketBuy(BTC, d("5000")))).get(0).payload();
        assertInstanceOf(OrderAccepted.class, minimum, "exactly the minimum is allowed");

        var tooBig = (OrderRejected) book.submit(request(OrderSpec.marketBuy(BTC, d("9995000")))).get(0).payload();
        assertEquals("insufficient_funds_bid", tooBig.code());

        var noCoins = (OrderRejected) book.submit(request(OrderSpec.marketSell(BTC, d("1")))).get(0).payload();
        assertEquals("no_price", noCoins.code());
    }

    @Test
    void cancelReturnsTheLockedFunds() {
        var request = request(OrderSpec.marketBuy(BTC, d("1000000")));
        book.submit(request);
        book.cancel(request.payload().orderId(), T);
        assertEquals(0, d("10000000").compareTo(book.balances().get("KRW").available()));
        assertEquals(0, book.balances().get("KRW").locked().signum());
        assertTrue(open("90000000", T.plusSeconds(60)).isEmpty(), "a canceled order never fills");
    }

    @Test
    void limitOrdersOffTheTickAreRefusedAsUpbitDoes() {
        var off = (OrderRejected) book.submit(request(OrderSpec.limitBuy(BTC, d("0.01"), d("90000500")))).get(0).payload();
        assertEquals("invalid_price_bid", off.code());
        assertTrue(off.reason().contains("tick 1000"), off.reason());
        var offAsk = (OrderRejected) book.submit(request(OrderSpec.limitSell(BTC, d("0.01"), d("90000001")))).get(0).payload();
        assertEquals("invalid_price_ask", offAsk.code());
        assertInstanceOf(OrderAccepted.class, book.submit(request(OrderSpec.limitBuy(BTC, d("0.01"), d("90001000")))).get(0).payload());
    }

    @Test
    void aLimitBuyWaitsUntilALaterLowReachesItAndFillsAtItsPrice() {
        var request = request(OrderSpec.limitBuy(BTC, d("0.01"), d("90000000")));
        book.submit(request);
        BigDecimal lock = d("900000").multiply(d("1.0005"));
        assertEquals(0, lock.compareTo(book.balances().get("KRW").locked()));
        Instant t1 = T.plusSeconds(60);
        assertTrue(open("91000000", t1).isEmpty(), "the open is above the limit");
        assertTrue(close(book, "91000000", "92000000", "90500000", "91500000", "3", t1).isEmpty(), "the low stayed above");
        Instant t2 = t1.plusSeconds(60);
        assertTrue(open("91000000", t2).isEmpty());
        var fills = close(book, "91000000", "91000000", "89000000", "90500000", "3", t2);
        OrderFilled fill = (OrderFilled) fills.get(0).payload();
        assertEquals(d("90000000"), fill.price(), "filled at the limit, not at the low");
        assertEquals(t2.plusSeconds(60), fills.get(0).occurredAt());
        assertTrue(fill.orderComplete());
        assertEquals(0, book.balances().get("KRW").locked().signum());
        assertEquals(0, d("10000000").subtract(d("900000")).subtract(d("450")).compareTo(book.balances().get("KRW").available()));
    }

    @Test
    void aLimitBuyFillsAtTheOpenWhenTheOpenIsAlreadyBetterAndReturnsTheUnusedLock() {
        book.submit(request(OrderSpec.limitBuy(BTC, d("0.01"), d("90000000"))));
        OrderFilled fill = (OrderFilled) open("88000000", T.plusSeconds(60)).get(0).payload();
        assertEquals(d("88000000"), fill.price());
        assertEquals(0, book.balances().get("KRW").locked().signum());
        BigDecimal spent = d("880000").multiply(d("1.0005"));
        assertEquals(0, d("10000000").subtract(spent).compareTo(book.balances().get("KRW").available()));
    }

    @Test
    void aLimitSellFillsWhenTheHighReachesIt() {
        book.submit(request(OrderSpec.marketBuy(BTC, d("2000000"))));
        open("100000000", T.plusSeconds(60));
        close(book, "100000000", "100000000", "100000000", "100000000", "5", T.plusSeconds(60));
        var sell = request(OrderSpec.limitSell(BTC, d("0.01"), d("105000000")));
        assertInstanceOf(OrderAccepted.class, book.submit(sell).get(0).payload());
        Instant t = T.plusSeconds(120);
        assertTrue(open("101000000", t).isEmpty());
        OrderFilled fill = (OrderFilled) close(book, "101000000", "106000000", "100000000", "104000000", "5", t).get(0).payload();
        assertEquals(Side.ASK, fill.side());
        assertEquals(d("105000000"), fill.price());
    }

    @Test
    void anOrderAcceptedMidCandleWaitsForTheNextCandle() {
        open("91000000", T);
        book.submit(request(OrderSpec.limitBuy(BTC, d("0.01"), d("90000000"))));
        assertTrue(close(book, "91000000", "92000000", "80000000", "91000000", "3", T).isEmpty(),
                "no fill on the candle it was placed in: its low may have come before the order");
    }

    @Test
    void aParticipationRateSplitsFillsAcrossCandlesAndCancelReturnsTheRest() {
        PaperBook capped = new PaperBook(Map.of("KRW", d("10000000")), d("0.0005"), Map.of("KRW", d("5000")), d("0.1"));
        var request = DomainEvent.of(new OrderRequested(new ClientOrderId("big"), "s",
                OrderSpec.limitBuy(BTC, d("0.05"), d("90000000"))), T);
        capped.submit(request);
        Instant t1 = T.plusSeconds(60);
        assertTrue(capped.onOpen(DomainEvent.of(new CandleOpened(BTC, t1, d("89000000")), t1)).isEmpty(),
                "capped fills wait for the candle's volume");
        OrderFilled first = (OrderFilled) close(capped, "89000000", "90000000", "88000000", "89500000", "0.2", t1).get(0).payload();
        assertEquals(d("0.02"), first.volume().stripTrailingZeros(), "10% of 0.2 traded");
        assertEquals(d("89000000"), first.price(), "marketable at the open");
        assertTrue(!first.orderComplete());
        Instant t2 = t1.plusSeconds(60);
        capped.onOpen(DomainEvent.of(new CandleOpened(BTC, t2, d("91000000")), t2));
        OrderFilled second = (OrderFilled) close(capped, "91000000", "91000000", "89900000", "90000000", "0.1", t2).get(0).payload();
        assertEquals(d("0.01"), second.volume().stripTrailingZeros());
        assertEquals(d("90000000"), second.price(), "touched the limit");
        var canceled = capped.cancel(new ClientOrderId("big"), t2.plusSeconds(60));
        assertInstanceOf(OrderCanceled.class, canceled.payload());
        assertEquals(0, capped.balances().get("KRW").locked().signum(), "the rest of the lock is released");
        BigDecimal spent = d("0.02").multiply(d("89000000")).add(d("0.01").multiply(d("90000000"))).multiply(d("1.0005"));
        assertEquals(0, d("10000000").subtract(spent).compareTo(capped.balances().get("KRW").available()));
        assertEquals(d("0.03"), capped.balances().get("BTC").available().stripTrailingZeros());
    }
}
