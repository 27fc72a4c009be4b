package io.autotrade.manager.risk.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.autotrade.api.event.DomainEvent;
import io.autotrade.api.trading.ClientOrderId;
import io.autotrade.api.trading.Market;
import io.autotrade.api.trading.OrderRequested;
import io.autotrade.api.trading.OrderSpec;
import io.autotrade.api.trading.Position;
import io.autotrade.api.trading.PositionUpdated;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import io.autotrade.api.portfolio.OrderView;
import io.autotrade.api.trading.OrderState;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Each rule refuses exactly past its limit and allows up to it. */
class RiskBookTest {
    private static final Market BTC = Market.of("KRW-BTC");
    private static final Market ETH = Market.of("KRW-ETH");
    /** 2024-10-15 09:00 KST. */
    private static final Instant T = Instant.parse("2024-10-15T00:00:00Z");
    private static final RiskLimits OFF = new RiskLimits(d("5000"), BigDecimal.ZERO, 0, BigDecimal.ZERO,
            BigDecimal.ZERO, BigDecimal.ZERO, 0);
    private int ids;

    private static BigDecimal d(String s) {
        return new BigDecimal(s);
    }

    private OrderRequested buy(Market market, String amount) {
        return new OrderRequested(new ClientOrderId("o" + (++ids)), "s", OrderSpec.marketBuy(market, d(amount)));
    }

    private OrderRequested limitSell(String volume, String price) {
        return new OrderRequested(new ClientOrderId("o" + (++ids)), "s", OrderSpec.limitSell(BTC, d(volume), d(price)));
    }

    /** The orders in flight, as the blotter would hold them. */
    private final List<OrderView> inFlight = new ArrayList<>();

    private RiskBook book(RiskLimits limits) {
        return new RiskBook(limits, () -> List.copyOf(inFlight));
    }

    /** Checks the order; a passed one goes into the blotter, as the order manager puts it there at once. */
    private Optional<RiskBook.Breach> check(RiskBook book, OrderRequested order, Instant at, BigDecimal minimum, String halt) {
        Optional<RiskBook.Breach> breach = book.check(order, at, minimum, halt);
        if (breach.isEmpty()) {
            inFlight.add(new OrderView(order.orderId(), order.strategyId(), order.order(), OrderState.SUBMITTED,
                    BigDecimal.ZERO, BigDecimal.ZERO, BigDecimal.ZERO, null, null, at, at, order.exit()));
        }
        return breach;
    }

    /** The blotter after fills of the order worth {@code funds} in all: still in flight unless complete. */
    private void filled(OrderRequested order, BigDecimal funds, boolean complete) {
        inFlight.replaceAll(v -> v.orderId().equals(order.orderId()) ? new OrderView(v.orderId(), v.strategyId(), v.spec(),
                OrderState.PARTIALLY_FILLED, BigDecimal.ZERO, funds, BigDecimal.ZERO, null, null, v.createdAt(), v.updatedAt(), v.exit()) : v);
        if (complete) {
            inFlight.removeIf(v -> v.orderId().equals(order.orderId()));
        }
    }

    private static String rule(Optional<RiskBook.Breach> breach) {
        return breach.map(RiskBook.Breach::rule).orElse("passed");
    }

    private static RiskLimits with(RiskLimits l, String field, String value) {
        return switch (field) {
            case "min" -> new RiskLimits(d(value), l.maxOrderNotional(), l.maxOpenOrders(), l.maxPositionNotional(),
                    l.maxTotalExposure(), l.dailyLossLimit(), l.cooldownMinutes());
            case "order" -> new RiskLimits(l.minOrderTotal(), d(value), l.maxOpenOrders(), l.maxPositionNotional(),
                    l.maxTotalExposure(), l.dailyLossLimit(), l.cooldownMinutes());
            case "open" -> new RiskLimits(l.minOrderTotal(), l.maxOrderNotional(), Integer.parseInt(value),
                    l.maxPositionNotional(), l.maxTotalExposure(), l.dailyLossLimit(), l.cooldownMinutes());
            case "position" -> new RiskLimits(l.minOrderTotal(), l.maxOrderNotional(), l.maxOpenOrders(), d(value),
                    l.maxTotalExposure(), l.dailyLossLimit(), l.cooldownMinutes());
            case "exposure" -> new RiskLimits(l.minOrderTotal(), l.maxOrderNotional(), l.maxOpenOrders(),
                    l.maxPositionNotional(), d(value), l.dailyLossLimit(), l.cooldownMinutes());
            case "loss" -> new RiskLimits(l.minOrderTotal(), l.maxOrderNotional(), l.maxOpenOrders(),
                    l.maxPositionNotional(), l.maxTotalExposure(), d(value), l.cooldownMinutes());
            case "cooldown" -> new RiskLimits(l.minOrderTotal(), l.maxOrderNotional(), l.maxOpenOrders(),
                    l.maxPositionNotional(), l.maxTotalExposure(), l.dailyLossLimit(), Long.parseLong(value));
            default -> throw new IllegalArgumentException(field);
        };
    }

