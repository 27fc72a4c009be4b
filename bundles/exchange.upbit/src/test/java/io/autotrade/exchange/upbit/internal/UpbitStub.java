package io.autotrade.exchange.upbit.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.math.BigDecimal;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Base64;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.stream.Collectors;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * A loopback Upbit for tests (JDK {@code HttpServer}): checks every private request's JWT signature
 * (HMAC with the secret key, computed here with the JDK), its access key, that its nonce is new, and
 * its {@code query_hash} against the request's own parameters; enforces the group limits with 429 and
 * {@code Remaining-Req}; can answer 418; can hold a reply longer than the client waits (an ambiguous
 * submit: the order is taken, the answer comes too late); fills orders on request; serves the real
 * reply samples for {@code orders/chance} and candles.
 */
final class UpbitStub implements AutoCloseable {
    private final HttpServer server;
    private final Credentials keys;
    private final Set<String> nonces = new HashSet<>();
    private final Map<RateGroup, ArrayDeque<Long>> windows = new EnumMap<>(RateGroup.class);
    /** When each order request was taken, ms: the test checks the 8/s limit on these. */
    final List<Long> orderArrivals = new ArrayList<>();
    /** Orders by uuid, in the order they were taken. */
    final Map<String, ObjectNode> orders = new LinkedHashMap<>();
    /** Authentication failures, to assert there were none. */
    final List<String> refusedTokens = new ArrayList<>();
    volatile long delayNextSubmitMillis;
    volatile String refuseNextSubmitWith;
    volatile boolean blocked;

    UpbitStub(Credentials keys) throws IOException {
        this.keys = keys;
        for (RateGroup g : RateGroup.values()) {
            windows.put(g, new ArrayDeque<>());
        }
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/v1/", this::handle);
        server.setExecutor(Executors.newFixedThreadPool(8));
        server.start();
    }

