package io.autotrade.it.osgi;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.autotrade.api.event.DomainEvent;
import io.autotrade.api.event.EventBus;
import io.autotrade.api.event.EventQuery;
import io.autotrade.api.event.EventStore;
import io.autotrade.api.portfolio.OrderView;
import io.autotrade.api.trading.Market;
import io.autotrade.api.trading.OrderSpec;
import io.autotrade.api.trading.SignalGenerated;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import javax.inject.Inject;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.framework.BundleContext;

/**
 * The paper feature's dashboard side, over real HTTP on loopback: Felix HTTP Jetty with the whiteboard servlets of
 * {@code web.api} and {@code web.health}. The bundled real candles replay through the pipeline while an SSE client
 * follows the journal (and drops and resumes its connection); then every endpoint's JSON is checked against what the
 * shell prints for the same state, the 401s, a config change held through {@code PUT} while an order rests, and a halt
 * through {@code POST} after which an order is refused.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class WebApiIT {
    private static final Path SAMPLES = Paths.get(System.getProperty("autotrade.samples", "../data")).toAbsolutePath();
    private static final String RISK = "io.autotrade.manager.risk";

    @Inject
    private BundleContext context;

    @Configuration
    public Option[] config() {
        return FeatureOptions.of("paper");
    }

    @Test
    public void theApiAnswersAsTheShellDoesStreamsEveryEventAndGuardsEveryRequest() throws Exception {
        Probe.paperExchange(context);
        Probe.service(context, io.autotrade.api.portfolio.OrderBlotter.class);
        WebClient web = new WebClient(context);
        awaitHttp(web);

        // the token guards every request; a 401 says nothing more
        for (String path : List.of("/api/v1/status", "/api/v1/orders", "/metrics", "/system/health", "/api/v1/stream")) {
            WebClient.Reply none = web.get(path, null);
            assertEquals(path + " without a token", 401, none.status());
            assertEquals("unauthorized", none.json().get("error").asText());
            assertEquals("missing or wrong bearer token", none.json().get("message").asText());
            assertEquals(path + " with a wrong token", 401, web.get(path, web.token.substring(1) + "x").status());
        }
        assertEquals("the dashboard's page needs no token", 200, web.get("/dashboard/index.html", null).status());

        Probe.configure(context, Probe.RSI_ON_BTC);
        Probe.await("the instance runs with its settings", () -> web.get("/api/v1/strategies").json().toString().contains("\"overbought\":\"60\""));
        Probe.settle(context);

        // follow the stream from now: a first connection drops after 25 events, a second resumes after the last it got
        EventStore store = Probe.service(context, EventStore.class);
        String start = store.query(EventQuery.all().limit(1)).get(0).eventId().toString();
        ExecutorService readers = Executors.newSingleThreadExecutor();
        Future<List<JsonNode>> first = readers.submit(() -> web.stream(start, got -> got.size() >= 25));
        String replayed = Probe.shell(context, "trade:replay '" + SAMPLES.resolve("upbit/KRW-BTC_day_2024-01-02_2024-07.csv") + "'");
        assertTrue(replayed, replayed.startsWith("replayed"));
        Probe.settle(context);
        List<JsonNode> streamed = new ArrayList<>(first.get(60, TimeUnit.SECONDS));
        List<DomainEvent<?>> journal = store.query(EventQuery.all().after(java.util.UUID.fromString(start)));
        assertTrue("the replay stored events", journal.size() > 100);
        String resumeAfter = streamed.get(streamed.size() - 1).get("event_id").asText();
        int total = journal.size();
        Future<List<JsonNode>> second = readers.submit(() -> web.stream(resumeAfter, got -> streamed.size() + got.size() >= total));
        streamed.addAll(second.get(60, TimeUnit.SECONDS));
        readers.shutdownNow();
        assertEquals("the stream delivers every stored event in order, once, across a dropped connection",
                journal.stream().map(e -> e.eventId().toString()).toList(),
                streamed.stream().map(e -> e.get("event_id").asText()).toList());
        assertEquals(journal.get(0).type(), streamed.get(0).get("type").asText());

        // every endpoint against the shell, same state
        JsonNode status = web.get("/api/v1/status").json();
        String shellStatus = Probe.shell(context, "trade:status");
        assertTrue(shellStatus, shellStatus.contains("trading state") && shellStatus.contains(status.get("state").asText()));
        assertTrue(shellStatus, shellStatus.contains("(" + status.get("event_store").get("events").asLong() + " events)"));
        assertEquals("rsi-KRW-BTC", status.get("strategies").get(0).get("id").asText());
        assertTrue(shellStatus.contains("rsi-KRW-BTC"));

        JsonNode orders = web.get("/api/v1/orders").json();
        String shellOrders = Probe.shell(context, "trade:orders");
        assertTrue("the replay made orders", orders.size() >= 2);
        assertEquals("one shell row per order", orders.size(), shellOrders.lines().count() - 1);
        for (JsonNode o : orders) {
            String id = o.get("order_id").asText();
            String row = shellOrders.lines().filter(l -> l.contains(id)).findFirst().orElseThrow(() -> new AssertionError(id + " not in " + shellOrders));
            assertTrue(row, row.contains(o.get("state").asText()) && row.contains(o.get("side").asText())
                    && row.contains(o.get("executed_volume").asText()));
            assertTrue(row, row.contains(new BigDecimal(o.get("paid_fee").asText()).setScale(2, RoundingMode.HALF_EVEN).toPlainString()));
        }
        assertEquals(0, web.get("/api/v1/orders?open=true").json().size());
        assertEquals("open orders", "no orders", Probe.shell(context, "trade:orders --open").trim());

        JsonNode positions = web.get("/api/v1/positions").json();
        String shellPositions = Probe.shell(context, "trade:positions");
        assertEquals(positions.size(), shellPositions.lines().count() - 1);
        for (JsonNode p : positions) {
            String row = shellPositions.lines().filter(l -> l.startsWith(p.get("market").asText())).findFirst().orElseThrow();
            assertTrue(row, row.contains(p.get("volume").asText()) && row.contains(two(p.get("realized")))
                    && row.contains(two(p.get("fees"))));
        }
        JsonNode pnl = web.get("/api/v1/pnl").json();
        String shellPnl = Probe.shell(context, "trade:pnl");
        String totalRow = shellPnl.lines().filter(l -> l.startsWith("total")).findFirst().orElseThrow();
        assertTrue(totalRow, totalRow.contains(two(pnl.get("total").get("net"))) && totalRow.contains(two(pnl.get("total").get("realized"))));
        assertNotNull("equity in KRW", pnl.get("equity").get("KRW"));

        JsonNode risk = web.get("/api/v1/risk").json();
        String shellRisk = Probe.shell(context, "trade:risk");
        assertTrue(risk.get("limits").size() > 3);
        for (JsonNode l : risk.get("limits")) {
            assertTrue(l.get("rule").asText(), shellRisk.lines().anyMatch(line -> line.startsWith(l.get("rule").asText() + " ")));
        }
        JsonNode bus = web.get("/api/v1/bus").json();
        String shellBus = Probe.shell(context, "trade:bus");
        assertEquals(5, bus.get("lanes").size());
        for (JsonNode lane : bus.get("lanes")) {
            String row = shellBus.lines().filter(l -> l.startsWith(lane.get("lane").asText())).findFirst().orElseThrow();
            assertTrue(row, row.contains(" " + lane.get("capacity").asText() + " "));
        }
        assertEquals(0, web.get("/api/v1/dlq").json().size());
        assertEquals("no dead letters", Probe.shell(context, "trade:dlq list").trim());
        JsonNode fills = web.get("/api/v1/events?type=order.filled&limit=5000").json();
        String shellFills = Probe.shell(context, "trade:events --type order.filled --limit 0");
        assertEquals(fills.size(), shellFills.lines().count() - 1);
        for (JsonNode f : fills) {
            assertTrue(shellFills.contains(f.get("event_id").asText()));
            assertEquals("order.filled", f.get("type").asText());
        }
        JsonNode strategies = web.get("/api/v1/strategies").json();
        assertTrue(Probe.shell(context, "trade:strategies").contains(strategies.get(0).get("id").asText()));
        assertEquals(0, web.get("/api/v1/pending").json().size());
        JsonNode openapi = web.get("/api/v1/openapi.json").json();
        for (String path : List.of("/status", "/orders", "/positions", "/pnl", "/risk", "/bus", "/dlq", "/events", "/strategies",
                "/pending", "/halt", "/resume", "/orders/{id}/cancel", "/config/{pid}", "/stream")) {
            assertTrue("openapi.json describes " + path, openapi.get("paths").has(path));
        }

        // bad input: 400 naming the parameter; unknown order 404; resume while not halted 409; an unknown stream cursor 404
        WebClient.Reply unknownCursor = web.get("/api/v1/stream?last_event_id=" + java.util.UUID.randomUUID());
        assertEquals(unknownCursor.body(), 404, unknownCursor.status());
        assertTrue(unknownCursor.body(), unknownCursor.json().get("message").asText().contains("is not in the journal"));
        WebClient.Reply badLimit = web.get("/api/v1/events?limit=lots");
        assertEquals(400, badLimit.status());
        assertTrue(badLimit.body(), badLimit.json().get("message").asText().contains("'limit'"));
        assertEquals(400, web.get("/api/v1/events?since=yesterday").status());
        assertEquals(404, web.post("/api/v1/orders/no-such-order/cancel", "").status());
        assertEquals(409, web.post("/api/v1/resume", "{}").status());
        WebClient.Reply badBody = web.put("/api/v1/config/" + RISK, "[1,2]");
        assertEquals(400, badBody.status());
        assertEquals("bad_request", badBody.json().get("error").asText());

        // a config change through PUT is held while an order rests, and applied when it ends (cancelled through POST)
        BigDecimal before = Probe.riskLimit(context, "max.open.orders");
        OrderView resting = Probe.restingBuy(context);
        WebClient.Reply held = web.put("/api/v1/config/" + RISK, "{\"max.open.orders\": 7}");
        assertEquals(held.body(), 202, held.status());
        assertFalse(held.json().get("applied").asBoolean());
        assertTrue(held.body(), held.json().get("orders_in_flight").toString().contains(resting.orderId().value()));
        JsonNode pending = web.get("/api/v1/pending").json();
        assertEquals(1, pending.size());
        assertTrue(Probe.shell(context, "trade:pending").contains(pending.get(0).get("change_id").asText()));
        assertEquals(0, Probe.riskLimit(context, "max.open.orders").compareTo(before));
        WebClient.Reply refused = web.put("/api/v1/config/" + RISK + "?no_wait=true", "{\"max.order.notional\": 400000}");
        assertEquals(refused.body(), 409, refused.status());
        assertEquals(1, web.get("/api/v1/orders?open=true").json().size());
        assertEquals(202, web.post("/api/v1/orders/" + resting.orderId().value() + "/cancel", "").status());
        Probe.settle(context);
        Probe.await("the held change is applied once the order is cancelled",
                () -> Probe.riskLimit(context, "max.open.orders").compareTo(new BigDecimal("7")) == 0);
        assertEquals(0, web.get("/api/v1/pending").json().size());
        assertEquals("CANCELED", web.get("/api/v1/orders/" + resting.orderId().value()).json().get("state").asText());
        WebClient.Reply applied = web.put("/api/v1/config/" + RISK, "{\"max.open.orders\": 5}");
        assertEquals(applied.body(), 200, applied.status());

        // halt through POST: the next order is refused; resume lifts it
        JsonNode halted = web.post("/api/v1/halt", "{\"reason\": \"api test\"}").json();
        assertEquals("halted from the API: api test", halted.get("halt_reason").asText());
        assertTrue(Probe.shell(context, "trade:status").contains("halted from the API: api test"));
        Probe.service(context, EventBus.class).publish(DomainEvent.of(new SignalGenerated("it", OrderSpec.limitBuy(
                Market.of("KRW-BTC"), new BigDecimal("0.001"), new BigDecimal("50000000")), "test"), Instant.now()));
        Probe.settle(context);
        JsonNode all = web.get("/api/v1/orders").json();
        JsonNode last = all.get(all.size() - 1);
        assertEquals(last.toString(), "REJECTED", last.get("state").asText());
        assertTrue(last.toString(), last.get("reason").asText().contains("halted"));
        JsonNode health = web.get("/system/health").json();
        assertEquals("WARN", health.get("status").asText());
        assertTrue(health.toString(), health.toString().contains("trading is halted: halted from the API: api test"));
        assertEquals(200, web.post("/api/v1/resume", "{\"reason\": \"done\"}").status());
        Probe.await("health is OK again once resumed", () -> web.get("/system/health").json().get("status").asText().equals("OK"));

        // metrics: the scrape agrees with the blotter and the lanes
        String metrics = web.get("/metrics").body();
        long rejected = web.get("/api/v1/orders").json().findValues("state").stream().filter(s -> s.asText().equals("REJECTED")).count();
        assertTrue(metrics, metrics.contains("autotrade_orders{state=\"REJECTED\"} " + rejected + "\n"));
        assertTrue(metrics, metrics.contains("# TYPE autotrade_journal_commit_seconds summary"));
        assertTrue(metrics, metrics.lines().anyMatch(l -> l.startsWith("autotrade_journal_commit_seconds_count ") && !l.endsWith(" 0")));
        assertTrue(metrics, metrics.contains("autotrade_trading_halted 0\n"));
        assertTrue(metrics, metrics.contains("autotrade_equity{currency=\"KRW\"} "));
        Set<String> families = new HashSet<>();
        metrics.lines().filter(l -> l.startsWith("# TYPE ")).forEach(l -> assertTrue("declared once: " + l, families.add(l)));

        // an instance on a market whose quote currency the paper account does not hold: the shell and the API both say why
        String warned = Probe.shell(context, "trade:config io.autotrade.strategy.macross~usdt market USDT-BTC");
        assertTrue(warned, warned.contains("cannot trade: no exchange holds USDT"));
        Probe.await("the USDT instance runs", () -> web.get("/api/v1/strategies").json().toString().contains("USDT-BTC"));
        JsonNode usdt = null;
        for (JsonNode s : web.get("/api/v1/status").json().get("strategies")) {
            usdt = s.get("market").asText().equals("USDT-BTC") ? s : usdt;
        }
        assertNotNull(usdt);
        assertTrue(usdt.toString(), usdt.get("cannot_trade").asText().startsWith("no exchange holds USDT"));
        String shellRow = Probe.shell(context, "trade:status").lines().filter(l -> l.contains("macross-USDT-BTC")).findFirst().orElseThrow();
        assertTrue(shellRow, shellRow.contains("CANNOT TRADE: no exchange holds USDT"));
    }

    private static String two(JsonNode decimal) {
        return new BigDecimal(decimal.asText()).setScale(2, RoundingMode.HALF_EVEN).toPlainString();
    }

    private static void awaitHttp(WebClient web) throws Exception {
        Probe.await("the API answers", () -> {
            try {
                return web.get("/api/v1/status").status() == 200;
            } catch (java.io.IOException e) {
                return false;
            }
        });
    }
}
