package io.autotrade.exchange.upbit.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.autotrade.api.event.DomainEvent;
import io.autotrade.api.event.EventBus;
import io.autotrade.api.event.EventQuery;
import io.autotrade.api.trading.ClientOrderId;
import io.autotrade.api.trading.Market;
import io.autotrade.api.trading.OrderAccepted;
import io.autotrade.api.trading.OrderCanceled;
import io.autotrade.api.trading.OrderFilled;
import io.autotrade.api.trading.OrderRejected;
import io.autotrade.api.trading.OrderRequested;
import io.autotrade.api.trading.OrderSpec;
import io.autotrade.testing.MemoryEventStore;
import io.autotrade.testing.upbit.UpbitStub;
import java.math.BigDecimal;
import java.net.http.HttpClient;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The order path against the loopback {@link UpbitStub}: every request it took carried a valid token. */
class UpbitExchangeTest {
    private static final Market BTC = Market.of("KRW-BTC");

    private UpbitStub stub;
    private final MemoryEventStore store = new MemoryEventStore();
    private final List<String> warnings = Collections.synchronizedList(new ArrayList<>());
    private final List<String> blocks = Collections.synchronizedList(new ArrayList<>());
    private final EventBus bus = new EventBus() {
        @Override
        public void publish(DomainEvent<?> event) {
            synchronized (store) {
                store.append(event);
            }
        }

        @Override
        public void awaitQuiescence(Duration timeout) {
        }
    };

    @BeforeEach
    void start() throws Exception {
        stub = new UpbitStub(UpbitAuthTest.KEYS.accessKey(), UpbitAuthTest.KEYS.secretKey(), 1, new BigDecimal("10000000"));
    }

    @AfterEach
    void stop() {
        assertEquals(List.of(), stub.refusedTokens(), "every request the stub took was signed correctly");
        stub.close();
    }

    private UpbitExchange exchange(Duration timeout) {
        RateLimiter limiter = new RateLimiter(Map.of(), RateLimiter.SYSTEM, blocks::add);
        UpbitClient client = new UpbitClient(HttpClient.newHttpClient(), stub.restUrl(), new UpbitAuth(UpbitAuthTest.KEYS),
                limiter, timeout);
        return new UpbitExchange(client, bus, warnings::add, warnings::add, Duration.ofMillis(200), Duration.ofMinutes(1), Instant::now);
    }

    private DomainEvent<OrderRequested> request(OrderSpec spec) {
        DomainEvent<OrderRequested> r = DomainEvent.of(new OrderRequested(ClientOrderId.random(), "s1", spec), Instant.now());
        bus.publish(r);
        return r;
    }

    private <T> List<T> events(Class<T> type) {
        synchronized (store) {
            return store.query(EventQuery.all()).stream().map(DomainEvent::payload).filter(type::isInstance).map(type::cast).toList();
        }
    }

    @Test
    void aLimitBuyIsPlacedOnTheTickAndEachTradeIsOneFillOnce() {
        UpbitExchange upbit = exchange(Duration.ofSeconds(5));
        DomainEvent<OrderRequested> r = request(OrderSpec.limitBuy(BTC, new BigDecimal("0.01"), new BigDecimal("100000500")));
        upbit.submit(r);
        OrderAccepted accepted = events(OrderAccepted.class).get(0);
        var placed = stub.orders().stream().filter(o -> o.get("uuid").asText().equals(accepted.venueOrderId())).findFirst().orElseThrow();
        assertEquals("100000000", placed.get("price").asText(), "a bid's price goes down to the tick");
        assertEquals(r.payload().orderId().value(), placed.get("identifier").asText());

        stub.fill(accepted.venueOrderId(), new BigDecimal("100000000"), new BigDecimal("0.004"));
        upbit.poll();
        upbit.poll();
        assertEquals(1, events(OrderFilled.class).size(), "a trade is one fill, however often it is seen");
        assertFalse(events(OrderFilled.class).get(0).orderComplete());
        stub.fill(accepted.venueOrderId(), new BigDecimal("100000000"), new BigDecimal("0.006"));
        upbit.poll();
        List<OrderFilled> fills = events(OrderFilled.class);
        assertEquals(2, fills.size());
        assertTrue(fills.get(1).orderComplete());
        assertEquals(0, new BigDecimal("300").compareTo(fills.get(1).fee()), "funds 600,000 KRW at the 0.05% bid fee of orders/chance");
        assertEquals(Map.of(), upbit.working());
    }