    String baseUrl() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/v1";
    }

    @Override
    public void close() {
        server.stop(0);
    }

    /** Fills {@code volume} of the order at {@code price}, as a trade with a new uuid. */
    synchronized void fill(String uuid, String price, String volume) {
        ObjectNode o = orders.get(uuid);
        BigDecimal p = new BigDecimal(price);
        BigDecimal v = new BigDecimal(volume);
        ObjectNode t = ((ArrayNode) o.get("trades")).addObject();
        t.put("market", o.get("market").asText()).put("uuid", UUID.randomUUID().toString()).put("price", price)
                .put("volume", volume).put("funds", p.multiply(v).toPlainString()).put("side", o.get("side").asText())
                .put("created_at", OffsetDateTime.now(ZoneOffset.ofHours(9)).toString());
        BigDecimal executed = new BigDecimal(o.get("executed_volume").asText()).add(v);
        BigDecimal remaining = new BigDecimal(o.get("volume").asText()).subtract(executed);
        o.put("executed_volume", executed.toPlainString()).put("remaining_volume", remaining.toPlainString())
                .put("trades_count", o.get("trades").size()).put("state", remaining.signum() == 0 ? "done" : "wait");
    }

    private void handle(HttpExchange x) throws IOException {
        try {
            String path = x.getRequestURI().getPath().substring("/v1".length());
            String method = x.getRequestMethod();
            String body = new String(x.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            Map<String, String> params = method.equals("POST") ? bodyParams(body) : queryParams(x.getRequestURI().getRawQuery());
            RateGroup group = RateGroup.forRequest(method, path);
            if (blocked) {
                x.getResponseHeaders().add("Retry-After", "1");
                reply(x, 418, "{\"error\":{\"name\":\"blocked\",\"message\":\"blocked for 1 seconds\"}}");
                return;
            }
            int left = take(group);
            x.getResponseHeaders().add("Remaining-Req", "group=" + group.upbitName() + "; min=1000; sec=" + Math.max(0, left));
            if (left < 0) {
                reply(x, 429, "{\"error\":{\"name\":\"too_many_requests\",\"message\":\"Too many API requests.\"}}");
                return;
            }
            boolean quotation = path.startsWith("/candles") || path.startsWith("/ticker") || path.startsWith("/orderbook")
                    || path.startsWith("/market") || path.startsWith("/trades");
            if (!quotation) {
                String why = verify(x.getRequestHeaders().getFirst("Authorization"), params);
                if (why != null) {
                    synchronized (this) {
                        refusedTokens.add(why);
                    }
                    reply(x, 401, "{\"error\":{\"name\":\"jwt_verification\",\"message\":\"" + why + "\"}}");
                    return;
                }
            }
            route(x, method, path, params);
        } catch (RuntimeException e) {
            reply(x, 500, "{\"error\":{\"name\":\"stub_failure\",\"message\":\"" + e + "\"}}");
        }
    }

    private void route(HttpExchange x, String method, String path, Map<String, String> params) throws IOException {
        switch (method + " " + path) {
            case "POST /orders" -> submit(x, params);
            case "GET /order" -> {
                ObjectNode o = find(params);
                if (o == null) {
                    reply(x, 404, "{\"error\":{\"name\":\"order_not_found\",\"message\":\"주문을 찾지 못했습니다.\"}}");
                } else {
                    reply(x, 200, o.toString());
                }
            }
            case "DELETE /order" -> {
                ObjectNode o = find(params);
                synchronized (this) {
                    if (o != null && o.get("state").asText().equals("wait")) {
                        o.put("state", "cancel");
                    }
                }
                reply(x, o == null ? 404 : 200, o == null ? "{\"error\":{\"name\":\"order_not_found\",\"message\":\"\"}}" : o.toString());
            }
            case "GET /accounts" -> reply(x, 200, "[{\"currency\":\"KRW\",\"balance\":\"10000000\",\"locked\":\"0\","
                    + "\"avg_buy_price\":\"0\",\"avg_buy_price_modified\":true,\"unit_currency\":\"KRW\"}]");
            case "GET /orders/chance" -> reply(x, 200, sample("ccxt_orders_chance_KRW-BTC.json"));
            case "GET /candles/minutes/1" -> reply(x, 200, sample("smtm_candles_minutes1_KRW-BTC_20200220_2020-2100.json"));
            default -> reply(x, 404, "{\"error\":{\"name\":\"not_found\",\"message\":\"" + method + " " + path + "\"}}");
        }
    }

    private void submit(HttpExchange x, Map<String, String> p) throws IOException {
        ObjectNode o;
        synchronized (this) {
            orderArrivals.add(System.currentTimeMillis());
            String refusal = refuseNextSubmitWith;
            if (refusal != null) {
                refuseNextSubmitWith = null;
                reply(x, 400, "{\"error\":{\"name\":\"" + refusal + "\",\"message\":\"refused by the stub\"}}");
                return;
            }
            if (p.containsKey("identifier") && orders.values().stream().anyMatch(e -> p.get("identifier").equals(e.path("identifier").asText()))) {
                reply(x, 400, "{\"error\":{\"name\":\"duplicate_identifier\",\"message\":\"identifier used\"}}");
                return;
            }
            o = UpbitJson.MAPPER.createObjectNode();
            o.put("uuid", UUID.randomUUID().toString()).put("side", p.get("side")).put("ord_type", p.get("ord_type"))
                    .put("price", p.get("price")).put("state", "wait").put("market", p.get("market"))
                    .put("created_at", OffsetDateTime.now(ZoneOffset.ofHours(9)).toString())
                    .put("volume", p.getOrDefault("volume", "0")).put("remaining_volume", p.getOrDefault("volume", "0"))
                    .put("paid_fee", "0").put("executed_volume", "0").put("trades_count", 0)
                    .put("identifier", p.get("identifier"));
            o.putArray("trades");
            orders.put(o.get("uuid").asText(), o);
        }
        long delay = delayNextSubmitMillis;
        delayNextSubmitMillis = 0;
        if (delay > 0) {
            try {
                Thread.sleep(delay);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        ObjectNode answer = o.deepCopy();
        answer.remove("trades");
        reply(x, 201, answer.toString());
    }

    private synchronized ObjectNode find(Map<String, String> p) {
        if (p.containsKey("uuid")) {
            return orders.get(p.get("uuid"));
        }
        return orders.values().stream().filter(o -> o.path("identifier").asText().equals(p.get("identifier"))).findFirst().orElse(null);
    }

    /** Counts a request in its group's one-second window; @return requests left in it, negative when over */
    private synchronized int take(RateGroup group) {
        long now = System.currentTimeMillis();
        ArrayDeque<Long> w = windows.get(group);
        long span = group.window.toMillis();
        for (Iterator<Long> i = w.iterator(); i.hasNext();) {
            if (i.next() <= now - span) {
                i.remove();
            }
        }
        if (w.size() >= group.permits) {
            return -1;
        }
        w.addLast(now);
        return group.permits - w.size();
    }

    /** @return why the token is refused, or null when it is good */
    private synchronized String verify(String authorization, Map<String, String> params) {
        if (authorization == null || !authorization.startsWith("Bearer ")) {
            return "no bearer token";
        }
        String[] parts = authorization.substring(7).split("\\.");
        if (parts.length != 3) {
            return "not a JWT";
        }
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(keys.secretKey().getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            String expected = Base64.getUrlEncoder().withoutPadding().encodeToString(
                    mac.doFinal((parts[0] + "." + parts[1]).getBytes(StandardCharsets.US_ASCII)));
            if (!expected.equals(parts[2])) {
                return "bad signature";
            }
        } catch (java.security.GeneralSecurityException e) {
            return e.toString();
        }
        JsonNode claims = UpbitJson.parse(new String(Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8), "claims");
        if (!keys.accessKey().equals(claims.path("access_key").asText())) {
            return "unknown access key";
        }
        if (!nonces.add(claims.path("nonce").asText())) {
            return "nonce used before";
        }
        String query = params.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).collect(Collectors.joining("&"));
        if (params.isEmpty() != !claims.has("query_hash")) {
            return "query_hash missing or superfluous";
        }
        if (!params.isEmpty() && !(UpbitAuth.sha512Hex(query).equals(claims.path("query_hash").asText())
                && "SHA512".equals(claims.path("query_hash_alg").asText()))) {
            return "query_hash does not match " + query;
        }
        return null;
    }

    private static Map<String, String> queryParams(String raw) {
        Map<String, String> out = new LinkedHashMap<>();
        if (raw != null && !raw.isEmpty()) {
            for (String kv : raw.split("&")) {
                int eq = kv.indexOf('=');
                out.put(URLDecoder.decode(kv.substring(0, eq), StandardCharsets.UTF_8), URLDecoder.decode(kv.substring(eq + 1), StandardCharsets.UTF_8));
            }
        }
        return out;
    }

    private static Map<String, String> bodyParams(String body) {
        Map<String, String> out = new LinkedHashMap<>();
        UpbitJson.parse(body, "body").fields().forEachRemaining(e -> out.put(e.getKey(), e.getValue().asText()));
        return out;
    }

    private static String sample(String name) {
        try (InputStream in = UpbitStub.class.getResourceAsStream("/upbit-api/" + name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void reply(HttpExchange x, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        x.getResponseHeaders().add("Content-Type", "application/json; charset=utf-8");
        x.sendResponseHeaders(status, bytes.length);
        x.getResponseBody().write(bytes);
        x.close();
    }
}
