package io.autotrade.exchange.upbit.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.autotrade.api.event.DomainEvent;
import io.autotrade.api.trading.CandleClosed;
import io.autotrade.api.trading.CandleOpened;
import io.autotrade.api.trading.Market;
import io.autotrade.testing.RecordingEventBus;
import io.autotrade.testing.upbit.UpbitStub;
import java.math.BigDecimal;
import java.net.http.HttpClient;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CandleFeedTest {
    private final RecordingEventBus bus = new RecordingEventBus();
    private final List<DomainEvent<?>> published = bus.published();

    @Test
    void closedCandlesArePublishedOldestFirstOnceWithTheReplaysIds() throws Exception {
        try (UpbitStub stub = new UpbitStub(UpbitAuthTest.KEYS.accessKey(), UpbitAuthTest.KEYS.secretKey(), 1, BigDecimal.ZERO)) {
            stub.candles("KRW-BTC", UpbitStub.read(Path.of("../../data/upbit/KRW-BTC_1m_2020-02-20.csv")));
            UpbitClient client = new UpbitClient(HttpClient.newHttpClient(), stub.restUrl(), null,
                    new RateLimiter(Map.of(), RateLimiter.SYSTEM, r -> { }), Duration.ofSeconds(5));
            Instant[] now = {Instant.parse("2020-02-20T11:45:30Z")};
            List<String> warnings = new ArrayList<>();
            CandleFeed feed = new CandleFeed(client, bus, List.of(Market.of("KRW-BTC")), 1, Duration.ofHours(2), () -> now[0],
                    Duration.ofSeconds(2), warnings::add);
            feed.poll();
            List<CandleClosed> closed = published.stream().map(DomainEvent::payload).filter(CandleClosed.class::isInstance)
                    .map(CandleClosed.class::cast).toList();
            assertTrue(closed.size() > 10, "the candles up to now: " + closed.size());
            for (int i = 1; i < closed.size(); i++) {
                assertTrue(closed.get(i - 1).candle().openTime().isBefore(closed.get(i).candle().openTime()));
            }
            assertEquals(Instant.parse("2020-02-20T11:44:00Z"), closed.get(closed.size() - 1).candle().openTime(),
                    "the candle of 11:45 is still forming");
            assertTrue(published.get(0).payload() instanceof CandleOpened, "each candle opens, then closes");
            assertEquals(closed.get(0).candle().eventId("candle.closed"), published.get(1).eventId());

            int before = published.size();
            feed.poll();
            assertEquals(before, published.size(), "nothing new: nothing published twice");
            now[0] = Instant.parse("2020-02-20T12:10:00Z");
            feed.poll();
            List<Instant> later = published.subList(before, published.size()).stream().map(DomainEvent::payload)
                    .filter(CandleClosed.class::isInstance).map(c -> ((CandleClosed) c).candle().openTime()).toList();
            assertTrue(!later.isEmpty() && later.get(0).isAfter(Instant.parse("2020-02-20T11:44:00Z")), later.toString());
            assertEquals(List.of(), warnings);
        }
    }

    @Test
    void dayCandlesComeFromCandlesDays() throws Exception {
        try (UpbitStub stub = new UpbitStub(UpbitAuthTest.KEYS.accessKey(), UpbitAuthTest.KEYS.secretKey(), CandleFeed.DAY, BigDecimal.ZERO)) {
            List<UpbitStub.StubCandle> days = new ArrayList<>();
            for (int d = 0; d < 90; d++) {
                BigDecimal price = BigDecimal.valueOf(58_000_000L + d * 100_000L);
                days.add(new UpbitStub.StubCandle(Instant.parse("2024-01-01T00:00:00Z").plus(Duration.ofDays(d)), price, price, price,
                        price, BigDecimal.TEN));
            }
            stub.candles("KRW-BTC", days);
            UpbitClient client = new UpbitClient(HttpClient.newHttpClient(), stub.restUrl(), null,
                    new RateLimiter(Map.of(), RateLimiter.SYSTEM, r -> { }), Duration.ofSeconds(5));
            CandleFeed feed = new CandleFeed(client, bus, List.of(Market.of("KRW-BTC")), CandleFeed.DAY, Duration.ofDays(30),
                    () -> Instant.parse("2024-03-01T12:00:00Z"), Duration.ofSeconds(2), r -> { });
            feed.poll();
            List<CandleClosed> closed = published.stream().map(DomainEvent::payload).filter(CandleClosed.class::isInstance)
                    .map(CandleClosed.class::cast).toList();
            assertEquals(30, closed.size(), "the 30 days before 2024-03-01, each closed");
            assertEquals(Instant.parse("2024-02-29T00:00:00Z"), closed.get(29).candle().openTime());
            assertEquals(Duration.ofDays(1), closed.get(29).candle().interval());
            assertTrue(!feed.streamable());
        }
    }
}
