package io.autotrade.exchange.upbit.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.autotrade.api.trading.CandleClosed;
import io.autotrade.api.trading.PriceRange;
import io.autotrade.api.trading.Market;
import io.autotrade.testing.RecordingEventBus;
import io.autotrade.testing.upbit.UpbitStub;
import io.autotrade.testing.upbit.UpbitStub.StubCandle;
import java.math.BigDecimal;
import java.net.URI;
import java.net.http.HttpClient;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The WebSocket stream against the stub's: subscription, live candles, reconnect with back-fill, the stale-feed watchdog. */
class MarketStreamTest {
    private static final Market BTC = Market.of("KRW-BTC");
    private final RecordingEventBus bus = new RecordingEventBus();
    private final List<String> warnings = new CopyOnWriteArrayList<>();
    private UpbitStub stub;
    private ScheduledExecutorService timer;
    private MarketStream stream;
    private Instant minute;

    @BeforeEach
    void start() {
        stub = new UpbitStub(UpbitAuthTest.KEYS.accessKey(), UpbitAuthTest.KEYS.secretKey(), 1, BigDecimal.ZERO);
        minute = Instant.now().truncatedTo(ChronoUnit.MINUTES);
        List<StubCandle> history = new ArrayList<>();
        for (int i = 10; i >= 3; i--) {
            history.add(candle(minute.minus(Duration.ofMinutes(i)), 100_000_000 - i * 10_000));
        }
        stub.candles(BTC.code(), history);
        timer = Executors.newScheduledThreadPool(2);
    }

    @AfterEach
    void stop() {
        if (stream != null) {
            stream.stop();
        }
        timer.shutdownNow();
        stub.close();
    }

    private static StubCandle candle(Instant open, long close) {
        BigDecimal c = BigDecimal.valueOf(close);
        return new StubCandle(open, c, c, c, c, new BigDecimal("1.5"));
    }

    private MarketStream stream(Duration staleAfter) {
        UpbitClient client = new UpbitClient(HttpClient.newHttpClient(), stub.restUrl(), null,
                new RateLimiter(Map.of(), RateLimiter.SYSTEM, r -> { }), Duration.ofSeconds(5));
        CandleFeed feed = new CandleFeed(client, bus, List.of(BTC), 1, Duration.ofMinutes(30), Instant::now, Duration.ofMillis(500),
                warnings::add);
        stream = new MarketStream(HttpClient.newHttpClient(), URI.create(stub.wsUrl()), feed, staleAfter, Duration.ofSeconds(5), timer,
                Instant::now, warnings::add);
        stream.start();
        return stream;
    }

    private List<Instant> closedOpens() {
        return bus.payloads(CandleClosed.class).stream().map(c -> c.candle().openTime()).toList();
    }

    /** Waits up to 15 s for the condition; @throws AssertionError naming {@code what} when it does not come */
    static void await(String what, Callable<Boolean> condition) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
        while (!condition.call()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError(what);
            }
            Thread.sleep(50);
        }
    }

    @Test
    void liveCandlesArePublishedOnceInOrderAfterTheHistory() throws Exception {
        stream(Duration.ofMinutes(1));
        await("the history, from REST", () -> closedOpens().size() == 8);
        await("subscribed", () -> !stub.streamRequests().isEmpty());
        String request = stub.streamRequests().get(0);
        assertTrue(request.contains("\"ticket\"") && request.contains("\"candle.1m\"") && request.contains("\"ticker\"")
                && request.contains("\"trade\"") && request.contains("KRW-BTC") && request.contains("DEFAULT"), request);

        // a candle whose end has passed is closed by the timer
        Instant ended = minute.minus(Duration.ofMinutes(2));
        stub.pushCandle(BTC.code(), candle(ended, 100_000_000));
        await("the candle of " + ended + " closed by the timer", () -> closedOpens().contains(ended));
        // the forming candle changes, then the next one starts: the first is closed with its last values
        Instant a = minute;
        stub.pushCandle(BTC.code(), candle(a, 100_000_000));
        stub.pushCandle(BTC.code(), candle(a, 100_100_000));
        stub.pushCandle(BTC.code(), candle(a.plus(Duration.ofMinutes(1)), 100_200_000));
        await("the candle of " + a + " closed when the next started", () -> closedOpens().contains(a));
        CandleClosed closedA = bus.payloads(CandleClosed.class).stream().filter(c -> c.candle().openTime().equals(a)).findFirst()
                .orElseThrow();
        assertEquals(0, new BigDecimal("100100000").compareTo(closedA.candle().close()), "the last update counts");
        await("each ticker is a trade price for the protective exits", () -> bus.payloads(PriceRange.class).stream()
                .anyMatch(r -> r.low().compareTo(new BigDecimal("100200000")) == 0 && r.high().compareTo(r.low()) == 0));
        stub.pushCandle(BTC.code(), candle(ended, 100_300_000)); // a late update of a published candle
        Thread.sleep(1500);
        List<Instant> opens = closedOpens();
        assertEquals(opens.stream().distinct().sorted().toList(), opens, "each candle once, in time order");
        assertEquals(10, opens.size(), "8 from history, 2 live; the next one is still forming");
    }

    @Test
    void aDroppedConnectionIsRenewedAndTheCandlesMissedMeanwhileAreBackFilled() throws Exception {
        stream(Duration.ofMinutes(1));
        await("connected", () -> stream.connections() == 1 && stub.streamConnections() == 1);
        await("the history", () -> closedOpens().size() == 8);
        stub.dropStreams();
        // while the stream is down two candles close on Upbit (REST has them, nobody streams them)
        stub.candles(BTC.code(), List.of(candle(minute.minus(Duration.ofMinutes(2)), 99_000_000),
                candle(minute.minus(Duration.ofMinutes(1)), 99_100_000)));
        await("reconnected", () -> stream.connections() == 2 && stub.streamConnections() == 1);
        await("the missed candles back-filled", () -> closedOpens().size() == 10);
        assertTrue(warnings.stream().anyMatch(w -> w.contains("reconnecting")), warnings.toString());
    }

    @Test
    void aConnectedButSilentStreamIsRenewedByTheWatchdog() throws Exception {
        stream(Duration.ofSeconds(2));
        await("connected", () -> stream.connections() == 1);
        stub.pushCandle(BTC.code(), candle(minute, 100_000_000)); // one message, then silence
        stub.silence(true);
        await("the watchdog renewed the connection", () -> stream.connections() >= 2);
        assertTrue(warnings.stream().anyMatch(w -> w.contains("market data stream stale")), warnings.toString());
    }
}
