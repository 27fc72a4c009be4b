package io.autotrade.it.osgi;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.autotrade.api.event.DomainEvent;
import io.autotrade.api.event.EventBus;
import io.autotrade.api.event.EventQuery;
import io.autotrade.api.event.EventStore;
import io.autotrade.api.exchange.Exchange;
import io.autotrade.api.portfolio.OrderBlotter;
import io.autotrade.api.portfolio.OrderView;
import io.autotrade.api.portfolio.PositionBook;
import io.autotrade.api.trading.CandleClosed;
import io.autotrade.api.trading.ClientOrderId;
import io.autotrade.api.trading.KillSwitch;
import io.autotrade.api.trading.Market;
import io.autotrade.api.trading.OrderFilled;
import io.autotrade.api.trading.OrderRejected;
import io.autotrade.api.trading.OrderSpec;
import io.autotrade.api.trading.OrderState;
import io.autotrade.api.trading.SignalGenerated;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import javax.inject.Inject;
import org.junit.FixMethodOrder;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.junit.runners.MethodSorters;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.CoreOptions;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.OptionUtils;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;

/**
 * The {@code upbit-live} feature, in Felix with its real bundles, trading against the loopback Upbit
 * ({@code testing-upbit}, started outside the framework with real KRW-BTC minute candles moved to
 * now). Its configuration comes from {@code etc/} files, as a trader's would. The steps share one
 * runtime and run in order:
 * <ol>
 *   <li>the history candles warm the strategy up and never trade (their orders are stale); a candle
 *       streamed over the WebSocket leads to signal, order, fill at Upbit and position;</li>
 *   <li>a submit whose answer comes after the client's timeout makes exactly one order at Upbit,
 *       found by its identifier;</li>
 *   <li>a fill that happens while the adapter is stopped is reconciled when it starts, once;</li>
 *   <li>a burst of 100 orders never exceeds 12 per second at Upbit (its order group since 2026-08-21), and nothing gets a 429;</li>
 *   <li>a 418 halts trading with the reason, and the halt lifts when the block ends;</li>
 *   <li>with the private WebSocket up, fills come from it and no working order is polled; with it down they
 *       come by REST, and no trade is counted twice across the switch;</li>
 *   <li>the kill switch cancels every open order with one batch call;</li>
 *   <li>a buy into a market Upbit flags is refused naming the flag;</li>
 *   <li>self-match prevention ends an order as its own outcome; a post-only order goes without smp_type.</li>
 * </ol>
 * The stub checks every private request's JWT and query hash; no request was refused.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
@FixMethodOrder(MethodSorters.NAME_ASCENDING)
public class UpbitLiveIT {
    private static final Market BTC = Market.of("KRW-BTC");
    private static final String STRATEGY = "macross-KRW-BTC";

    @Inject
    private BundleContext context;

    @Configuration
    public Option[] config() {
        Map<String, String> urls = UpbitStubServer.start();
        Map<String, String> etc = new LinkedHashMap<>();
        etc.put("io.autotrade.exchange.upbit.cfg", String.join("\n",
                "base.url = " + urls.get("rest"),
                "ws.url = " + urls.get("ws"),
                "access.key = " + UpbitStubServer.ACCESS_KEY,
                "secret.key = " + UpbitStubServer.SECRET_KEY,
                "markets = KRW-BTC",
                "candle.unit = 1",
                "candle.history.minutes = 60",
                "candle.poll.ms = 60000",
                "poll.interval.ms = 300",
                "request.timeout.ms = 1000",
                "order.max.age.ms = 60000", ""));
        etc.put("io.autotrade.strategy.macross-live.cfg", "market = KRW-BTC\nfast.period = 2\nslow.period = 3\norder.amount = 100000\n");
        etc.put("io.autotrade.manager.risk.cfg", "max.open.orders = 200\n");
        return OptionUtils.combine(FeatureOptions.of("upbit-live", etc),
                CoreOptions.frameworkProperty("it.upbit.control").value(urls.get("control")));
    }

    private StubControl stub() {
        return new StubControl(context.getProperty("it.upbit.control"));
    }

    private <T> List<T> events(Class<T> type, String eventType) throws Exception {
        return Probe.service(context, EventStore.class).query(EventQuery.ofType(eventType)).stream().map(DomainEvent::payload)
                .map(type::cast).toList();
    }

    private OrderView order(ClientOrderId id) throws Exception {
        return Probe.service(context, OrderBlotter.class).order(id).orElseThrow();
    }

    /** Signals (as strategy {@code it}) a KRW-BTC limit buy far below the market, so it rests. @return its id */
    private ClientOrderId restingBuy(String volume) throws Exception {
        int before = Probe.service(context, OrderBlotter.class).orders().size();
        Probe.service(context, EventBus.class).publish(DomainEvent.of(new SignalGenerated("it",
                OrderSpec.limitBuy(BTC, new BigDecimal(volume), new BigDecimal("50000000")), "test"), Instant.now()));
        Probe.await("the order is requested", () -> Probe.service(context, OrderBlotter.class).orders().size() > before);
        List<OrderView> all = Probe.service(context, OrderBlotter.class).orders();
        return all.get(all.size() - 1).orderId();
    }

    private static List<JsonNode> ordersWithIdentifier(JsonNode state, String identifier) {
        List<JsonNode> out = new ArrayList<>();
        state.get("orders").forEach(o -> {
            if (identifier.equals(o.path("identifier").asText())) {
                out.add(o);
            }
        });
        return out;
    }

    @Test
    public void step1_historyNeverTradesAndAStreamedCandleGoesFromSignalToPosition() throws Exception {
        Probe.service(context, Exchange.class);
        Probe.await("the history candles are published", () -> events(CandleClosed.class, CandleClosed.KIND.type()).size() >= 50);
        Probe.await("the stream is subscribed", () -> stub().state().get("streamConnections").asInt() == 1);
        Probe.settle(context);
        assertEquals("no history candle made an order at Upbit", 0, stub().state().get("orders").size());
        Set<String> codes = events(OrderRejected.class, OrderRejected.KIND.type()).stream().map(OrderRejected::code)
                .collect(Collectors.toSet());
        assertTrue("history signals are refused as stale, nothing else: " + codes, codes.isEmpty() || codes.equals(Set.of("stale_order")));

        if (Instant.now().truncatedTo(ChronoUnit.MINUTES).plusSeconds(40).isBefore(Instant.now())) {
            Probe.sleep(Duration.between(Instant.now(), Instant.now().truncatedTo(ChronoUnit.MINUTES).plusSeconds(61)).toMillis());
        }
        // the last two history closes are 11,471,000 and 11,467,000 KRW: a 10% drop puts the 2-candle
        // average under the 3-candle one, a 20% rise then crosses it above: a golden cross
        Instant minute = Instant.now().truncatedTo(ChronoUnit.MINUTES);
        stub().candle(minute.minus(Duration.ofMinutes(2)), 10_320_300);
        stub().candle(minute.minus(Duration.ofMinutes(1)), 13_760_400);
        PositionBook positions = Probe.service(context, PositionBook.class);
        Probe.await("the buy is filled and the position opened",
                () -> positions.position(BTC).map(p -> p.volume().signum() > 0).orElse(false));
        Probe.settle(context);

        JsonNode atUpbit = stub().state().get("orders");
        assertEquals("one order at Upbit: " + atUpbit, 1, atUpbit.size());
        JsonNode placed = atUpbit.get(0);
        assertEquals("price", placed.get("ord_type").asText());
        assertEquals("100000", placed.get("price").asText());
        assertEquals("Upbit ends a market buy with funds left over as cancel", "cancel", placed.get("state").asText());
        assertEquals("the adapter sends smp_type", "cancel_taker", placed.get("smp_type").asText());
        OrderView mine = Probe.service(context, OrderBlotter.class).orders().stream().filter(o -> o.strategyId().equals(STRATEGY))
                .filter(o -> o.state() == OrderState.FILLED).findFirst().orElseThrow();
        assertEquals(placed.get("identifier").asText(), mine.orderId().value());
        assertEquals(placed.get("uuid").asText(), mine.venueOrderId());
        BigDecimal volume = new BigDecimal(placed.get("executed_volume").asText());
        assertEquals(0, volume.compareTo(positions.position(BTC).orElseThrow().volume()));
        assertEquals(1, events(OrderFilled.class, OrderFilled.KIND.type()).size());
        String orders = Probe.shell(context, "trade:orders");
        assertTrue(orders, orders.lines().anyMatch(l -> l.contains(mine.orderId().value()) && l.contains("FILLED")));
        OrderFilled fill = events(OrderFilled.class, OrderFilled.KIND.type()).get(0);
        io.autotrade.api.trading.Position held = positions.position(BTC).orElseThrow();
        assertEquals("cost: the trade's funds", 0, fill.notional().compareTo(held.costBasis()));
        assertEquals("fees: the trade's", 0, fill.fee().compareTo(held.feesPaid()));
        assertEquals("Upbit's paid fee", 0, new BigDecimal(placed.get("paid_fee").asText())
                .compareTo(fill.fee().setScale(8, java.math.RoundingMode.HALF_UP)));
        assertEquals(0, held.realizedPnl().signum());
        assertEquals(0, stub().state().get("refusedTokens").size());
    }

    @Test
    public void step2_aSubmitAnsweredAfterTheTimeoutMakesExactlyOneOrderAtUpbit() throws Exception {
        int arrivals = stub().state().get("orderArrivals").size();
        stub().post("delay-next-submit?ms=2500"); // the client waits 1,000 ms
        ClientOrderId id = restingBuy("0.0002");
        Probe.await("the order is found by its identifier and accepted", () -> order(id).state() == OrderState.ACCEPTED);
        Probe.sleep(3000);
        JsonNode state = stub().state();
        List<JsonNode> atUpbit = ordersWithIdentifier(state, id.value());
        assertEquals("exactly one order at Upbit", 1, atUpbit.size());
        assertEquals("sent once, never again", arrivals + 1, state.get("orderArrivals").size());
        assertEquals(atUpbit.get(0).get("uuid").asText(), order(id).venueOrderId());
        assertEquals(OrderState.ACCEPTED, order(id).state());
    }

    @Test
    public void step3_aFillWhileTheAdapterIsStoppedIsReconciledOnceWhenItStarts() throws Exception {
        ClientOrderId id = Probe.service(context, OrderBlotter.class).orders().stream().filter(o -> o.strategyId().equals("it"))
                .filter(o -> o.state() == OrderState.ACCEPTED).findFirst().orElseThrow().orderId();
        BigDecimal before = Probe.service(context, PositionBook.class).position(BTC).orElseThrow().volume();
        Bundle adapter = Probe.bundle(context, "io.autotrade.exchange.upbit");
        adapter.stop();
        stub().post("fill-all"); // on Upbit, while the runtime does not look
        adapter.start();
        Probe.await("the fill is reconciled", () -> order(id).state() == OrderState.FILLED);
        Probe.settle(context);
        adapter.stop();
        adapter.start();
        Probe.service(context, Exchange.class);
        Probe.sleep(2000); // reconciliation and a few polls
        Probe.settle(context);
        long fills = events(OrderFilled.class, OrderFilled.KIND.type()).stream().filter(f -> f.orderId().equals(id)).count();
        assertEquals("the fill counted once, across two restarts", 1, fills);
        assertEquals(0, before.add(new BigDecimal("0.0002")).compareTo(Probe.service(context, PositionBook.class).position(BTC)
                .orElseThrow().volume()));
    }

    @Test
    public void step4_aBurstOf100OrdersNeverExceedsTwelvePerSecondAtUpbit() throws Exception {
        int before = stub().state().get("orders").size();
        EventBus bus = Probe.service(context, EventBus.class);
        for (int i = 0; i < 100; i++) {
            bus.publish(DomainEvent.of(new SignalGenerated("it", OrderSpec.limitBuy(BTC, new BigDecimal("0.0002"),
                    new BigDecimal("50000000")), "burst " + i), Instant.now()));
        }
        Probe.await("all 100 at Upbit", () -> stub().state().get("orders").size() == before + 100);
        JsonNode state = stub().state();
        List<Long> at = new ArrayList<>();
        state.get("orderArrivals").forEach(t -> at.add(t.asLong()));
        Collections.sort(at);
        int most = 0;
        for (int i = 0, j = 0; i < at.size(); i++) {
            while (at.get(i) - at.get(j) >= 1000) {
                j++;
            }
            most = Math.max(most, i - j + 1);
        }
        assertTrue("at most 12 order requests in any second at Upbit, saw " + most, most <= 12);
        assertEquals("no request got a 429", 0, state.get("tooManyRequests").asInt());
        Probe.await("all accepted", () -> Probe.service(context, OrderBlotter.class).orders().stream()
                .filter(o -> o.state() == OrderState.ACCEPTED).count() == 100);
    }

    @Test
    public void step5_a418HaltsTradingUntilTheBlockEnds() throws Exception {
        KillSwitch killSwitch = Probe.service(context, KillSwitch.class);
        stub().post("block?ms=3000"); // the next request gets the 418: an order (working orders are not polled
        ClientOrderId blocked = restingBuy("0.0002"); // while the private stream is up)
        Probe.await("trading halted", () -> killSwitch.haltReason() != null);
        // the operator's view while blocked: health critical naming the block, the metrics saying which groups
        WebClient web = new WebClient(context);
        WebClient.Reply health = web.get("/system/health");
        assertEquals(health.body(), 503, health.status());
        assertTrue(health.body(), health.body().contains("upbit rate group order: refused until"));
        assertTrue(health.body(), health.body().contains("trading is halted: Upbit blocked this client (HTTP 418)"));
        String metrics = web.get("/metrics").body();
        assertTrue(metrics, metrics.contains("autotrade_exchange_rate_limit_blocked{exchange=\"upbit\",group=\"order\"} 1\n"));
        assertTrue(metrics, metrics.contains("autotrade_exchange_rate_limit_permits{exchange=\"upbit\",group=\"order\"} 12\n"));
        Probe.await("the blocked order is rejected with Upbit's name", () -> order(blocked).state() == OrderState.REJECTED);
        assertTrue(order(blocked).reason(), order(blocked).reason().startsWith("too_many_requests"));
        assertTrue(killSwitch.haltReason(), killSwitch.haltReason().startsWith("Upbit blocked this client (HTTP 418)"));
        String status = Probe.shell(context, "trade:status");
        assertTrue(status, status.contains("HALTED"));
        ClientOrderId refused = restingBuy("0.0002");
        Probe.await("an order while halted is refused", () -> order(refused).state() == OrderState.REJECTED);
        assertTrue(order(refused).reason(), order(refused).reason().startsWith("risk:"));
        Probe.await("the halt lifts when the block ends", () -> killSwitch.haltReason() == null);
        Probe.await("health is OK again, the exchange connected", () -> {
            WebClient.Reply h = web.get("/system/health");
            return h.status() == 200 && h.body().contains("upbit connected: ");
        });
        assertNotNull(Probe.service(context, Exchange.class));
        assertEquals(0, stub().state().get("refusedTokens").size());
    }

    private long fillsOf(ClientOrderId id) throws Exception {
        return events(OrderFilled.class, OrderFilled.KIND.type()).stream().filter(f -> f.orderId().equals(id)).count();
    }

    @Test
    public void step6_withThePrivateStreamUpNoOrderIsPolledAndWithItDownFillsComeByRestEachOnce() throws Exception {
        Probe.await("the private stream is subscribed", () -> stub().state().get("privateConnections").asInt() == 1);
        ClientOrderId id = restingBuy("0.0004");
        Probe.await("accepted", () -> order(id).state() == OrderState.ACCEPTED);
        String uuid = order(id).venueOrderId();
        JsonNode before = stub().state();
        stub().post("fill?uuid=" + uuid + "&price=50000000&volume=0.0001");
        Probe.await("the first trade arrives on the stream", () -> order(id).state() == OrderState.PARTIALLY_FILLED);
        Probe.sleep(1500); // five poll intervals
        JsonNode after = stub().state();
        assertEquals("no GET order while the stream is up", before.get("orderLookups").asInt(), after.get("orderLookups").asInt());
        assertEquals("no GET orders/uuids while the stream is up (100 orders are working)", before.get("uuidLookups").asInt(),
                after.get("uuidLookups").asInt());

        stub().post("refuse-private?on=true");
        stub().post("drop-private");
        Probe.await("the stream is down", () -> stub().state().get("privateConnections").asInt() == 0);
        stub().post("fill?uuid=" + uuid + "&price=50000000&volume=0.0001");
        Probe.await("the second trade arrives by REST polling", () -> fillsOf(id) == 2);
        assertTrue("orders/uuids polled while the stream is down", stub().state().get("uuidLookups").asInt() > after.get("uuidLookups").asInt());
        stub().post("refuse-private?on=false");
        Probe.await("the stream is back", () -> stub().state().get("privateConnections").asInt() == 1);
        stub().post("fill?uuid=" + uuid + "&price=50000000&volume=0.0002");
        Probe.await("filled", () -> order(id).state() == OrderState.FILLED);
        Probe.sleep(1000);
        Probe.settle(context);
        List<String> trades = events(OrderFilled.class, OrderFilled.KIND.type()).stream().filter(f -> f.orderId().equals(id))
                .map(OrderFilled::tradeId).toList();
        assertEquals("three trades, each once: " + trades, 3, trades.stream().distinct().count());
        assertEquals(3, trades.size());
        assertEquals(0, new BigDecimal("0.0004").compareTo(order(id).executedVolume()));
    }

    @Test
    public void step7_theKillSwitchCancelsEveryOpenOrderWithOneBatchCall() throws Exception {
        long open = Probe.service(context, OrderBlotter.class).orders().stream().filter(o -> o.state() == OrderState.ACCEPTED).count();
        assertTrue("the burst's orders rest: " + open, open >= 100);
        int batches = stub().state().get("batchCancels").asInt();
        String out = Probe.shell(context, "trade:halt --cancel-all \"it: kill switch\"");
        Probe.await("every open order canceled", () -> Probe.service(context, OrderBlotter.class).orders().stream()
                .noneMatch(o -> o.state() == OrderState.ACCEPTED));
        assertEquals(out, batches + 1, stub().state().get("batchCancels").asInt());
        Probe.shell(context, "trade:resume \"it: done\"");
        Probe.await("resumed", () -> Probe.service(context, KillSwitch.class).haltReason() == null);
        Probe.settle(context);
    }

    @Test
    public void step8_aBuyIntoAFlaggedMarketIsRefusedNamingTheFlag() throws Exception {
        stub().post("flag?market=KRW-BTC&flags=warning,PRICE_FLUCTUATIONS");
        Probe.settle(context);
        Bundle adapter = Probe.bundle(context, "io.autotrade.exchange.upbit");
        adapter.stop(); // the flags are read at start (and every minute)
        adapter.start();
        Probe.service(context, Exchange.class);
        int arrivals = stub().state().get("orderArrivals").size();
        ClientOrderId id = restingBuy("0.0002");
        Probe.await("refused", () -> order(id).state() == OrderState.REJECTED);
        String reason = order(id).reason();
        assertTrue(reason, reason.startsWith("market_flagged") && reason.contains("warning") && reason.contains("PRICE_FLUCTUATIONS"));
        assertEquals("never sent", arrivals, stub().state().get("orderArrivals").size());
        stub().post("flag?market=KRW-BTC");
        Probe.settle(context);
        adapter.stop(); // reads the cleared flags at start
        adapter.start();
        Probe.service(context, Exchange.class);
        assertEquals(0, stub().state().get("refusedTokens").size());
        stub().state().get("refusedHandshakes").forEach(why -> assertEquals("only the refusals step 6 asked for",
                "the stub refuses private connections now", why.asText()));
    }

    @Test
    public void step9_selfMatchPreventionAndPostOnlyReachUpbitAsAskedAndEndAsUpbitEndsThem() throws Exception {
        stub().post("prevent-next-submit");
        ClientOrderId prevented = restingBuy("0.0002");
        Probe.await("the prevented order ends", () -> order(prevented).state() == OrderState.CANCELED);
        assertTrue(order(prevented).reason(), order(prevented).reason().startsWith("self_match_prevented")
                && order(prevented).reason().contains("0.0002 BTC"));

        int before = Probe.service(context, OrderBlotter.class).orders().size();
        Probe.service(context, EventBus.class).publish(DomainEvent.of(new SignalGenerated("it", OrderSpec.limitBuy(BTC,
                new BigDecimal("0.001"), new BigDecimal("10000000")).with(io.autotrade.api.trading.TimeInForce.POST_ONLY, null),
                "post-only"), Instant.now()));
        Probe.await("requested", () -> Probe.service(context, OrderBlotter.class).orders().size() > before);
        List<OrderView> all = Probe.service(context, OrderBlotter.class).orders();
        ClientOrderId postOnly = all.get(all.size() - 1).orderId();
        // below the last close (about 13.8 million KRW): it would not trade, so it rests
        Probe.await("the post-only order rests", () -> order(postOnly).state() == OrderState.ACCEPTED);
        JsonNode atUpbit = ordersWithIdentifier(stub().state(), postOnly.value()).get(0);
        assertEquals("post_only", atUpbit.get("time_in_force").asText());
        assertEquals("no smp_type with post_only (Upbit refuses the two together)", false, atUpbit.get("smp_type_sent").asBoolean());
    }
}
