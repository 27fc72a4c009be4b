package io.autotrade.testing.upbit;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Base64;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.stream.Collectors;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * A loopback Upbit for tests: the REST API on a JDK {@code HttpServer} ({@link #restUrl()}) and the
 * quotation WebSocket on Java-WebSocket ({@link #wsUrl()}).
 *
 * <p>What it checks, as Upbit does (Upbit API docs "Authentication", "Rate limits"): every private
 * request's JWT (HMAC signature with the secret key, HS256/HS384/HS512 by its header; the access key;
 * a nonce never seen before; {@code query_hash} = hex SHA-512 of the request's parameters joined
 * unencoded, {@code query_hash_alg=SHA512}); each request group's limit ({@link StubGroup}), answering
 * {@code Remaining-Req} on every reply and 429 above it. It answers 418 to everything while
 * {@link #block blocked}.
 *
 * <p>What it does: answers {@code POST orders/test} like an order without keeping it; takes orders ({@code POST orders}: {@code limit} rests until {@link #fill}/
 * {@link #fillAll}; {@code price} market buys and {@code market} market sells fill at once at the last
 * candle's close), answers {@code GET order} by {@code uuid} or {@code identifier}, {@code GET
 * orders/open}, {@code DELETE order}, {@code accounts} (balances follow the fills, with the fee of the
 * real {@code orders/chance} sample it serves), quotation endpoints from the candles it was given
 * ({@code candles/minutes/{unit}} with {@code to}/{@code count}, {@code ticker}, {@code orderbook},
 * {@code orderbook/instruments}, {@code market/all}). It can hold a submit's reply longer than the
 * client waits (an ambiguous submit: the order is taken, the answer is late), refuse the next submit
 * with an Upbit error name, drop or silence its WebSocket connections. Best orders and limit orders with
 * {@code time_in_force} (ioc, fok, post_only) meet the best level of its book on arrival. The private WebSocket
 * ({@code /websocket/v1/private}, JWT-checked) pushes a {@code myOrder} message for every order created, traded
 * and ended, and a {@code myAsset} message for every balance a trade changes; it can be dropped and refused.
 *
 * <p>A control API under {@code /_stub/} lets a test in another class loader (a Pax Exam probe inside
 * the framework) do the same over HTTP: {@code GET state} and {@code POST candle}, {@code fill-all},
 * {@code fill}, {@code delay-next-submit}, {@code refuse-next-submit}, {@code block}, {@code drop-streams},
 * {@code silence}, {@code drop-private}, {@code refuse-private}, {@code flag}, {@code prevent-next-submit}.
 */
public final class UpbitStub implements AutoCloseable {
    /** Upbit's KST, for {@code candle_date_time_kst}. */
    private static final ZoneOffset KST = ZoneOffset.ofHours(9);
    private static final DateTimeFormatter LOCAL = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss");
    private static final BigDecimal FEE = new BigDecimal("0.0005");

    /**
     * One candle as the stub keeps it.
     *
     * @param time   its opening time (UTC)
     * @param open   opening price, KRW
     * @param high   highest price
     * @param low    lowest price
     * @param close  closing (last) price
     * @param volume traded base volume
     */
    public record StubCandle(Instant time, BigDecimal open, BigDecimal high, BigDecimal low, BigDecimal close,
            BigDecimal volume) {
    }

    private final ObjectMapper json = new ObjectMapper().enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .setNodeFactory(JsonNodeFactory.withExactBigDecimals(true));
    private final String accessKey;
    private final String secretKey;
    private final int unit;
    private final HttpServer server;
    private final ExecutorService pool = Executors.newFixedThreadPool(16);
    private final QuoteStream stream;
    private final Set<String> nonces = new HashSet<>();
    private final Map<StubGroup, ArrayDeque<Long>> windows = new EnumMap<>(StubGroup.class);
    private final Map<String, NavigableMap<Instant, StubCandle>> candles = new HashMap<>();
    private final List<Long> orderArrivals = new ArrayList<>();
    private final Map<String, ObjectNode> orders = new LinkedHashMap<>();
    private final Map<String, BigDecimal> balances = new TreeMap<>();
    private final List<String> refusedTokens = new ArrayList<>();
    private final Map<String, BigDecimal> tickSizes = new HashMap<>();
    private final Map<String, Integer> spreadTicks = new HashMap<>();
    private int tooManyRequests;
    private volatile long delayNextSubmitMillis;
    private volatile String refuseNextSubmitWith;
    private volatile boolean preventNextSubmit;
    private volatile String makerFee = "0.0005";
    private int batchCancels;
    private int orderLookups;
    private int uuidLookups;
    private int accountReads;
    private static final int LEVELS = 30;
    private final Map<String, BigDecimal> levelSizes = new HashMap<>();
    /** Upbit's 주의 종목 reasons in {@code market_event.caution}. */
    private static final List<String> CAUTIONS = List.of("PRICE_FLUCTUATIONS", "TRADING_VOLUME_SOARING",
            "DEPOSIT_AMOUNT_SOARING", "GLOBAL_PRICE_DIFFERENCES", "CONCENTRATION_OF_SMALL_ACCOUNTS");
    private final Map<String, List<String>> flags = new HashMap<>();
    private volatile long blockedUntil;

    /**
     * Starts both servers on loopback ports chosen by the system.
     *
     * @param accessKey the access key requests must carry
     * @param secretKey the secret their JWT must be signed with
     * @param unit      the candle length served, minutes
     * @param krw       the account's KRW balance at start
     * @throws UncheckedIOException if a server cannot start
     */
    public UpbitStub(String accessKey, String secretKey, int unit, BigDecimal krw) {
        this.accessKey = accessKey;
        this.secretKey = secretKey;
        this.unit = unit;
        balances.put("KRW", krw);
        for (StubGroup g : StubGroup.values()) {
            windows.put(g, new ArrayDeque<>());
        }
        try {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.createContext("/v1/", this::handle);
        server.createContext("/_stub/", this::control);
        server.setExecutor(pool);
        server.start();
        stream = new QuoteStream(json, this::snapshot, authorization -> verify(authorization, Map.of()));
        stream.startAndWait();
    }

    /** @return the REST base URL, {@code http://127.0.0.1:PORT/v1} */
    public String restUrl() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/v1";
    }

    /** @return the quotation WebSocket URL, {@code ws://127.0.0.1:PORT/websocket/v1} */
    public String wsUrl() {
        return "ws://127.0.0.1:" + stream.port() + "/websocket/v1";
    }

    /** @return the control API's base URL, {@code http://127.0.0.1:PORT/_stub} */
    public String controlUrl() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/_stub";
    }

    @Override
    public void close() {
        server.stop(0);
        pool.shutdownNow();
        try {
            stream.stop(1000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    // ---- test control -------------------------------------------------------------------------

    /**
     * Reads candles in the repository's CSV form ({@code market,candle_date_time_utc,...,trade_price,...,
     * candle_acc_trade_volume,unit}, the columns of Upbit's candle reply).
     *
     * @param csv the file
     * @return the candles, oldest first
     * @throws UncheckedIOException if the file cannot be read
     */
    public static List<StubCandle> read(Path csv) {
        List<String> lines;
        try {
            lines = Files.readAllLines(csv);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        List<String> header = List.of(lines.get(0).split(","));
        List<StubCandle> read = new ArrayList<>();
        for (String line : lines.subList(1, lines.size())) {
            String[] f = line.split(",");
            read.add(new StubCandle(LocalDateTime.parse(f[header.indexOf("candle_date_time_utc")]).toInstant(ZoneOffset.UTC),
                    new BigDecimal(f[header.indexOf("opening_price")]), new BigDecimal(f[header.indexOf("high_price")]),
                    new BigDecimal(f[header.indexOf("low_price")]), new BigDecimal(f[header.indexOf("trade_price")]),
                    new BigDecimal(f[header.indexOf("candle_acc_trade_volume")])));
        }
        return read;
    }

    /**
     * @param candles  candles, oldest first
     * @param lastOpen where the last one is put
     * @return the candles moved in time so the last one opens at {@code lastOpen}, spacing kept
     */
    public static List<StubCandle> retimed(List<StubCandle> candles, Instant lastOpen) {
        Duration shift = Duration.between(candles.get(candles.size() - 1).time(), lastOpen);
        return candles.stream().map(c -> new StubCandle(c.time().plus(shift), c.open(), c.high(), c.low(), c.close(), c.volume()))
                .toList();
    }

    /** Adds (or replaces) candles of a market without streaming them: history. */
    public synchronized void candles(String market, List<StubCandle> list) {
        NavigableMap<Instant, StubCandle> m = candles.computeIfAbsent(market, k -> new TreeMap<>());
        list.forEach(c -> m.put(c.time(), c));
    }

    /**
     * Adds (or replaces) a candle and streams it to the WebSocket subscribers: {@code candle.<unit>m}, then a
     * {@code trade} and a {@code ticker} at its close.
     */
    public void pushCandle(String market, StubCandle c) {
        ObjectNode message;
        synchronized (this) {
            candles(market, List.of(c));
            message = candleJson(market, c).put("type", "candle." + unit + "m").put("code", market);
            message.remove("market");
            message.remove("unit");
        }
        stream.publish(message);
        ObjectNode trade = json.createObjectNode().put("type", "trade").put("code", market).put("trade_price", c.close())
                .put("trade_volume", c.volume()).put("ask_bid", "BID").put("trade_timestamp", System.currentTimeMillis())
                .put("timestamp", System.currentTimeMillis()).put("sequential_id", System.nanoTime());
        stream.publish(trade);
        stream.publish(json.createObjectNode().put("type", "ticker").put("code", market).put("trade_price", c.close())
                .put("trade_timestamp", System.currentTimeMillis()).put("timestamp", System.currentTimeMillis()));
    }

    /** Makes the orderbook of the market {@code ticks} ticks wide around the last close (default 2). */
    public synchronized void spread(String market, int ticks) {
        spreadTicks.put(market, ticks);
    }

    /** Adds {@code amount} of {@code currency} to the account, as a deposit or a trade made elsewhere would. */
    public synchronized void deposit(String currency, BigDecimal amount) {
        balances.merge(currency, amount, BigDecimal::add);
    }

    /** Makes {@code orderbook/instruments} answer this tick size for the market, instead of the KRW table's. */
    public synchronized void tickSize(String market, BigDecimal tick) {
        tickSizes.put(market, tick);
    }

    /** Fills {@code volume} of order {@code uuid} at {@code price}, as one trade with a new uuid. */
    public synchronized void fill(String uuid, BigDecimal price, BigDecimal volume) {
        ObjectNode o = orders.get(uuid);
        if (o == null) {
            throw new IllegalArgumentException("the stub has no order " + uuid);
        }
        trade(o, price, volume);
        pushEnd(o);
    }

    /** Fills every waiting limit order in full at its limit price. */
    public synchronized void fillAll() {
        for (ObjectNode o : orders.values()) {
            if (o.get("state").asText().equals("wait") && o.get("ord_type").asText().equals("limit")) {
                trade(o, new BigDecimal(o.get("price").asText()), new BigDecimal(o.get("remaining_volume").asText()));
                pushEnd(o);
            }
        }
    }

    /** Drops the private WebSocket connections (close frame 1001); clients may reconnect unless {@link #refusePrivate}. */
    public void dropPrivateStreams() {
        stream.dropPrivate();
    }

    /** @param on whether private WebSocket handshakes are refused (while on, a dropped client cannot come back) */
    public void refusePrivate(boolean on) {
        stream.refusePrivate(on);
    }

    /** @return open private WebSocket connections with a subscription */
    public int privateConnections() {
        return stream.privateConnections();
    }

    /** The next {@code POST orders} is taken but answered only after {@code millis}. */
    public void delayNextSubmit(long millis) {
        delayNextSubmitMillis = millis;
    }

    /**
     * The next limit order would trade with a resting order of this account: Upbit's self-match prevention
     * ends it in state {@code prevented} with its whole volume as {@code prevented_volume} (Upbit API
     * reference, order object: {@code state} {@code prevented}, {@code prevented_volume}; smp_type
     * {@code cancel_taker}).
     */
    public void preventNextSubmit() {
        preventNextSubmit = true;
    }

    /** Each of the market's 30 book levels holds this base volume (0.5 unless set). */
    public synchronized void levelSize(String market, BigDecimal size) {
        levelSizes.put(market, size);
    }

    /** {@code orders/chance} answers this maker fee rate for both sides (the sample's is 0.0005, as the taker's). */
    public void makerFee(String rate) {
        makerFee = rate;
    }

    /** The next {@code POST orders} is refused with this Upbit error name (HTTP 400). */
    public void refuseNextSubmit(String errorName) {
        refuseNextSubmitWith = errorName;
    }

    /** Answers 418 to every request for {@code duration}, naming it in {@code Retry-After}. */
    public void block(Duration duration) {
        blockedUntil = System.currentTimeMillis() + duration.toMillis();
    }

    /** Drops every WebSocket connection (close frame 1001). */
    public void dropStreams() {
        stream.dropAll();
    }

    /** @param on whether the WebSocket stays connected but sends nothing */
    public void silence(boolean on) {
        stream.silent(on);
    }

    /** @return when each {@code POST orders} arrived (ms), refused or not */
    public synchronized List<Long> orderArrivals() {
        return List.copyOf(orderArrivals);
    }

    /** @return copies of the orders taken, in arrival order */
    public synchronized List<JsonNode> orders() {
        return orders.values().stream().map(o -> (JsonNode) o.deepCopy()).toList();
    }

    /** @return why each refused token was refused */
    public synchronized List<String> refusedTokens() {
        return List.copyOf(refusedTokens);
    }

    /** @return how many requests got 429 */
    public synchronized int tooManyRequests() {
        return tooManyRequests;
    }

    /** @return open WebSocket connections */
    public int streamConnections() {
        return stream.connections();
    }

    /** @return every WebSocket subscription request received */
    public List<String> streamRequests() {
        return stream.requests();
    }

    /** @return the whole state as JSON: what {@code GET /_stub/state} answers */
    public synchronized ObjectNode state() {
        ObjectNode s = json.createObjectNode();
        ArrayNode o = s.putArray("orders");
        orders.values().forEach(o::add);
        ArrayNode a = s.putArray("orderArrivals");
        orderArrivals.forEach(a::add);
        ArrayNode r = s.putArray("refusedTokens");
        refusedTokens.forEach(r::add);
        s.put("tooManyRequests", tooManyRequests);
        s.put("streamConnections", stream.connections());
        s.put("privateConnections", stream.privateConnections());
        ArrayNode refused = s.putArray("refusedHandshakes");
        stream.refusedHandshakes().forEach(refused::add);
        s.put("orderLookups", orderLookups);
        s.put("uuidLookups", uuidLookups);
        s.put("batchCancels", batchCancels);
        s.put("accountReads", accountReads);
        ArrayNode q = s.putArray("streamRequests");
        stream.requests().forEach(q::add);
        ObjectNode b = s.putObject("balances");
        balances.forEach(b::put);
        return s;
    }

    // ---- REST ---------------------------------------------------------------------------------

    private void handle(HttpExchange x) throws IOException {
        try {
            String path = x.getRequestURI().getPath().substring("/v1".length());
            String method = x.getRequestMethod();
            String body = new String(x.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            Map<String, List<String>> params = method.equals("POST") ? bodyParams(body) : queryParams(x.getRequestURI().getRawQuery());
            StubGroup group = StubGroup.of(method, path);
            if (group == StubGroup.ORDER) {
                synchronized (this) {
                    orderArrivals.add(System.currentTimeMillis());
                }
            }
            long blockLeft = blockedUntil - System.currentTimeMillis();
            if (blockLeft > 0) {
                long seconds = Math.max(1, (blockLeft + 999) / 1000);
                x.getResponseHeaders().add("Retry-After", Long.toString(seconds));
                reply(x, 418, error("too_many_requests", "blocked for " + seconds + " seconds"));
                return;
            }
            int left = take(group);
            x.getResponseHeaders().add("Remaining-Req", "group=" + group.upbitName + "; min=1800; sec=" + Math.max(0, left));
            if (left < 0) {
                synchronized (this) {
                    tooManyRequests++;
                }
                reply(x, 429, error("too_many_requests", "Too many API requests."));
                return;
            }
            if (!group.quotation()) {
                String why = verify(x.getRequestHeaders().getFirst("Authorization"), params);
                if (why != null) {
                    synchronized (this) {
                        refusedTokens.add(why);
                    }
                    reply(x, 401, error("jwt_verification", why));
                    return;
                }
            }
            route(x, method, path, params);
        } catch (RuntimeException e) {
            reply(x, 500, error("stub_failure", e.toString()));
        }
    }

    private void route(HttpExchange x, String method, String path, Map<String, List<String>> p) throws IOException {
        if (method.equals("GET") && (path.startsWith("/candles/minutes/") || path.equals("/candles/days"))) {
            reply(x, 200, candlesReply(one(p, "market"), p.containsKey("to") ? Instant.parse(one(p, "to")) : null,
                    p.containsKey("count") ? Integer.parseInt(one(p, "count")) : 1));
            return;
        }
        switch (method + " " + path) {
            case "POST /orders" -> submit(x, p);
            case "POST /orders/test" -> reply(x, 201, json.createObjectNode().put("uuid", UUID.randomUUID().toString())
                    .put("side", one(p, "side")).put("ord_type", one(p, "ord_type")).put("state", "wait")
                    .put("market", one(p, "market")).put("created_at", now()).put("price", p.containsKey("price") ? one(p, "price") : null)
                    .put("volume", p.containsKey("volume") ? one(p, "volume") : null).put("executed_volume", "0")
                    .put("paid_fee", "0").put("trades_count", 0).put("identifier", p.containsKey("identifier") ? one(p, "identifier") : null)
                    .toString()); // checked, not placed: nothing is kept
            case "GET /order" -> {
                synchronized (this) {
                    orderLookups++;
                }
                ObjectNode o = find(p);
                reply(x, o == null ? 404 : 200, o == null ? error("order_not_found", "주문을 찾지 못했습니다.") : o.toString());
            }
            case "GET /orders/open" -> reply(x, 200, open(p).toString());
            case "GET /orders/uuids" -> reply(x, 200, byUuids(p.getOrDefault("uuids[]", List.of())).toString());
            case "DELETE /order" -> {
                ObjectNode o;
                synchronized (this) {
                    o = find(p);
                    if (o != null && o.get("state").asText().equals("wait")) {
                        o.put("state", "cancel");
                        pushEnd(o);
                    }
                }
                reply(x, o == null ? 404 : 200, o == null ? error("order_not_found", "주문을 찾지 못했습니다.") : o.toString());
            }
            case "DELETE /orders/open" -> reply(x, 200, cancelOpen(p).toString());
            case "GET /accounts" -> {
                synchronized (this) {
                    accountReads++;
                }
                reply(x, 200, accounts().toString());
            }
            case "GET /orders/chance" -> reply(x, 200, sample("ccxt_orders_chance_KRW-BTC.json").replace("KRW-BTC", one(p, "market"))
                    .replace("\"maker_bid_fee\": \"0.0005\"", "\"maker_bid_fee\": \"" + makerFee + "\"")
                    .replace("\"maker_ask_fee\": \"0.0005\"", "\"maker_ask_fee\": \"" + makerFee + "\"")
                    .replace("\"BTC\"", "\"" + one(p, "market").substring(4) + "\""));
            case "GET /market/all" -> reply(x, 200, markets(p.containsKey("is_details") && one(p, "is_details").equals("true")).toString());
            case "GET /ticker" -> reply(x, 200, tickers(list(p, "markets")).toString());
            case "GET /orderbook" -> reply(x, 200, orderbooks(list(p, "markets")).toString());
            case "GET /orderbook/instruments" -> reply(x, 200, instruments(list(p, "markets")).toString());
            default -> reply(x, 404, error("not_found", method + " " + path));
        }
    }

    private void submit(HttpExchange x, Map<String, List<String>> p) throws IOException {
        ObjectNode answer;
        synchronized (this) {
            String refusal = refuseNextSubmitWith;
            if (refusal != null) {
                refuseNextSubmitWith = null;
                reply(x, 400, error(refusal, "refused by the stub"));
                return;
            }
            String identifier = p.containsKey("identifier") ? one(p, "identifier") : null;
            if (identifier != null && orders.values().stream().anyMatch(o -> identifier.equals(o.path("identifier").asText(null)))) {
                reply(x, 400, error("duplicate_identifier", "identifier " + identifier + " was used before"));
                return;
            }
            String type = one(p, "ord_type");
            String tif = p.containsKey("time_in_force") ? one(p, "time_in_force") : null;
            // Upbit API reference, "주문 생성": best needs time_in_force ioc or fok; ioc/fok only on limit and best;
            // post_only only on limit, and not together with smp_type
            if ((type.equals("best") && !List.of("ioc", "fok").contains(String.valueOf(tif)))
                    || (tif != null && !type.equals("limit") && !type.equals("best"))
                    || ("post_only".equals(tif) && (!type.equals("limit") || p.containsKey("smp_type")))) {
                reply(x, 400, error("invalid_parameter", "ord_type " + type + " with time_in_force " + tif
                        + (p.containsKey("smp_type") ? " and smp_type" : "") + " is not allowed"));
                return;
            }
            ObjectNode o = json.createObjectNode();
            o.put("uuid", UUID.randomUUID().toString()).put("side", one(p, "side")).put("ord_type", type)
                    .put("price", p.containsKey("price") ? one(p, "price") : null).put("state", "wait")
                    .put("market", one(p, "market")).put("created_at", now())
                    .put("volume", p.containsKey("volume") ? one(p, "volume") : null)
                    .put("remaining_volume", p.containsKey("volume") ? one(p, "volume") : null)
                    .put("reserved_fee", "0").put("remaining_fee", "0").put("paid_fee", "0").put("locked", "0")
                    .put("executed_volume", "0").put("trades_count", 0).put("identifier", identifier)
                    // Upbit changelog "add-smp-type-default" (2026-11-09): an order sent without smp_type gets cancel_maker
                    .put("smp_type", p.containsKey("smp_type") ? one(p, "smp_type") : "cancel_maker")
                    .put("smp_type_sent", p.containsKey("smp_type")).put("time_in_force", tif);
            o.putArray("trades");
            orders.put(o.get("uuid").asText(), o);
            if (preventNextSubmit && type.equals("limit")) {
                preventNextSubmit = false;
                o.put("state", "prevented").put("prevented_volume", o.get("volume").asText()).put("remaining_volume", "0");
            }
            answer = o.deepCopy();
            pushOrder(o, null); // created: the private stream may tell before the reply arrives, as on Upbit
            if (type.equals("price") || type.equals("market")) {
                fillAtMarket(o);
            } else if (tif != null) {
                o.put("submitting", true); // its trades now take liquidity
                fillOnArrival(o, tif);
                o.remove("submitting");
            }
            pushEnd(o);
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
        answer.remove("trades");
        reply(x, 201, answer.toString());
    }

    /** A market order fills at once at the last candle's close (a market buy spends its {@code price} in KRW). */
    private void fillAtMarket(ObjectNode o) {
        NavigableMap<Instant, StubCandle> m = candles.get(o.get("market").asText());
        if (m == null || m.isEmpty()) {
            return; // no price: it waits, as an order in a market without trades would
        }
        BigDecimal price = m.lastEntry().getValue().close();
        BigDecimal volume = o.get("ord_type").asText().equals("price")
                ? new BigDecimal(o.get("price").asText()).divide(price, 8, RoundingMode.DOWN)
                : new BigDecimal(o.get("volume").asText());
        trade(o, price, volume);
        // Upbit API reference, "주문 리스트 조회" (state): a market buy ends "cancel" when funds remain after its
        // trades (most often less than the 8th decimal of a coin buys), "done" only when they divide exactly
        boolean leftover = o.get("ord_type").asText().equals("price")
                && new BigDecimal(o.get("price").asText()).compareTo(price.multiply(volume)) > 0;
        o.put("state", leftover ? "cancel" : "done");
    }

    /**
     * A best order, or a limit order with time in force, against the stub's book (its 30 levels around the last
     * close): it takes the best level only (a best order's price is that level; a limit must reach it). IOC fills
     * what the level holds and cancels the rest; FOK fills whole or cancels with nothing; post-only rests when it
     * would not trade, and is canceled when it would (Upbit API reference, "주문 생성": time_in_force).
     */
    private void fillOnArrival(ObjectNode o, String tif) {
        String market = o.get("market").asText();
        boolean bid = o.get("side").asText().equals("bid");
        BigDecimal tick = tickSize(lastCandle(market).close());
        int half = Math.max(1, spreadTicks.getOrDefault(market, 2) / 2);
        BigDecimal level = lastCandle(market).close().add(tick.multiply(BigDecimal.valueOf(bid ? half : -half)));
        BigDecimal size = levelSizes.getOrDefault(market, new BigDecimal("0.5"));
        boolean best = o.get("ord_type").asText().equals("best");
        boolean reaches = best || (bid ? new BigDecimal(o.get("price").asText()).compareTo(level) >= 0
                : new BigDecimal(o.get("price").asText()).compareTo(level) <= 0);
        if (tif.equals("post_only")) {
            if (reaches) {
                o.put("state", "cancel");
            }
            return;
        }
        BigDecimal wanted = best && bid ? new BigDecimal(o.get("price").asText()).divide(level, 8, RoundingMode.DOWN)
                : new BigDecimal(o.get("volume").asText());
        if (reaches && (tif.equals("ioc") || wanted.compareTo(size) <= 0)) {
            trade(o, level, wanted.min(size));
        }
        boolean whole = new BigDecimal(o.get("executed_volume").asText()).compareTo(wanted) >= 0;
        o.put("state", whole && !(best && bid && new BigDecimal(o.get("price").asText()).compareTo(level.multiply(wanted)) > 0)
                ? "done" : "cancel");
    }

    /**
     * Tells the private stream about the order (Upbit API reference, "내 주문 및 체결 (MyOrder)"): its state, and
     * with {@code trade} the one trade (state {@code trade}, {@code price}/{@code volume} of the trade,
     * {@code trade_uuid}, {@code trade_fee}, {@code is_maker}).
     */
    private void pushOrder(ObjectNode o, ObjectNode trade) {
        ObjectNode m = json.createObjectNode().put("type", "myOrder").put("code", o.get("market").asText())
                .put("uuid", o.get("uuid").asText()).put("ask_bid", o.get("side").asText().toUpperCase(java.util.Locale.ROOT))
                .put("order_type", o.get("ord_type").asText()).put("state", trade != null ? "trade" : o.get("state").asText());
        if (trade != null) {
            m.put("trade_uuid", trade.get("uuid").asText()).put("price", new BigDecimal(trade.get("price").asText()))
                    .put("volume", new BigDecimal(trade.get("volume").asText()))
                    .put("trade_fee", new BigDecimal(trade.get("fee").asText())).put("is_maker", trade.get("maker").asBoolean())
                    .put("trade_timestamp", System.currentTimeMillis());
        } else {
            m.put("price", o.hasNonNull("price") ? new BigDecimal(o.get("price").asText()) : null)
                    .put("volume", o.hasNonNull("volume") ? new BigDecimal(o.get("volume").asText()) : null);
        }
        m.put("remaining_volume", o.hasNonNull("remaining_volume") ? new BigDecimal(o.get("remaining_volume").asText()) : null)
                .put("executed_volume", new BigDecimal(o.get("executed_volume").asText()))
                .put("executed_funds", executedFunds(o)).put("trades_count", o.get("trades_count").asInt())
                .put("paid_fee", new BigDecimal(o.get("paid_fee").asText())).put("identifier", o.path("identifier").asText(null))
                .put("smp_type", o.path("smp_type").asText(null)).put("time_in_force", o.path("time_in_force").asText(null))
                .put("prevented_volume", o.hasNonNull("prevented_volume") ? new BigDecimal(o.get("prevented_volume").asText()) : null)
                .put("order_timestamp", System.currentTimeMillis()).put("timestamp", System.currentTimeMillis());
        stream.publishPrivate(m);
    }

    private static BigDecimal executedFunds(ObjectNode o) {
        BigDecimal funds = BigDecimal.ZERO;
        for (JsonNode t : o.path("trades")) {
            funds = funds.add(new BigDecimal(t.get("funds").asText()));
        }
        return funds;
    }

    /** Tells the private stream the order ended, if it did. */
    private void pushEnd(ObjectNode o) {
        if (List.of("done", "cancel", "prevented").contains(o.get("state").asText())) {
            pushOrder(o, null);
        }
    }

    /** Tells the private stream the balances of these currencies (Upbit API reference, "내 자산 (MyAsset)"). */
    private void pushAssets(String... currencies) {
        ObjectNode m = json.createObjectNode().put("type", "myAsset").put("asset_uuid", UUID.randomUUID().toString());
        ArrayNode assets = m.putArray("assets");
        for (String c : currencies) {
            assets.addObject().put("currency", c).put("balance", balances.getOrDefault(c, BigDecimal.ZERO)).put("locked", BigDecimal.ZERO);
        }
        m.put("asset_timestamp", System.currentTimeMillis()).put("timestamp", System.currentTimeMillis());
        stream.publishPrivate(m);
    }

    private void trade(ObjectNode o, BigDecimal price, BigDecimal volume) {
        BigDecimal funds = price.multiply(volume);
        BigDecimal fee = funds.multiply(FEE).setScale(8, RoundingMode.HALF_UP);
        ObjectNode t = ((ArrayNode) o.get("trades")).addObject();
        t.put("market", o.get("market").asText()).put("uuid", UUID.randomUUID().toString()).put("price", price.toPlainString())
                .put("volume", volume.toPlainString()).put("funds", funds.toPlainString()).put("side", o.get("side").asText())
                .put("created_at", now());
        BigDecimal executed = new BigDecimal(o.get("executed_volume").asText()).add(volume);
        o.put("executed_volume", executed.toPlainString()).put("trades_count", o.get("trades").size())
                .put("paid_fee", new BigDecimal(o.get("paid_fee").asText()).add(fee).toPlainString());
        if (o.hasNonNull("volume")) {
            BigDecimal remaining = new BigDecimal(o.get("volume").asText()).subtract(executed);
            o.put("remaining_volume", remaining.toPlainString()).put("state", remaining.signum() == 0 ? "done" : "wait");
        }
        String coin = o.get("market").asText().substring(4);
        boolean bid = o.get("side").asText().equals("bid");
        balances.merge("KRW", bid ? funds.add(fee).negate() : funds.subtract(fee), BigDecimal::add);
        balances.merge(coin, bid ? volume : volume.negate(), BigDecimal::add);
        // a trade of a limit order after its submit rested in the book (maker); at submit it took liquidity
        boolean maker = o.get("ord_type").asText().equals("limit") && !o.path("submitting").asBoolean(false);
        ObjectNode pushed = t.deepCopy().put("fee", fee.toPlainString()).put("maker", maker);
        pushOrder(o, pushed);
        pushAssets("KRW", coin);
    }

    private synchronized ObjectNode find(Map<String, List<String>> p) {
        if (p.containsKey("uuid")) {
            return orders.get(one(p, "uuid"));
        }
        String identifier = one(p, "identifier");
        return orders.values().stream().filter(o -> identifier.equals(o.path("identifier").asText(null))).findFirst().orElse(null);
    }

    /**
     * {@code GET orders/uuids} (Upbit API reference, "id로 주문 리스트 조회"): the orders of up to 100 uuids,
     * without their trades (list endpoints give {@code trades_count} only).
     */
    private synchronized ArrayNode byUuids(List<String> uuids) {
        uuidLookups++;
        ArrayNode out = json.createArrayNode();
        uuids.stream().limit(100).map(orders::get).filter(java.util.Objects::nonNull).forEach(o -> {
            ObjectNode copy = o.deepCopy();
            copy.remove("trades");
            out.add(copy);
        });
        return out;
    }

    /** @return how many {@code GET order} (one order, with its trades) and {@code GET orders/uuids} requests the stub took */
    public synchronized int[] orderLookups() {
        return new int[] {orderLookups, uuidLookups};
    }

    private synchronized ArrayNode open(Map<String, List<String>> p) {
        ArrayNode out = json.createArrayNode();
        String market = p.containsKey("market") ? one(p, "market") : null;
        orders.values().stream().filter(o -> o.get("state").asText().equals("wait"))
                .filter(o -> market == null || market.equals(o.get("market").asText())).forEach(o -> {
                    ObjectNode copy = o.deepCopy();
                    copy.remove("trades");
                    out.add(copy);
                });
        return out;
    }

    private synchronized ArrayNode accounts() {
        ArrayNode out = json.createArrayNode();
        balances.forEach((currency, balance) -> out.addObject().put("currency", currency).put("balance", balance.toPlainString())
                .put("locked", "0").put("avg_buy_price", "0").put("avg_buy_price_modified", false).put("unit_currency", "KRW"));
        return out;
    }

    private synchronized String candlesReply(String market, Instant to, int count) {
        ArrayNode out = json.createArrayNode();
        NavigableMap<Instant, StubCandle> m = candles.getOrDefault(market, new TreeMap<>());
        Instant now = Instant.now();
        Instant before = to == null ? now.plusNanos(1) : to;
        m.headMap(before, false).descendingMap().values().stream().filter(c -> !c.time().isAfter(now)).limit(Math.min(count, 200))
                .forEach(c -> out.add(candleJson(market, c)));
        return out.toString();
    }

    private ObjectNode candleJson(String market, StubCandle c) {
        return json.createObjectNode().put("market", market)
                .put("candle_date_time_utc", LOCAL.format(c.time().atOffset(ZoneOffset.UTC)))
                .put("candle_date_time_kst", LOCAL.format(c.time().atOffset(KST))).put("opening_price", c.open())
                .put("high_price", c.high()).put("low_price", c.low()).put("trade_price", c.close())
                .put("timestamp", c.time().toEpochMilli()).put("candle_acc_trade_price", c.close().multiply(c.volume()))
                .put("candle_acc_trade_volume", c.volume()).put("unit", unit);
    }

    private List<ObjectNode> snapshot(String key) {
        String[] typeCode = key.split("\\|");
        synchronized (this) {
            NavigableMap<Instant, StubCandle> m = candles.get(typeCode[1]);
            if (m == null || m.isEmpty() || !typeCode[0].startsWith("candle.")) {
                return List.of();
            }
            ObjectNode c = candleJson(typeCode[1], m.lastEntry().getValue()).put("type", typeCode[0]).put("code", typeCode[1]);
            c.remove("market");
            c.remove("unit");
            return List.of(c);
        }
    }

    /**
     * {@code DELETE orders/open} (Upbit API reference, "주문 일괄 취소"): cancels the waiting orders of the
     * {@code pairs} (all markets without), newest first, at most {@code count} (default 20, at most 300);
     * answers {@code success} and {@code failed}, each with {@code count} and {@code orders} (uuid, market,
     * identifier).
     */
    private synchronized ObjectNode cancelOpen(Map<String, List<String>> p) {
        List<String> pairs = p.containsKey("pairs") ? List.of(one(p, "pairs").split(",")) : List.of();
        int count = Math.min(300, p.containsKey("count") ? Integer.parseInt(one(p, "count")) : 20);
        batchCancels++;
        List<ObjectNode> waiting = new ArrayList<>();
        for (ObjectNode o : orders.values()) {
            if (o.get("state").asText().equals("wait") && (pairs.isEmpty() || pairs.contains(o.get("market").asText()))) {
                waiting.add(0, o);
            }
        }
        ObjectNode reply = json.createObjectNode();
        ObjectNode success = reply.putObject("success");
        ArrayNode done = success.putArray("orders");
        for (ObjectNode o : waiting.subList(0, Math.min(count, waiting.size()))) {
            o.put("state", "cancel");
            pushEnd(o);
            done.addObject().put("uuid", o.get("uuid").asText()).put("market", o.get("market").asText())
                    .put("identifier", o.path("identifier").asText(null));
        }
        success.put("count", done.size());
        reply.putObject("failed").put("count", 0).putArray("orders");
        return reply;
    }

    /** @return how many {@code DELETE orders/open} requests the stub has taken */
    public synchronized int batchCancels() {
        return batchCancels;
    }

    /**
     * {@code market/all}; with {@code is_details=true} each market carries {@code market_event} (Upbit API
     * reference, "마켓 코드 조회": {@code warning}, and {@code caution} with the five reasons).
     */
    private synchronized ArrayNode markets(boolean details) {
        ArrayNode out = json.createArrayNode();
        for (String m : new TreeMap<>(candles).keySet()) {
            ObjectNode market = out.addObject().put("market", m).put("korean_name", m).put("english_name", m.substring(4));
            if (details) {
                List<String> set = flags.getOrDefault(m, List.of());
                ObjectNode event = market.putObject("market_event").put("warning", set.contains("warning"));
                ObjectNode caution = event.putObject("caution");
                for (String reason : CAUTIONS) {
                    caution.put(reason, set.contains(reason));
                }
            }
        }
        return out;
    }

    /**
     * Flags a market as Upbit does in {@code market/all?is_details=true}.
     *
     * @param market the market code
     * @param flags  {@code warning} and/or caution reasons ({@code PRICE_FLUCTUATIONS}, ...); none clears them
     */
    public synchronized void flag(String market, String... flags) {
        this.flags.put(market, List.of(flags));
    }

    private synchronized ArrayNode tickers(List<String> markets) {
        ArrayNode out = json.createArrayNode();
        for (String m : markets) {
            StubCandle last = lastCandle(m);
            out.addObject().put("market", m).put("trade_price", last.close()).put("opening_price", last.open())
                    .put("high_price", last.high()).put("low_price", last.low())
                    .put("trade_timestamp", last.time().toEpochMilli()).put("timestamp", System.currentTimeMillis());
        }
        return out;
    }

    private synchronized ArrayNode orderbooks(List<String> markets) {
        ArrayNode out = json.createArrayNode();
        for (String m : markets) {
            BigDecimal tick = tickSize(lastCandle(m).close());
            BigDecimal mid = lastCandle(m).close();
            ObjectNode book = out.addObject().put("market", m).put("timestamp", System.currentTimeMillis());
            ArrayNode units = book.putArray("orderbook_units");
            int half = Math.max(1, spreadTicks.getOrDefault(m, 2) / 2);
            BigDecimal size = levelSizes.getOrDefault(m, new BigDecimal("0.5"));
            // 30 levels a side: Upbit's orderbook depth, and how far a market order may reach since 2025-05-07
            for (int i = half; i < half + LEVELS; i++) {
                BigDecimal step = tick.multiply(BigDecimal.valueOf(i));
                units.addObject().put("ask_price", mid.add(step)).put("bid_price", mid.subtract(step))
                        .put("ask_size", size).put("bid_size", size);
            }
        }
        return out;
    }

    private synchronized ArrayNode instruments(List<String> markets) {
        ArrayNode out = json.createArrayNode();
        for (String m : markets) {
            ObjectNode i = out.addObject().put("market", m).put("quote_currency", "KRW")
                    .put("tick_size", (tickSizes.containsKey(m) ? tickSizes.get(m) : tickSize(lastCandle(m).close())).toPlainString());
            i.putArray("supported_levels").add("0");
        }
        return out;
    }

    private StubCandle lastCandle(String market) {
        NavigableMap<Instant, StubCandle> m = candles.get(market);
        if (m == null || m.isEmpty()) {
            throw new IllegalArgumentException("the stub has no candles of " + market);
        }
        return m.lastEntry().getValue();
    }

    /**
     * The KRW tick table of the Upbit docs ("원화 마켓 호가 단위", since 2025-07-31) for the orderbook and
     * instruments replies, down to 100 KRW (the stub serves no cheaper market).
     */
    static BigDecimal tickSize(BigDecimal price) {
        long[][] table = {{1_000_000, 1000}, {500_000, 500}, {100_000, 100}, {50_000, 50}, {10_000, 10}, {5_000, 5}, {100, 1}};
        for (long[] row : table) {
            if (price.compareTo(BigDecimal.valueOf(row[0])) >= 0) {
                return BigDecimal.valueOf(row[1]);
            }
        }
        return new BigDecimal("0.01");
    }

    /** Counts a request in its group's window; @return requests left in it, negative when over */
    private synchronized int take(StubGroup group) {
        long now = System.currentTimeMillis();
        ArrayDeque<Long> w = windows.get(group);
        while (!w.isEmpty() && w.peekFirst() <= now - group.windowMillis) {
            w.removeFirst();
        }
        if (w.size() >= group.permits) {
            return -1;
        }
        w.addLast(now);
        return group.permits - w.size();
    }

    /** @return why the token is refused, or null when it is good */
    private synchronized String verify(String authorization, Map<String, List<String>> params) {
        if (authorization == null || !authorization.startsWith("Bearer ")) {
            return "no bearer token";
        }
        String[] parts = authorization.substring(7).split("\\.");
        if (parts.length != 3) {
            return "not a JWT";
        }
        try {
            JsonNode header = json.readTree(Base64.getUrlDecoder().decode(parts[0]));
            String alg = header.path("alg").asText();
            if (!Set.of("HS256", "HS384", "HS512").contains(alg)) {
                return "unsupported alg " + alg;
            }
            String macName = "HmacSHA" + alg.substring(2);
            Mac mac = Mac.getInstance(macName);
            mac.init(new SecretKeySpec(secretKey.getBytes(StandardCharsets.UTF_8), macName));
            String expected = Base64.getUrlEncoder().withoutPadding()
                    .encodeToString(mac.doFinal((parts[0] + "." + parts[1]).getBytes(StandardCharsets.US_ASCII)));
            if (!MessageDigest.isEqual(expected.getBytes(StandardCharsets.US_ASCII), parts[2].getBytes(StandardCharsets.US_ASCII))) {
                return "bad signature";
            }
            JsonNode claims = json.readTree(Base64.getUrlDecoder().decode(parts[1]));
            if (!accessKey.equals(claims.path("access_key").asText())) {
                return "unknown access key";
            }
            if (!nonces.add(claims.path("nonce").asText())) {
                return "nonce used before";
            }
            if (params.isEmpty() == claims.has("query_hash")) {
                return "query_hash missing or superfluous";
            }
            if (!params.isEmpty()) {
                String query = params.entrySet().stream().flatMap(e -> e.getValue().stream().map(v -> e.getKey() + "=" + v))
                        .collect(Collectors.joining("&"));
                String hash = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-512").digest(query.getBytes(StandardCharsets.UTF_8)));
                if (!hash.equals(claims.path("query_hash").asText()) || !"SHA512".equals(claims.path("query_hash_alg").asText())) {
                    return "query_hash does not match " + query;
                }
            }
            return null;
        } catch (IOException | GeneralSecurityException | IllegalArgumentException e) {
            return "malformed token: " + e;
        }
    }

    private static Map<String, List<String>> queryParams(String raw) {
        Map<String, List<String>> out = new LinkedHashMap<>();
        if (raw != null && !raw.isEmpty()) {
            for (String kv : raw.split("&")) {
                int eq = kv.indexOf('=');
                out.computeIfAbsent(URLDecoder.decode(kv.substring(0, eq), StandardCharsets.UTF_8), k -> new ArrayList<>())
                        .add(URLDecoder.decode(kv.substring(eq + 1), StandardCharsets.UTF_8));
            }
        }
        return out;
    }

    private Map<String, List<String>> bodyParams(String body) throws IOException {
        Map<String, List<String>> out = new LinkedHashMap<>();
        json.readTree(body).fields().forEachRemaining(e -> out.put(e.getKey(), List.of(e.getValue().asText())));
        return out;
    }

    private static String one(Map<String, List<String>> p, String key) {
        List<String> v = p.get(key);
        if (v == null) {
            throw new IllegalArgumentException("missing parameter " + key);
        }
        return v.get(0);
    }

    private static List<String> list(Map<String, List<String>> p, String key) {
        return List.of(one(p, key).split(","));
    }

    private static String now() {
        return java.time.OffsetDateTime.now(KST).truncatedTo(ChronoUnit.SECONDS).toString();
    }

    private static String error(String name, String message) {
        return "{\"error\":{\"name\":\"" + name + "\",\"message\":\"" + message.replace("\"", "'") + "\"}}";
    }

    private static String sample(String name) {
        try (InputStream in = UpbitStub.class.getResourceAsStream("/upbit-api/" + name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void reply(HttpExchange x, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        x.getResponseHeaders().add("Content-Type", "application/json; charset=utf-8");
        x.sendResponseHeaders(status, bytes.length);
        x.getResponseBody().write(bytes);
        x.close();
    }

    // ---- control API --------------------------------------------------------------------------

    private void control(HttpExchange x) throws IOException {
        try {
            String op = x.getRequestURI().getPath().substring("/_stub/".length());
            Map<String, List<String>> p = queryParams(x.getRequestURI().getRawQuery());
            String body = new String(x.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            switch (op) {
                case "state" -> {
                    reply(x, 200, state().toString());
                    return;
                }
                case "candle" -> {
                    JsonNode c = json.readTree(body);
                    pushCandle(c.get("market").asText(), new StubCandle(Instant.ofEpochMilli(c.get("time").asLong()),
                            c.get("open").decimalValue(), c.get("high").decimalValue(), c.get("low").decimalValue(),
                            c.get("close").decimalValue(), c.get("volume").decimalValue()));
                }
                case "fill-all" -> fillAll();
                case "fill" -> fill(one(p, "uuid"), new BigDecimal(one(p, "price")), new BigDecimal(one(p, "volume")));
                case "delay-next-submit" -> delayNextSubmit(Long.parseLong(one(p, "ms")));
                case "refuse-next-submit" -> refuseNextSubmit(one(p, "name"));
                case "block" -> block(Duration.ofMillis(Long.parseLong(one(p, "ms"))));
                case "drop-streams" -> dropStreams();
                case "silence" -> silence(Boolean.parseBoolean(one(p, "on")));
                case "drop-private" -> dropPrivateStreams();
                case "refuse-private" -> refusePrivate(Boolean.parseBoolean(one(p, "on")));
                case "flag" -> flag(one(p, "market"), p.containsKey("flags") ? one(p, "flags").split(",") : new String[0]);
                case "prevent-next-submit" -> preventNextSubmit();
                default -> {
                    reply(x, 404, error("not_found", op));
                    return;
                }
            }
            reply(x, 200, "{}");
        } catch (RuntimeException e) {
            reply(x, 500, error("stub_failure", e.toString()));
        }
    }
}
