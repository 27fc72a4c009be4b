package io.autotrade.exchange.upbit.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.autotrade.api.event.DomainEvent;
import io.autotrade.api.trading.ClientOrderId;
import io.autotrade.api.trading.Market;
import io.autotrade.api.trading.OrderAccepted;
import io.autotrade.api.trading.OrderCanceled;
import io.autotrade.api.trading.OrderFilled;
import io.autotrade.api.trading.OrderRejected;
import io.autotrade.api.trading.OrderRequested;
import io.autotrade.api.trading.OrderSpec;
import io.autotrade.api.trading.TimeInForce;
import io.autotrade.testing.RecordingEventBus;
import io.autotrade.testing.upbit.UpbitStub;
import java.math.BigDecimal;
import java.net.URI;
import java.net.http.HttpClient;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Fills and balances from the private WebSocket ({@code myOrder}, {@code myAsset}) of the loopback
 * {@link UpbitStub}, REST polling as the fallback while it is down, and the order options (best, time in
 * force, post-only) and totals as Upbit takes them.
 */
class PrivateStreamTest {
    private static final Market BTC = Market.of("KRW-BTC");

    private UpbitStub stub;
    private final List<String> warnings = Collections.synchronizedList(new ArrayList<>());
    private final ScheduledExecutorService timer = Executors.newScheduledThreadPool(2);
    private final RecordingEventBus bus = new RecordingEventBus();
    private PrivateStream stream;

    @BeforeEach
    void start() {
        stub = new UpbitStub(UpbitAuthTest.KEYS.accessKey(), UpbitAuthTest.KEYS.secretKey(), 1, new BigDecimal("100000000"));
        stub.candles("KRW-BTC", List.of(new UpbitStub.StubCandle(Instant.now().minusSeconds(120), new BigDecimal("30000000"),
                new BigDecimal("30000000"), new BigDecimal("30000000"), new BigDecimal("30000000"), BigDecimal.ONE)));
    }

    @AfterEach
    void stop() {
        if (stream != null) {
            stream.stop();
        }
        timer.shutdownNow();
        assertEquals(List.of(), stub.refusedTokens(), "every REST request the stub took was signed correctly");
        stub.close();
    }

    private UpbitExchange exchange() {
        UpbitClient client = new UpbitClient(HttpClient.newHttpClient(), stub.restUrl(), new UpbitAuth(UpbitAuthTest.KEYS),
                new RateLimiter(Map.of(), RateLimiter.SYSTEM, warnings::add), Duration.ofSeconds(5));
        return new UpbitExchange(client, bus, warnings::add, warnings::add, Duration.ofMillis(200), Duration.ofMinutes(1), Instant::now);
    }

    /** @return the exchange with its private stream connected and caught up */
    private UpbitExchange streaming() {
        UpbitExchange upbit = exchange();
        stream = new PrivateStream(HttpClient.newHttpClient(), URI.create(stub.wsUrl() + "/private"), new UpbitAuth(UpbitAuthTest.KEYS),
                upbit, Duration.ofSeconds(30), timer, Instant::now, warnings::add);
        upbit.privateStream(stream::up);
        stream.start();
        await("subscribed", () -> stream.up() && stub.privateConnections() == 1);
        await("caught up", () -> stub.state().get("accountReads").asInt() == 1);
        return upbit;
    }

    private DomainEvent<OrderRequested> request(OrderSpec spec) {
        DomainEvent<OrderRequested> r = DomainEvent.of(new OrderRequested(ClientOrderId.random(), "s1", spec), Instant.now());
        bus.publish(r);
        return r;
    }

    private <T extends io.autotrade.api.event.EventPayload> List<T> events(Class<T> type) {
        return bus.payloads(type);
    }

    private static void await(String what, BooleanSupplier condition) {
        try {
            MarketStreamTest.await(what, condition::getAsBoolean);
        } catch (Exception e) {
            throw new AssertionError(what, e);
        }
    }

    private int orderReads() {
        return stub.orderLookups()[0] + stub.orderLookups()[1];
    }