    @Test
    void upbitsRefusalIsARejectionWithItsErrorName() {
        UpbitExchange upbit = exchange(Duration.ofSeconds(5));
        stub.refuseNextSubmit("insufficient_funds_bid");
        upbit.submit(request(OrderSpec.marketBuy(BTC, new BigDecimal("500000000"))));
        OrderRejected rejected = events(OrderRejected.class).get(0);
        assertEquals("insufficient_funds_bid", rejected.code());
        assertTrue(rejected.reason().contains("HTTP 400"), rejected.reason());
    }

    @Test
    void aSubmitThatTimesOutIsLookedUpByIdentifierNeverSentAgain() {
        UpbitExchange upbit = exchange(Duration.ofMillis(300));
        stub.delayNextSubmit(1500);
        DomainEvent<OrderRequested> r = request(OrderSpec.limitBuy(BTC, new BigDecimal("0.01"), new BigDecimal("90000000")));
        upbit.submit(r);
        assertEquals(1, stub.orders().size(), "exactly one order at Upbit");
        assertEquals(1, stub.orderArrivals().size(), "sent once");
        assertEquals(stub.orders().get(0).get("uuid").asText(), events(OrderAccepted.class).get(0).venueOrderId());
        assertTrue(warnings.stream().anyMatch(w -> w.contains("looking it up by identifier")), warnings.toString());
    }

    @Test
    void aRestartReconcilesAFillThatHappenedWhileDownAndCountsItOnce() {
        UpbitExchange before = exchange(Duration.ofSeconds(5));
        before.submit(request(OrderSpec.limitBuy(BTC, new BigDecimal("0.01"), new BigDecimal("90000000"))));
        String uuid = events(OrderAccepted.class).get(0).venueOrderId();
        stub.fill(uuid, new BigDecimal("90000000"), new BigDecimal("0.01")); // while the runtime is down
        exchange(Duration.ofSeconds(5)).reconcile(store);
        assertEquals(1, events(OrderFilled.class).size());
        assertTrue(events(OrderFilled.class).get(0).orderComplete());
        exchange(Duration.ofSeconds(5)).reconcile(store);
        assertEquals(1, events(OrderFilled.class).size(), "a second restart adds nothing");
    }

    @Test
    void aCancelEndsTheOrderWhenUpbitHasCanceledIt() {
        UpbitExchange upbit = exchange(Duration.ofSeconds(5));
        DomainEvent<OrderRequested> r = request(OrderSpec.limitBuy(BTC, new BigDecimal("0.01"), new BigDecimal("90000000")));
        upbit.submit(r);
        upbit.cancel(r.payload().orderId());
        assertEquals(1, events(OrderCanceled.class).size());
        assertEquals(Map.of(), upbit.working());
    }

    @Test
    void aBurstOf100OrdersNeverExceedsTwelvePerSecondAtUpbit() throws Exception {
        UpbitExchange upbit = exchange(Duration.ofSeconds(5));
        ExecutorService pool = Executors.newFixedThreadPool(4);
        for (int i = 0; i < 100; i++) {
            DomainEvent<OrderRequested> r = request(OrderSpec.limitBuy(BTC, new BigDecimal("0.0001"), new BigDecimal("90000000")));
            pool.execute(() -> upbit.submit(r));
        }
        pool.shutdown();
        assertTrue(pool.awaitTermination(60, TimeUnit.SECONDS));
        assertEquals(100, stub.orders().size(), "every order placed, none refused with 429");
        List<Long> at = new ArrayList<>(stub.orderArrivals());
        Collections.sort(at);
        int most = 0;
        for (int i = 0; i < at.size(); i++) {
            int n = 0;
            for (long t : at) {
                if (t >= at.get(i) && t < at.get(i) + 1000) {
                    n++;
                }
            }
            most = Math.max(most, n);
        }
        assertTrue(most <= 12, "at most 12 orders in any second at Upbit (its order group since 2026-08-21), saw " + most);
        assertEquals(100, events(OrderAccepted.class).size());
    }

    @Test
    void a418IsReportedWithTheBlockAndTheOrderRejectedWithItsName() {
        UpbitExchange upbit = exchange(Duration.ofSeconds(5));
        upbit.rules(BTC); // known before the block: the order itself meets the 418
        stub.block(Duration.ofSeconds(1));
        upbit.submit(request(OrderSpec.marketBuy(BTC, new BigDecimal("10000"))));
        assertEquals("too_many_requests", events(OrderRejected.class).get(0).code(), "Upbit's error name");
        assertTrue(blocks.get(0).startsWith("Upbit blocked this client (HTTP 418) until"), blocks.toString());
    }

