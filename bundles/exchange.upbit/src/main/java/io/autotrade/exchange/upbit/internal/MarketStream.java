package io.autotrade.exchange.upbit.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import java.net.URI;
import java.net.http.HttpClient;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * Upbit's quotation WebSocket ({@code wss://api.upbit.com/websocket/v1}, Upbit API docs "WebSocket"): one
 * connection ({@link UpbitSocket}) subscribed to {@code ticker}, {@code trade} and {@code candle.<unit>m} of
 * the feed's markets.
 *
 * <ul>
 *   <li>Candle messages go to the {@link CandleFeed} ({@link CandleFeed#update}), which closes and
 *       publishes them; every second candles whose end has passed are closed ({@link CandleFeed#closeDue}).</li>
 *   <li>Ticker and trade messages show the feed is alive (a message counts only if it reads as one).</li>
 *   <li>Every new connection is followed by a REST back-fill ({@link CandleFeed#poll}) of the candles
 *       closed while it was down.</li>
 *   <li><b>Stale-feed watchdog</b>: when no market data message has arrived for {@code staleAfter}, the
 *       connection is taken as dead (a connection can stay open and say nothing) and renewed. A market
 *       without trades sends nothing either, so {@code staleAfter} should be longer than the quietest
 *       followed market's silence.</li>
 * </ul>
 */
final class MarketStream extends UpbitSocket {
    private final CandleFeed feed;
    private final Duration staleAfter;
    private final Supplier<Instant> clock;
    private volatile Instant lastMessage;

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
        super("market data stream", http, uri, pingEvery, timer, log);
        this.feed = feed;
        this.staleAfter = staleAfter;
        this.clock = clock;
        this.lastMessage = clock.get();
    }

    @Override
    protected String subscription() {
        ArrayNode request = UpbitJson.MAPPER.createArrayNode();
        request.addObject().put("ticket", "autotrade-" + UUID.randomUUID());
        for (String type : new String[] {"ticker", "trade", "candle." + feed.unit() + "m"}) {
            ArrayNode codes = request.addObject().put("type", type).putArray("codes");
            feed.markets().forEach(m -> codes.add(m.code()));
        }
        request.addObject().put("format", "DEFAULT");
        return request.toString();
    }

    @Override
    protected void opened() {
        lastMessage = clock.get();
        timer.execute(() -> {
            try {
                feed.poll(); // what closed while the stream was down
            } catch (RuntimeException e) {
                log.accept("back-fill after connecting failed: " + e.getMessage());
            }
        });
    }

    /** Reads one message; a malformed one is reported and skipped, the stream goes on. */
    @Override
    protected void handle(String message) {
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
            } else if (type.equals("ticker")) {
                feed.traded(UpbitJson.ticker(n)); // the protective exits watch every trade price
            } else if (type.equals("trade")) {
                UpbitJson.ticker(n); // read, so a malformed message does not count as the feed being alive
            } else {
                return; // {"status":"UP"} and other replies carry no market data
            }
        } catch (RuntimeException e) {
            log.accept("WebSocket " + type + " message skipped: " + e.getMessage());
            return;
        }
        lastMessage = clock.get();
        alive();
    }

    /** Every second: close due candles; renew a connection that has been silent too long. */
    @Override
    protected void tick() {
        try {
            feed.closeDue();
        } catch (RuntimeException e) {
            log.accept("closing due candles failed: " + e.getMessage());
        }
        if (connected() && clock.get().isAfter(lastMessage.plus(staleAfter))) {
            lastMessage = clock.get();
            renew("stale: no market data for " + staleAfter.toSeconds() + " s");
        }
    }
}