    @Test
    void withTheStreamUpFillsAndEndsComeFromItWithoutAnyOrderPolling() {
        UpbitExchange upbit = streaming();
        upbit.submit(request(OrderSpec.limitBuy(BTC, new BigDecimal("0.01"), new BigDecimal("29000000"))));
        String venue = events(OrderAccepted.class).get(0).venueOrderId();
        stub.fill(venue, new BigDecimal("29000000"), new BigDecimal("0.004"));
        await("the first trade arrives", () -> events(OrderFilled.class).size() == 1);
        upbit.poll(); // the poller runs, but asks nothing while the stream is up
        assertFalse(events(OrderFilled.class).get(0).orderComplete());
        stub.fill(venue, new BigDecimal("29000000"), new BigDecimal("0.006"));
        await("the last trade arrives, final", () -> events(OrderFilled.class).size() == 2 && events(OrderFilled.class).get(1).orderComplete());
        await("the order ended", () -> upbit.working().isEmpty());
        assertEquals(0, new BigDecimal("87").compareTo(events(OrderFilled.class).get(1).fee()),
                "the trade's own fee: 174,000 KRW at 0.05%");

        upbit.submit(request(OrderSpec.marketBuy(BTC, new BigDecimal("100000"))));
        await("the market buy is filled", () -> events(OrderFilled.class).size() == 3);
        OrderFilled marketFill = events(OrderFilled.class).get(2);
        assertTrue(marketFill.orderComplete(), "the stub ends it 'cancel' after its trade: filled, as on the REST path");
        assertEquals(List.of(), events(OrderCanceled.class));
        upbit.poll();
        assertEquals(0, orderReads(), "no GET order and no GET orders/uuids while the stream is up");

        int accountReads = stub.state().get("accountReads").asInt();
        BigDecimal btc = stub.state().get("balances").get("BTC").decimalValue();
        await("the balance follows myAsset", () -> upbit.balances().get("BTC").available().compareTo(btc) == 0);
        assertEquals(accountReads, stub.state().get("accountReads").asInt(), "balances without GET accounts");
    }

    @Test
    void withTheStreamDownFillsComeByRestAndNoTradeIsCountedTwiceAcrossTheSwitch() {
        UpbitExchange upbit = streaming();
        upbit.submit(request(OrderSpec.limitSell(BTC, new BigDecimal("0.01"), new BigDecimal("31000000"))));
        String venue = events(OrderAccepted.class).get(0).venueOrderId();
        stub.refusePrivate(true);
        stub.dropPrivateStreams();
        await("the stream is down", () -> !stream.up());
        stub.fill(venue, new BigDecimal("31000000"), new BigDecimal("0.004"));
        upbit.poll();
        assertEquals(1, events(OrderFilled.class).size(), "polled by REST while the stream is down");
        assertTrue(stub.orderLookups()[1] > 0, "orders/uuids asked");

        await("a reconnect is refused", () -> stub.state().get("refusedHandshakes").size() > 0);
        assertFalse(stream.up());
        stub.refusePrivate(false);
        await("the stream is back", () -> stream.up() && stub.privateConnections() == 1);
        await("caught up again", () -> stub.state().get("accountReads").asInt() == 2);
        stub.fill(venue, new BigDecimal("31000000"), new BigDecimal("0.006"));
        await("the rest arrives on the stream", () -> events(OrderFilled.class).size() == 2);
        upbit.poll();
        List<OrderFilled> fills = events(OrderFilled.class);
        assertEquals(2, fills.stream().map(OrderFilled::tradeId).distinct().count(), "each trade once: " + fills);
        assertTrue(fills.get(1).orderComplete());
    }