    @Test
    void anOrderOlderThanTheMaxAgeIsRejectedAsStaleAndNeverSent() {
        UpbitExchange upbit = exchange(Duration.ofSeconds(5));
        DomainEvent<OrderRequested> old = DomainEvent.of(new OrderRequested(ClientOrderId.random(), "s1",
                OrderSpec.marketBuy(BTC, new BigDecimal("10000"))), Instant.now().minusSeconds(61));
        bus.publish(old);
        upbit.submit(old);
        OrderRejected rejected = events(OrderRejected.class).get(0);
        assertEquals("stale_order", rejected.code());
        assertTrue(rejected.reason().contains("61 s ago"), rejected.reason());
        assertEquals(List.of(), stub.orderArrivals(), "nothing reached Upbit");
    }

    @Test
    void aLimitPriceGoesOnUpbitsInstrumentTickWhenItIsCoarserThanTheTable() {
        stub.tickSize("KRW-BTC", new BigDecimal("5000")); // Upbit says 5,000 where the table says 1,000
        UpbitExchange upbit = exchange(Duration.ofSeconds(5));
        upbit.submit(request(OrderSpec.limitBuy(BTC, new BigDecimal("0.01"), new BigDecimal("100004000"))));
        upbit.submit(request(OrderSpec.limitSell(BTC, new BigDecimal("0.01"), new BigDecimal("100001000"))));
        List<String> prices = stub.orders().stream().map(o -> o.get("price").asText()).toList();
        assertEquals(List.of("100000000", "100005000"), prices, "a bid down, an ask up, to the 5,000 tick");
        assertEquals("3000000", upbit.roundToTick(Market.of("KRW-ETH"), new BigDecimal("3000500"), java.math.RoundingMode.DOWN)
                .toPlainString(), "no tick from Upbit: the table's 1,000");
        assertTrue(warnings.stream().anyMatch(w -> w.contains("tick size of KRW-ETH not known from Upbit")), warnings.toString());
    }

    @Test
    void anOrderAnsweredBeforeIsNeverSentAgain() {
        UpbitExchange before = exchange(Duration.ofSeconds(5));
        DomainEvent<OrderRequested> r = request(OrderSpec.limitBuy(BTC, new BigDecimal("0.01"), new BigDecimal("90000000")));
        before.submit(r);
        UpbitExchange restarted = exchange(Duration.ofSeconds(5));
        restarted.reconcile(store);
        restarted.submit(r); // a redelivered order.submitted
        assertEquals(1, stub.orderArrivals().size(), "sent once");
        assertTrue(warnings.stream().anyMatch(w -> w.contains("answered before")), warnings.toString());
    }

    @Test
    void aDryRunSendsToTheTestEndpointAndPlacesNothing() {
        UpbitExchange upbit = exchange(Duration.ofSeconds(5));
        upbit.dryRun(true);
        upbit.submit(request(OrderSpec.limitBuy(BTC, new BigDecimal("0.01"), new BigDecimal("90000000"))));
        OrderRejected rejected = events(OrderRejected.class).get(0);
        assertEquals("dry_run", rejected.code());
        assertTrue(rejected.reason().contains("would take it"), rejected.reason());
        assertEquals(List.of(), stub.orders(), "nothing placed");
        assertEquals(List.of(), stub.orderArrivals(), "POST orders never called");
        assertEquals(Map.of(), upbit.working());
    }

