package io.autotrade.marketdata.replay.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.autotrade.api.event.DomainEvent;
import io.autotrade.api.marketdata.ReplayException;
import io.autotrade.api.trading.Candle;
import io.autotrade.api.trading.CandleClosed;
import io.autotrade.api.trading.Market;
import io.autotrade.api.trading.ReplayCheckpoint;
import io.autotrade.testing.MemoryEventStore;
import io.autotrade.testing.RecordingEventBus;
import java.lang.annotation.Annotation;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Resuming a replay from the journal's checkpoint: the same file only, warm-up up to the checkpoint, trading after. */
class ReplayMarketDataSourceTest {
    private static final Market BTC = Market.of("KRW-BTC");
    private static final Instant T = Instant.parse("2024-01-01T00:00:00Z");

    @TempDir
    Path dir;

    private static ReplayMarketDataSource.Config config() {
        return new ReplayMarketDataSource.Config() {
            public Class<? extends Annotation> annotationType() {
                return ReplayMarketDataSource.Config.class;
            }

            public long step_timeout_ms() {
                return 1_000;
            }
        };
    }

    private static List<Candle> candles(int n) {
        List<Candle> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            BigDecimal p = BigDecimal.valueOf(100 + i);
            out.add(new Candle(BTC, Duration.ofMinutes(1), T.plusSeconds(60L * i), p, p, p, p, BigDecimal.ONE, null));
        }
        return out;
    }

    private static MemoryEventStore interruptedAt(int candles, String sha256) {
        return MemoryEventStore.of(List.of(DomainEvent.of(new ReplayCheckpoint(BTC, "f.csv", sha256, T,
                T.plusSeconds(60L * candles), candles), T.plusSeconds(60L * candles))));
    }

    @Test
    void aResumedReplayWarmsUpToItsCheckpointAndTradesFromTheNextCandle() throws Exception {
        Path file = Files.writeString(dir.resolve("f.csv"), "the candles");
        RecordingEventBus bus = new RecordingEventBus();
        ReplayMarketDataSource replay = new ReplayMarketDataSource(bus, interruptedAt(3, ReplayMarketDataSource.sha256(file)),
                config());
        List<Candle> done = new ArrayList<>();
        var result = replay.replay(file, candles(5), null, null, done::add);
        assertEquals(5, done.size(), "every candle is done, the warm-up too");
        assertEquals(5, result.candles(), "a resumed run counts the candles of the interrupted one");
        List<String> steps = bus.published().stream().map(e -> e.type() + (e.payload() instanceof CandleClosed c
                && c.warmingUp() ? " warm-up" : "")).toList();
        assertEquals(List.of("candle.closed warm-up", "candle.closed warm-up", "candle.closed warm-up",
                "candle.opened", "market.price_range", "candle.closed",
                "candle.opened", "market.price_range", "candle.closed"), steps);
    }

    @Test
    void aResumeOnAnotherFileIsRefusedNamingBothHashes() throws Exception {
        Path file = Files.writeString(dir.resolve("g.csv"), "other candles");
        ReplayMarketDataSource replay = new ReplayMarketDataSource(new RecordingEventBus(), interruptedAt(3, "ab12"), config());
        ReplayException e = assertThrows(ReplayException.class, () -> replay.replay(file, candles(5), null, null, c -> { }));
        assertTrue(e.getMessage().contains("is not the one the interrupted run replayed (f.csv, SHA-256 ab12; this file's is "
                + ReplayMarketDataSource.sha256(file)), e.getMessage());
    }
}
