package io.autotrade.exchange.upbit.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * Upbit's private WebSocket ({@code wss://api.upbit.com/websocket/v1/private}, Upbit API reference "내 주문 및
 * 체결 (MyOrder)" and "내 자산 (MyAsset)", since 2024-04-25): one authenticated connection ({@link UpbitSocket};
 * the {@code Authorization: Bearer} JWT of {@link UpbitAuth} without a query hash, Upbit API docs "인증")
 * subscribed to {@code myOrder} of every market and {@code myAsset}. Each {@code myOrder} message goes to
 * {@link UpbitExchange#onMyOrder}, each {@code myAsset} to {@link UpbitExchange#onMyAsset}.
 *
 * <p>The stream says nothing while nothing happens, so silence is no sign of a dead connection; a
 * connection is taken as dead when its pings go unanswered for three ping intervals, and renewed. While it is
 * not {@link #up()}, the adapter polls working orders by REST; after each (re)connect it catches up by REST
 * ({@link UpbitExchange#catchUp()}), so what happened while it was down is not lost.
 */
final class PrivateStream extends UpbitSocket {
    private final UpbitAuth auth;
    private final UpbitExchange exchange;
    private final Supplier<Instant> clock;
    private final Duration pingEvery;
    private volatile Instant lastPong;
    private volatile boolean refused;

    /**
     * @param http      the runtime's HTTP client
     * @param uri       the private WebSocket URL
     * @param auth      signs the connection's token
     * @param exchange  where orders and balances go
     * @param pingEvery how often a ping is sent
     * @param timer     runs reconnects, pings, the watchdog and the catch-up
     * @param clock     the time
     * @param log       warnings
     */
    PrivateStream(HttpClient http, URI uri, UpbitAuth auth, UpbitExchange exchange, Duration pingEvery,
            ScheduledExecutorService timer, Supplier<Instant> clock, Consumer<String> log) {
        super("private stream (myOrder, myAsset)", http, uri, pingEvery, timer, log);
        this.auth = auth;
        this.exchange = exchange;
        this.clock = clock;
        this.pingEvery = pingEvery;
        this.lastPong = clock.get();
    }

    /** @return whether fills and balances come from this stream now: connected, and the subscription not refused */
    boolean up() {
        return connected() && !refused;
    }

    @Override
    protected void prepare(WebSocket.Builder builder) {
        builder.header("Authorization", auth.authorization(new Query())); // a fresh nonce per connection
    }

    @Override
    protected String subscription() {
        ArrayNode request = UpbitJson.MAPPER.createArrayNode();
        request.addObject().put("ticket", "autotrade-private-" + UUID.randomUUID());
        request.addObject().put("type", "myOrder"); // no codes: every market, so no order of ours is missed
        request.addObject().put("type", "myAsset");
        request.addObject().put("format", "DEFAULT");
        return request.toString();
    }

    @Override
    protected void opened() {
        refused = false;
        lastPong = clock.get();
        timer.execute(() -> {
            try {
                exchange.catchUp(); // what happened while the stream was down
            } catch (RuntimeException e) {
                log.accept("catch-up after the private stream connected failed: " + e.getMessage());
            }
        });
    }

    @Override
    public CompletionStage<?> onPong(WebSocket ws, ByteBuffer message) {
        lastPong = clock.get();
        alive();
        ws.request(1);
        return null;
    }

    /** Reads one message; a malformed one is reported and skipped (the REST catch-up finds what it held). */
    @Override
    protected void handle(String message) {
        JsonNode n;
        try {
            n = UpbitJson.parse(message, "private WebSocket message");
        } catch (UpbitJson.UpbitFormatException e) {
            log.accept(e.getMessage());
            return;
        }
        if (n.has("error")) {
            refused = true;
            log.accept("Upbit refused the private stream's subscription: " + n.get("error") + "; orders are polled by REST");
            return;
        }
        String type = n.path("type").asText("");
        try {
            switch (type) {
                case "myOrder" -> exchange.onMyOrder(UpbitJson.myOrder(n));
                case "myAsset" -> exchange.onMyAsset(UpbitJson.myAsset(n));
                default -> {
                    return; // {"status":"UP"} and the like
                }
            }
        } catch (RuntimeException e) {
            log.accept("private WebSocket " + type + " message skipped: " + e.getMessage());
            return;
        }
        lastPong = clock.get(); // a message is as good as a pong
        alive();
    }

    /** Every second: renew a connection whose pings went unanswered for three intervals. */
    @Override
    protected void tick() {
        if (connected() && clock.get().isAfter(lastPong.plus(pingEvery.multipliedBy(3)))) {
            lastPong = clock.get();
            renew("did not answer pings for " + pingEvery.multipliedBy(3).toSeconds() + " s");
        }
    }
}