    @Test
    void aHoldingUpbitAndTheFillsDisagreeOnIsReportedAsARiskBreach() {
        UpbitExchange before = exchange(Duration.ofSeconds(5));
        DomainEvent<OrderRequested> r = request(OrderSpec.limitBuy(BTC, new BigDecimal("0.01"), new BigDecimal("90000000")));
        bus.publish(DomainEvent.causedBy(r, new io.autotrade.api.trading.OrderSubmitted(r.payload().orderId(), "s1", BTC,
                UpbitExchange.ID), Instant.now()));
        before.submit(r);
        stub.fill(events(OrderAccepted.class).get(0).venueOrderId(), new BigDecimal("90000000"), new BigDecimal("0.01"));
        stub.candles("KRW-BTC", List.of(new UpbitStub.StubCandle(Instant.now().minusSeconds(120), new BigDecimal("90000000"),
                new BigDecimal("90000000"), new BigDecimal("90000000"), new BigDecimal("90000000"), BigDecimal.ONE)));
        before.poll();
        exchange(Duration.ofSeconds(5)).reconcile(store);
        assertEquals(List.of(), events(io.autotrade.api.trading.RiskBreached.class), "Upbit holds what the fills bought");

        stub.deposit("BTC", new BigDecimal("0.5")); // bought elsewhere
        exchange(Duration.ofSeconds(5)).reconcile(store);
        var breach = events(io.autotrade.api.trading.RiskBreached.class).get(0);
        assertEquals(UpbitExchange.BALANCE_RULE, breach.rule());
        assertEquals(0, new BigDecimal("0.01").compareTo(breach.limit()));
        assertEquals(0, new BigDecimal("0.51").compareTo(breach.value()));
        assertTrue(breach.message().contains("a difference of 0.50"), breach.message());
        assertTrue(warnings.stream().anyMatch(w -> w.contains("BTC 0.51 = 45900000 KRW at 90000000")), warnings.toString());
    }

    @Test
    void aMarketOrderIntoATooThinBookIsRejectedAndNotSent() {
        stub.candles("KRW-BTC", List.of(new UpbitStub.StubCandle(Instant.now().minusSeconds(120), new BigDecimal("100000000"),
                new BigDecimal("100000000"), new BigDecimal("100000000"), new BigDecimal("100000000"), BigDecimal.ONE)));
        UpbitExchange upbit = exchange(Duration.ofSeconds(5));
        upbit.maxSpread(new BigDecimal("0.01"));
        upbit.submit(request(OrderSpec.marketBuy(BTC, new BigDecimal("10000"))));
        assertEquals(1, events(OrderAccepted.class).size(), "a 2,000 KRW spread on 100,000,000 is 0.002%");
        stub.spread("KRW-BTC", 2400); // 2,400,000 KRW apart: 2.4%
        upbit.submit(request(OrderSpec.marketBuy(BTC, new BigDecimal("10000"))));
        OrderRejected rejected = events(OrderRejected.class).get(0);
        assertEquals("wide_spread", rejected.code());
        assertTrue(rejected.reason().contains("2.4%"), rejected.reason());
        assertEquals(1, stub.orderArrivals().size(), "the second order never reached Upbit");
    }

    @Test
    void aMarketBuyUpbitEndsAsCancelAfterItsTradesIsFilledAndEveryOrderCarriesSmpType() {
        // 10,000 KRW at 30,000,001 KRW buys 0.00033333 BTC and leaves funds under one unit: Upbit ends it "cancel"
        stub.candles("KRW-BTC", List.of(new UpbitStub.StubCandle(Instant.now().minusSeconds(120), new BigDecimal("30000001"),
                new BigDecimal("30000001"), new BigDecimal("30000001"), new BigDecimal("30000001"), BigDecimal.ONE)));
        UpbitExchange upbit = exchange(Duration.ofSeconds(5));
        upbit.submit(request(OrderSpec.marketBuy(BTC, new BigDecimal("10000"))));
        assertEquals(List.of(), events(OrderFilled.class), "Upbit answers the order as waiting; its fills wait for its end");
        upbit.poll();
        assertEquals("cancel", stub.orders().get(0).get("state").asText(), "the stub ends it as Upbit does");
        List<OrderFilled> fills = events(OrderFilled.class);
        assertEquals(1, fills.size());
        assertTrue(fills.get(0).orderComplete(), "its last trade completes the order");
        assertEquals(0, new BigDecimal("0.00033333").compareTo(fills.get(0).volume()));
        assertEquals(List.of(), events(io.autotrade.api.trading.OrderCanceled.class), "filled, not canceled");

        // a limit order canceled after a partial fill is a real cancel
        upbit.submit(request(OrderSpec.limitBuy(BTC, new BigDecimal("0.02"), new BigDecimal("30000000"))));
        String venue = events(OrderAccepted.class).get(1).venueOrderId();
        stub.fill(venue, new BigDecimal("30000000"), new BigDecimal("0.01"));
        upbit.poll();
        upbit.cancel(events(OrderAccepted.class).get(1).orderId());
        assertEquals(1, events(io.autotrade.api.trading.OrderCanceled.class).size());
        assertTrue(events(OrderFilled.class).stream().noneMatch(f -> f.orderComplete() && f.volume().compareTo(new BigDecimal("0.01")) == 0),
                "the partial fill does not complete the limit order");

        upbit.smpType("reduce");
        upbit.submit(request(OrderSpec.limitSell(BTC, new BigDecimal("0.0002"), new BigDecimal("40000000"))));
        assertEquals(List.of("cancel_taker", "cancel_taker", "reduce"),
                stub.orders().stream().map(o -> o.get("smp_type").asText()).toList(), "every order carries smp_type");
        assertTrue(stub.orders().stream().allMatch(o -> o.get("smp_type_sent").asBoolean()));
        assertThrows(IllegalArgumentException.class, () -> upbit.smpType("none"));
    }