    @Test
    void marketsOfAnotherQuoteCurrencyHaveTheirOwnLimitsInThatCurrency() {
        Market usdt = Market.of("USDT-BTC");
        RiskBook book = book(new RiskLimits(d("5000"), d("5000000"), 0, d("10000000"), d("20000000"),
                d("1000000"), 0));
        // 1,000 USDT is far under the KRW limits' numbers but over nothing of USDT's defaults
        assertEquals("passed", rule(check(book, buy(usdt, "1000"), T, null, null)));
        // USDT's own defaults: minimum 0.5, order notional 5,000, position 10,000
        assertEquals("min.order.total", rule(check(book, buy(usdt, "0.49"), T, null, null)));
        Optional<RiskBook.Breach> big = check(book, buy(usdt, "5000.01"), T, null, null);
        assertEquals("max.order.notional", rule(big));
        assertTrue(big.get().message().contains("max.order.notional.USDT 5000 USDT"), big.get().message());
        assertEquals("passed", rule(check(book, buy(usdt, "5000"), T, null, null)));
        assertEquals("max.position.notional", rule(check(book, buy(usdt, "4000.01"), T, null, null)));
        // the KRW book is apart: KRW exposure does not count USDT's
        assertEquals("passed", rule(check(book, buy(BTC, "5000000"), T, null, null)));
        List<String> rules = book.usage(T).stream().map(io.autotrade.api.risk.RiskLimit::rule).toList();
        assertTrue(rules.containsAll(List.of("max.order.notional", "max.order.notional.USDT", "max.order.notional.BTC")), rules.toString());
    }

    @Test
    void minimumOrderTotalAllowsExactlyTheMinimumAndPrefersTheExchangesOwn() {
        RiskBook book = book(OFF);
        assertEquals("min.order.total", rule(check(book, buy(BTC, "4999.99999999"), T, null, null)));
        assertEquals("passed", rule(check(book, buy(BTC, "5000"), T, null, null)));
        assertEquals("min.order.total", rule(check(book, buy(BTC, "5000"), T, d("5001"), null)));
    }

    @Test
    void aProtectiveExitPassesEveryRuleAndTheHaltLikeACancel() {
        RiskBook book = book(with(with(OFF, "order", "1000"), "open", "1"));
        OrderRequested sell = new OrderRequested(new ClientOrderId("x" + (++ids)), "s", OrderSpec.marketSell(BTC, d("0.01")),
                new io.autotrade.api.trading.Exit(io.autotrade.api.trading.ExitReason.STOP_LOSS, d("90000000")));
        assertEquals("passed", rule(check(book, sell, T, d("5000"), "operator")), "halted, over the notional, one order open");
        OrderRequested signalled = new OrderRequested(new ClientOrderId("x" + (++ids)), "s", OrderSpec.marketSell(BTC, d("0.01")));
        assertEquals("halted", rule(check(book, signalled, T, d("5000"), "operator")), "a strategy's own sell is no exit");
    }

    @Test
    void maxOrderNotionalAllowsUpToTheLimitOnBothSides() {
        RiskBook book = book(with(OFF, "order", "1000000"));
        assertEquals("passed", rule(check(book, buy(BTC, "1000000"), T, null, null)));
        assertEquals("max.order.notional", rule(check(book, buy(BTC, "1000000.00000001"), T, null, null)));
        assertEquals("passed", rule(check(book, limitSell("0.01", "100000000"), T, null, null)));
        Optional<RiskBook.Breach> over = check(book, limitSell("0.01", "100001000"), T, null, null);
        assertEquals("max.order.notional", rule(over));
        assertEquals(0, d("1000010").compareTo(over.get().value()));
        assertTrue(over.get().message().contains("1000010"), over.get().message());
    }

    @Test
    void maxOpenOrdersCountsTheNewOrderAndFreesASlotWhenOneEnds() {
        RiskBook book = book(with(OFF, "open", "2"));
        OrderRequested first = buy(BTC, "10000");
        assertEquals("passed", rule(check(book, first, T, null, null)));
        assertEquals("passed", rule(check(book, buy(BTC, "10000"), T, null, null)));
        assertEquals("max.open.orders", rule(check(book, buy(BTC, "10000"), T, null, null)));
        inFlight.removeIf(v -> v.orderId().equals(first.orderId())); // canceled: the blotter no longer has it
        assertEquals("passed", rule(check(book, buy(BTC, "10000"), T, null, null)));
    }

    @Test
    void maxPositionNotionalCountsThePositionAndOpenBuysPerMarket() {
        RiskBook book = book(with(OFF, "position", "1000000"));
        position(book, BTC, "0.005", "100000000", T); // worth 500,000
        assertEquals("passed", rule(check(book, buy(BTC, "300000"), T, null, null)));
        assertEquals("passed", rule(check(book, buy(BTC, "200000"), T, null, null)), "exactly 1,000,000");
        assertEquals("max.position.notional", rule(check(book, buy(BTC, "5000"), T, null, null)));
        assertEquals("passed", rule(check(book, buy(ETH, "1000000"), T, null, null)), "another market has its own limit");
        assertEquals("passed", rule(check(book, limitSell("0.005", "100000000"), T, null, null)), "sells are not limited");
    }