    @Test
    void aStreamWhoseTokenIsRefusedLeavesTheOrdersToRestPolling() {
        UpbitExchange upbit = exchange();
        stream = new PrivateStream(HttpClient.newHttpClient(), URI.create(stub.wsUrl() + "/private"),
                new UpbitAuth(new Credentials(UpbitAuthTest.KEYS.accessKey(), "another-secret-key-0123456789abcdef0123")),
                upbit, Duration.ofSeconds(30), timer, Instant::now, warnings::add);
        upbit.privateStream(stream::up);
        stream.start();
        await("the handshake is refused", () -> stub.state().get("refusedHandshakes").size() > 0);
        assertTrue(stub.state().get("refusedHandshakes").get(0).asText().contains("bad signature"));
        assertFalse(stream.up());
        upbit.submit(request(OrderSpec.limitBuy(BTC, new BigDecimal("0.01"), new BigDecimal("29000000"))));
        stub.fill(events(OrderAccepted.class).get(0).venueOrderId(), new BigDecimal("29000000"), new BigDecimal("0.01"));
        upbit.poll();
        assertTrue(events(OrderFilled.class).get(0).orderComplete(), "filled by REST polling");
    }

    @Test
    void bestAndTimeInForceOrdersGoAsUpbitTakesThemAndEndAsTheyDid() {
        UpbitExchange upbit = streaming();
        stub.levelSize("KRW-BTC", new BigDecimal("0.5"));
        // 30,000,000 KRW at the best ask (30,001,000) wants 0.99996667 BTC; the level holds 0.5
        upbit.submit(request(OrderSpec.bestBuy(BTC, new BigDecimal("30000000"), TimeInForce.IOC)));
        await("the IOC ends", () -> events(OrderCanceled.class).size() == 1);
        OrderFilled part = events(OrderFilled.class).get(0);
        assertEquals(0, new BigDecimal("0.5").compareTo(part.volume()), "the best level only");
        assertFalse(part.orderComplete(), "the rest was canceled, so not filled");
        assertTrue(events(OrderCanceled.class).get(0).reason().startsWith("ioc:"), events(OrderCanceled.class).toString());

        upbit.submit(request(OrderSpec.bestBuy(BTC, new BigDecimal("30000000"), TimeInForce.FOK)));
        await("the FOK ends", () -> events(OrderCanceled.class).size() == 2);
        assertEquals(1, events(OrderFilled.class).size(), "a FOK larger than the level fills nothing");

        upbit.submit(request(OrderSpec.limitBuy(BTC, new BigDecimal("0.01"), new BigDecimal("29000000")).with(TimeInForce.POST_ONLY, null)));
        upbit.submit(request(OrderSpec.limitBuy(BTC, new BigDecimal("0.01"), new BigDecimal("31000000")).with(TimeInForce.POST_ONLY, null)));
        await("the marketable post-only is canceled", () -> events(OrderCanceled.class).size() == 3);
        List<com.fasterxml.jackson.databind.JsonNode> sent = stub.orders();
        assertEquals(List.of("ioc", "fok", "post_only", "post_only"), sent.stream().map(o -> o.get("time_in_force").asText()).toList());
        assertEquals(List.of(true, true, false, false), sent.stream().map(o -> o.get("smp_type_sent").asBoolean()).toList(),
                "smp_type on every order but post-only ones (Upbit refuses the two together)");
        assertEquals("wait", sent.get(2).get("state").asText(), "the post-only below the market rests");
        assertEquals(1, upbit.working().size());
    }

    @Test
    void aSellUnderUpbitsMinimumOrAnOrderOverItsMaximumIsRefusedAndNeverSent() {
        UpbitExchange upbit = exchange();
        upbit.submit(request(OrderSpec.limitSell(BTC, new BigDecimal("0.0001"), new BigDecimal("40000000"))));
        upbit.submit(request(OrderSpec.limitBuy(BTC, new BigDecimal("40"), new BigDecimal("30000000"))));
        List<OrderRejected> rejected = events(OrderRejected.class);
        assertEquals(List.of("under_min_total_ask", "over_max_total"), rejected.stream().map(OrderRejected::code).toList());
        assertTrue(rejected.get(0).reason().contains("4000") && rejected.get(0).reason().contains("5000"), rejected.get(0).reason());
        assertTrue(rejected.get(1).reason().contains("1000000000"), rejected.get(1).reason());
        assertEquals(List.of(), stub.orders(), "neither reached Upbit");
    }
}