    @Test
    void anOrderUpbitsSelfMatchPreventionEndsIsCanceledNamingThePreventedVolume() {
        UpbitExchange upbit = exchange(Duration.ofSeconds(5));
        stub.preventNextSubmit();
        upbit.submit(request(OrderSpec.limitBuy(BTC, new BigDecimal("0.01"), new BigDecimal("90000000"))));
        assertEquals(1, events(OrderAccepted.class).size());
        io.autotrade.api.trading.OrderCanceled canceled = events(io.autotrade.api.trading.OrderCanceled.class).get(0);
        assertTrue(canceled.reason().startsWith(OrderTracker.PREVENTED + ": "), canceled.reason());
        assertTrue(canceled.reason().contains("did not execute 0.01 BTC"), canceled.reason());
        assertEquals(List.of(), events(OrderFilled.class));
        upbit.poll();
        assertEquals(1, events(io.autotrade.api.trading.OrderCanceled.class).size(), "it ended: a poll reports nothing more");
    }

    @Test
    void aBuyIntoAMarketUpbitFlagsIsRefusedNamingTheFlagsWhileASellPasses() {
        stub.candles("KRW-BTC", List.of(new UpbitStub.StubCandle(Instant.now().minusSeconds(120), new BigDecimal("90000000"),
                new BigDecimal("90000000"), new BigDecimal("90000000"), new BigDecimal("90000000"), BigDecimal.ONE)));
        stub.flag("KRW-BTC", "warning", "PRICE_FLUCTUATIONS");
        UpbitExchange upbit = exchange(Duration.ofSeconds(5));
        upbit.checkMarkets(List.of(BTC)); // at start: the flags are read, and logged
        assertTrue(warnings.stream().anyMatch(w -> w.contains("KRW-BTC is flagged by Upbit (market_event: warning, caution"
                + " PRICE_FLUCTUATIONS); buys into it are refused")), warnings.toString());
        upbit.submit(request(OrderSpec.marketBuy(BTC, new BigDecimal("10000"))));
        OrderRejected refused = events(OrderRejected.class).get(0);
        assertEquals("market_flagged", refused.code());
        assertTrue(refused.reason().contains("market_event: warning, caution PRICE_FLUCTUATIONS"), refused.reason());
        assertEquals(0, stub.orderArrivals().size(), "the buy never reached Upbit");

        upbit.submit(request(OrderSpec.limitSell(BTC, new BigDecimal("0.001"), new BigDecimal("95000000"))));
        assertEquals(1, events(OrderAccepted.class).size(), "a sell still passes: a position can be closed");

        UpbitExchange allowing = exchange(Duration.ofSeconds(5));
        allowing.checkMarkets(List.of(BTC));
        allowing.allowFlaggedMarkets(true);
        allowing.submit(request(OrderSpec.limitBuy(BTC, new BigDecimal("0.001"), new BigDecimal("85000000"))));
        assertEquals(2, events(OrderAccepted.class).size(), "allowed when configured");
    }

    @Test
    void aRestingLimitFillPaysTheMakerRateAndAMarketFillTheTakerRate() {
        stub.makerFee("0.0002");
        stub.candles("KRW-BTC", List.of(new UpbitStub.StubCandle(Instant.now().minusSeconds(120), new BigDecimal("90000000"),
                new BigDecimal("90000000"), new BigDecimal("90000000"), new BigDecimal("90000000"), BigDecimal.ONE)));
        UpbitExchange upbit = exchange(Duration.ofSeconds(5));
        upbit.submit(request(OrderSpec.limitBuy(BTC, new BigDecimal("0.01"), new BigDecimal("89000000"))));
        stub.fill(events(OrderAccepted.class).get(0).venueOrderId(), new BigDecimal("89000000"), new BigDecimal("0.01"));
        upbit.poll();
        OrderFilled resting = events(OrderFilled.class).get(0);
        assertEquals(0, new BigDecimal("178").compareTo(resting.fee()), "890,000 KRW x 0.02% maker: " + resting.fee());

        upbit.submit(request(OrderSpec.marketSell(BTC, new BigDecimal("0.01"))));
        upbit.poll();
        OrderFilled market = events(OrderFilled.class).get(1);
        assertEquals(0, new BigDecimal("450").compareTo(market.fee()), "900,000 KRW x 0.05% taker: " + market.fee());
    }

