package io.autotrade.exchange.paper.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.autotrade.api.event.DomainEvent;
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
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PaperBookTest {
    private static final Market BTC = Market.of("KRW-BTC");
    private static final Instant T = Instant.parse("2024-10-15T00:00:00Z");
    private final PaperBook book = new PaperBook(Map.of("KRW", new BigDecimal("10000000")), new BigDecimal("0.0005"),
            Map.of("KRW", new BigDecimal("5000")));
    private int ids;

    private DomainEvent<OrderRequested> request(OrderSpec spec) {
        return DomainEvent.of(new OrderRequested(new ClientOrderId("o" + (++ids)), "s", spec), T);
    }

    private List<DomainEvent<?>> open(String price, Instant at) {
        return book.onOpen(DomainEvent.of(new CandleOpened(BTC, at, new BigDecimal(price)), at));
    }

    private static BigDecimal d(String s) {
        return new BigDecimal(s);
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
        book.onClose(new io.autotrade.api.trading.CandleClosed(new io.autotrade.api.trading.Candle(BTC,
                java.time.Duration.ofMinutes(1), T.plusSeconds(60), d("100000000"), d("100000000"), d("100000000"),
                d("100000000"), d("1"), null)));
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
}