    @Test
    void maxTotalExposureAddsEveryMarket() {
        RiskBook book = book(with(OFF, "exposure", "1500000"));
        position(book, BTC, "0.01", "100000000", T); // 1,000,000
        assertEquals("passed", rule(check(book, buy(ETH, "500000"), T, null, null)));
        assertEquals("max.total.exposure", rule(check(book, buy(ETH, "5000"), T, null, null)));
    }

    @Test
    void theDailyLossLimitRefusesBuysPastItAndHaltsOncePerKstDay() {
        RiskBook book = book(with(OFF, "loss", "100000"));
        Instant morning = T; // 09:00 KST
        position(book, BTC, "0.01", "100000000", morning); // bought 1,000,000
        // sell at a loss: realized -100,000 gross; fees 0 here, so the net loss is exactly the limit
        Position sold = new Position(BTC, BigDecimal.ZERO, BigDecimal.ZERO, d("-100000"), BigDecimal.ZERO, d("90000000"), morning);
        assertTrue(book.apply(DomainEvent.of(new PositionUpdated(sold), morning)).isEmpty(), "at the limit: no halt");
        assertEquals("passed", rule(check(book, buy(BTC, "10000"), morning, null, null)));
        Position fee = new Position(BTC, BigDecimal.ZERO, BigDecimal.ZERO, d("-100000"), d("0.01"), d("90000000"), morning);
        Optional<RiskBook.Breach> halt = book.apply(DomainEvent.of(new PositionUpdated(fee), morning));
        assertEquals("daily.loss.limit", rule(halt), "one more won of fees is past the limit");
        assertEquals("daily.loss.limit", rule(check(book, buy(BTC, "10000"), morning, null, null)));
        assertEquals("passed", rule(check(book, limitSell("0.0001", "100000000"), morning, null, null)),
                "sells still pass");
        assertTrue(book.apply(DomainEvent.of(new PositionUpdated(fee), morning)).isEmpty(), "halts once a day");
        Instant nextKstDay = Instant.parse("2024-10-15T15:00:00Z"); // 00:00 KST on the 16th
        assertEquals("passed", rule(check(book, buy(BTC, "10000"), nextKstDay, null, null)), "a new trading day");
        assertEquals("daily.loss.limit", rule(check(book, buy(BTC, "10000"), Instant.parse("2024-10-15T14:59:59Z"),
                null, null)), "23:59:59 KST is still the same trading day");
    }

    @Test
    void aCooldownAfterALosingSellBlocksBuysInThatMarketUntilItEnds() {
        RiskBook book = book(with(OFF, "cooldown", "30"));
        position(book, BTC, "0.01", "100000000", T);
        Position loss = new Position(BTC, BigDecimal.ZERO, BigDecimal.ZERO, d("-1000"), d("500"), d("99900000"), T);
        book.apply(DomainEvent.of(new PositionUpdated(loss), T));
        assertEquals("cooldown.after.loss.minutes", rule(check(book, buy(BTC, "10000"), T.plusSeconds(29 * 60 + 59), null, null)));
        assertEquals("passed", rule(check(book, buy(BTC, "10000"), T.plusSeconds(30 * 60), null, null)), "exactly 30 minutes later");
        assertEquals("passed", rule(check(book, buy(ETH, "10000"), T, null, null)), "other markets are not cooled");
    }

    @Test
    void aHaltRefusesEverythingThatIsNotACancel() {
        RiskBook book = book(OFF);
        Optional<RiskBook.Breach> b = check(book, limitSell("0.01", "100000000"), T, null, "operator said so");
        assertEquals("halted", rule(b));
        assertTrue(b.get().message().contains("operator said so"));
    }

    @Test
    void fillsReduceAndCompleteOpenOrders() {
        RiskBook book = book(with(with(OFF, "position", "1000000"), "open", "1"));
        OrderRequested order = buy(BTC, "1000000");
        assertEquals("passed", rule(check(book, order, T, null, null)));
        filled(order, d("400000"), false);
        position(book, BTC, "0.004", "100000000", T);
        assertEquals("max.open.orders", rule(check(book, buy(BTC, "5000"), T, null, null)), "still in flight");
        // position 400,000 plus the buy's unfilled 600,000 is exactly the limit: the filled part counts once
        assertEquals(0, d("1000000").compareTo(book.usage(T).stream().filter(l -> l.rule().equals("max.position.notional"))
                .findFirst().orElseThrow().usage()));
        filled(order, d("1000000"), true);
        position(book, BTC, "0.01", "100000000", T);
        assertEquals("max.position.notional", rule(check(book, buy(BTC, "5000"), T, null, null)),
                "the slot is free, the position is at its limit");
    }

    private static void position(RiskBook book, Market market, String volume, String price, Instant at) {
        BigDecimal cost = d(volume).multiply(d(price));
        book.apply(DomainEvent.of(new PositionUpdated(new Position(market, d(volume), cost, BigDecimal.ZERO,
                BigDecimal.ZERO, d(price), at)), at));
    }
}