    @Test
    void aMarketOrderBeyondTheBooksThirtyLevelsOrWithTooMuchSlippageIsRejectedAndNotSent() {
        stub.candles("KRW-BTC", List.of(new UpbitStub.StubCandle(Instant.now().minusSeconds(120), new BigDecimal("100000000"),
                new BigDecimal("100000000"), new BigDecimal("100000000"), new BigDecimal("100000000"), BigDecimal.ONE)));
        stub.levelSize("KRW-BTC", new BigDecimal("0.0001")); // about 10,000 KRW a level, 30 levels a side
        UpbitExchange upbit = exchange(Duration.ofSeconds(5));
        upbit.maxSlippage(new BigDecimal("0.01"));
        upbit.submit(request(OrderSpec.marketBuy(BTC, new BigDecimal("1000000"))));
        OrderRejected thin = events(OrderRejected.class).get(0);
        assertEquals("thin_book", thin.code());
        assertTrue(thin.reason().contains("the 30 ask levels of KRW-BTC hold"), thin.reason());
        upbit.submit(request(OrderSpec.marketSell(BTC, new BigDecimal("0.01"))));
        assertEquals("thin_book", events(OrderRejected.class).get(1).code(), "0.01 BTC is more than 30 x 0.0001 bid");

        upbit.maxSlippage(new BigDecimal("0.0001")); // 0.01%
        upbit.submit(request(OrderSpec.marketBuy(BTC, new BigDecimal("250000"))));
        OrderRejected slip = events(OrderRejected.class).get(2);
        assertEquals("slippage", slip.code());
        assertTrue(slip.reason().contains("above market.order.max.slippage.pct 0.01%"), slip.reason());
        assertEquals(0, stub.orderArrivals().size(), "none of them reached Upbit");

        upbit.maxSlippage(new BigDecimal("0.01"));
        upbit.submit(request(OrderSpec.marketBuy(BTC, new BigDecimal("250000"))));
        assertEquals(1, events(OrderAccepted.class).size(), "within 1% it goes");
    }

    @Test
    void theKillSwitchCancelsEveryOpenOrderWithOneBatchCall() {
        UpbitExchange upbit = exchange(Duration.ofSeconds(5));
        for (int i = 0; i < 3; i++) {
            upbit.submit(request(OrderSpec.limitBuy(BTC, new BigDecimal("0.001"), new BigDecimal("80000000"))));
        }
        List<ClientOrderId> ours = events(OrderAccepted.class).stream().map(OrderAccepted::orderId).toList();
        upbit.cancelAll(ours);
        assertEquals(1, stub.batchCancels(), "one DELETE orders/open");
        assertEquals(3, events(io.autotrade.api.trading.OrderCanceled.class).size(), "each of ours ends canceled");
        assertTrue(stub.orders().stream().allMatch(o -> o.get("state").asText().equals("cancel")));
    }

    @Test
    void aPollAsksForEveryWorkingOrderAtOnceAndReadsTradesOnlyOfThoseThatChanged() {
        UpbitExchange upbit = exchange(Duration.ofSeconds(5));
        for (int i = 0; i < 5; i++) {
            upbit.submit(request(OrderSpec.limitBuy(BTC, new BigDecimal("0.001"), new BigDecimal("80000000"))));
        }
        int[] before = stub.orderLookups();
        upbit.poll();
        int[] quiet = stub.orderLookups();
        assertEquals(1, quiet[1] - before[1], "one GET orders/uuids for the five");
        assertEquals(0, quiet[0] - before[0], "no order changed: no GET order");

        stub.fill(events(OrderAccepted.class).get(2).venueOrderId(), new BigDecimal("80000000"), new BigDecimal("0.001"));
        upbit.poll();
        int[] after = stub.orderLookups();
        assertEquals(1, after[0] - quiet[0], "only the filled one is read whole");
        assertEquals(1, events(OrderFilled.class).size());
        assertTrue(events(OrderFilled.class).get(0).orderComplete());
        upbit.poll();
        assertEquals(1, events(OrderFilled.class).size(), "once");
    }
}
