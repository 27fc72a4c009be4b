package io.autotrade.exchange.upbit.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * Upbit's quotation WebSocket ({@code wss://api.upbit.com/websocket/v1}, Upbit API docs "WebSocket"),
 * on {@code java.net.http.WebSocket} from the runtime's one {@link HttpClient}: one connection
 * subscribed to {@code ticker}, {@code trade} and {@code candle.<unit>m} of the feed's markets
 * ({@code [{"ticket"},{"type","codes"}...,{"format":"DEFAULT"}]}). Upbit sends each message as a binary
 * frame of UTF-8 JSON (text frames are read too).
 *
 * <ul>
 *   <li>Candle messages go to the {@link CandleFeed} ({@link CandleFeed#update}), which closes and
 *       publishes them; a timer closes candles whose end has passed ({@link CandleFeed#closeDue}).</li>
 *   <li>Ticker and trade messages show the feed is alive (a message counts only if it reads as one).</li>
 *   <li><b>Reconnect</b>: a closed or failed connection is opened again after a backoff of 1 s doubling
 *       up to 30 s (reset by the first message of a new connection); every new connection is followed
 *       by a REST back-fill ({@link CandleFeed#poll}) of the candles closed while it was down.</li>
 *   <li><b>Stale-feed watchdog</b>: when no market data message has arrived for {@code staleAfter}, the
 *       connection is taken as dead (a connection can stay open and say nothing), aborted and opened
 *       again. A market without trades sends nothing either, so {@code staleAfter} should be longer
 *       than the quietest followed market's silence.</li>
 *   <li>A WebSocket ping every {@code pingEvery} keeps the connection from Upbit's idle close
 *       (about 120 s).</li>
 * </ul>
 */
final class MarketStream implements WebSocket.Listener {
    private static final Duration FIRST_BACKOFF = Duration.ofSeconds(1);
    private static final Duration MAX_BACKOFF = Duration.ofSeconds(30);

    private final HttpClient http;
    private final URI uri;
    private final CandleFeed feed;
    private final Duration staleAfter;
    private final Duration pingEvery;
    private final ScheduledExecutorService timer;
    private final Supplier<Instant> clock;
    private final Consumer<String> log;
    private final StringBuilder partial = new StringBuilder();
    private final java.io.ByteArrayOutputStream partialBytes = new java.io.ByteArrayOutputStream();

    private volatile WebSocket socket;
    private volatile Instant lastMessage;
    private volatile boolean stopped;
    private volatile int connections;
    private Duration backoff = FIRST_BACKOFF;
    private ScheduledFuture<?> reconnect;
    private ScheduledFuture<?> watch;

    /**
     * @param http       the runtime's HTTP client
     * @param uri        the WebSocket URL
     * @param feed       where candles go, and the markets and unit subscribed
     * @param staleAfter silence after which the connection is renewed
     * @param pingEvery  how often a ping is sent
     * @param timer      runs reconnects, the watchdog and the closing of due candles
     * @param clock      the time
     * @param log        warnings
     */
    MarketStream(HttpClient http, URI uri, CandleFeed feed, Duration staleAfter, Duration pingEvery,
            ScheduledExecutorService timer, Supplier<Instant> clock, Consumer<String> log) {
        this.http = http;
        this.uri = uri;
        this.feed = feed;
        this.staleAfter = staleAfter;
        this.pingEvery = pingEvery;
        this.timer = timer;
        this.clock = clock;
        this.log = log;
    }

    /** Connects, and starts the timer's work (closing due candles every second, the watchdog, pings). */
    synchronized void start() {
        lastMessage = clock.get();
        watch = timer.scheduleWithFixedDelay(this::tick, 1, 1, TimeUnit.SECONDS);
        timer.scheduleWithFixedDelay(this::ping, pingEvery.toMillis(), pingEvery.toMillis(), TimeUnit.MILLISECONDS);
        connect();
    }

    /** Closes the connection; nothing reconnects after this. */
    synchronized void stop() {
        stopped = true;
        if (reconnect != null) {
            reconnect.cancel(false);
        }
        if (watch != null) {
            watch.cancel(false);
        }
        WebSocket ws = socket;
        if (ws != null) {
            ws.abort();
        }
    }

    /** @return connections opened so far (1 after the first, 2 after one reconnect, ...) */
    int connections() {
        return connections;
    }

    private synchronized void connect() {
        if (stopped) {
            return;
        }
        reconnect = null;
        http.newWebSocketBuilder().connectTimeout(Duration.ofSeconds(10)).buildAsync(uri, this).whenComplete((ws, failure) -> {
            if (failure != null) {
                log.accept("market data stream " + uri + " did not connect: " + rootMessage(failure));
                scheduleReconnect(null);
            }
        });
    }

    /** Opens a new connection after the backoff, unless one is already due; {@code dead} is the socket given up. */
    private synchronized void scheduleReconnect(WebSocket dead) {
        if (stopped || reconnect != null || (dead != null && dead != socket)) {
            return;
        }
        socket = null;
        Duration wait = backoff;
        backoff = backoff.multipliedBy(2).compareTo(MAX_BACKOFF) > 0 ? MAX_BACKOFF : backoff.multipliedBy(2);
        reconnect = timer.schedule(this::connect, wait.toMillis(), TimeUnit.MILLISECONDS);
    }

    @Override
    public void onOpen(WebSocket ws) {
        partial.setLength(0); // a message the previous connection broke off in the middle
        partialBytes.reset();
        synchronized (this) {
            socket = ws;
            connections++;
            lastMessage = clock.get();
        }
        ArrayNode request = UpbitJson.MAPPER.createArrayNode();
        request.addObject().put("ticket", "autotrade-" + UUID.randomUUID());
        for (String type : new String[] {"ticker", "trade", "candle." + feed.unit() + "m"}) {
            ArrayNode codes = request.addObject().put("type", type).putArray("codes");
            feed.markets().forEach(m -> codes.add(m.code()));
        }
        request.addObject().put("format", "DEFAULT");
        ws.sendText(request.toString(), true);
        ws.request(1);
        timer.execute(() -> {
            try {
                feed.poll(); // what closed while the stream was down
            } catch (RuntimeException e) {
                log.accept("back-fill after connecting failed: " + e.getMessage());
            }
        });
    }

    @Override
    public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
        partial.append(data);
        if (last) {
            String message = partial.toString();
            partial.setLength(0);
            handle(message);
        }
        ws.request(1);
        return null;
    }

    @Override
    public CompletionStage<?> onBinary(WebSocket ws, ByteBuffer data, boolean last) {
        byte[] bytes = new byte[data.remaining()];
        data.get(bytes);
        partialBytes.writeBytes(bytes);
        if (last) {
            String message = partialBytes.toString(StandardCharsets.UTF_8);
            partialBytes.reset();
            handle(message);
        }
        ws.request(1);
        return null;
    }

    @Override
    public CompletionStage<?> onClose(WebSocket ws, int statusCode, String reason) {
        if (!stopped) {
            log.accept("market data stream closed (" + statusCode + " " + reason + "); reconnecting");
        }
        scheduleReconnect(ws);
        return null;
    }

    @Override
    public void onError(WebSocket ws, Throwable error) {
        if (!stopped) {
            log.accept("market data stream failed: " + rootMessage(error) + "; reconnecting");
        }
        scheduleReconnect(ws);
    }

    /** Reads one message; a malformed one is reported and skipped, the stream goes on. */
    void handle(String message) {
        JsonNode n;
        try {
            n = UpbitJson.parse(message, "WebSocket message");
        } catch (UpbitJson.UpbitFormatException e) {
            log.accept(e.getMessage());
            return;
        }
        if (n.has("error")) {
            log.accept("Upbit refused the market data subscription: " + n.get("error"));
            return;
        }
        String type = n.path("type").asText("");
        try {
            if (type.startsWith("candle.")) {
                feed.update(UpbitJson.candle(n, Duration.ofMinutes(feed.unit())));
            } else if (type.equals("ticker") || type.equals("trade")) {
                UpbitJson.ticker(n); // read, so a malformed message does not count as the feed being alive
            } else {
                return; // {"status":"UP"} and other replies carry no market data
            }
        } catch (RuntimeException e) {
            log.accept("WebSocket " + type + " message skipped: " + e.getMessage());
            return;
        }
        synchronized (this) {
            lastMessage = clock.get();
            backoff = FIRST_BACKOFF;
        }
    }

    /** Every second: close due candles; renew a connection that has been silent too long. */
    private void tick() {
        try {
            feed.closeDue();
        } catch (RuntimeException e) {
            log.accept("closing due candles failed: " + e.getMessage());
        }
        WebSocket ws;
        synchronized (this) {
            ws = socket;
            if (ws == null || !clock.get().isAfter(lastMessage.plus(staleAfter))) {
                return;
            }
        }
        log.accept("market data stale: nothing for " + staleAfter.toSeconds() + " s; reconnecting");
        ws.abort();
        scheduleReconnect(ws);
    }

    private void ping() {
        WebSocket ws = socket;
        if (ws != null && !ws.isOutputClosed()) {
            ws.sendPing(ByteBuffer.allocate(0));
        }
    }

    private static String rootMessage(Throwable t) {
        while (t.getCause() != null) {
            t = t.getCause();
        }
        return t.toString();
    }
}
