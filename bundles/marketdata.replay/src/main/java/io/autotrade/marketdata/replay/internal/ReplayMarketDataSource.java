package io.autotrade.marketdata.replay.internal;

import io.autotrade.api.event.DomainEvent;
import io.autotrade.api.event.EventBus;
import io.autotrade.api.event.EventQuery;
import io.autotrade.api.event.EventStore;
import io.autotrade.api.marketdata.MarketDataSource;
import io.autotrade.api.marketdata.ReplayException;
import io.autotrade.api.marketdata.ReplayListener;
import io.autotrade.api.marketdata.ReplayResult;
import io.autotrade.api.trading.Candle;
import io.autotrade.api.trading.CandleClosed;
import io.autotrade.api.trading.PriceRange;
import io.autotrade.api.trading.CandleOpened;
import io.autotrade.api.trading.Market;
import io.autotrade.api.trading.ReplayCheckpoint;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.Optional;
import java.util.concurrent.TimeoutException;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/**
 * Replays candle files through the bus, one step at a time: {@code CandleOpened} (the paper exchange
 * fills orders placed during the previous candle at this open), then {@code PriceRange} (the candle's open, low
 * and high: the protective exits act inside the candle), then {@code CandleClosed} (strategies decide). Each step is published only after the bus is quiet, so every consequence of
 * one candle is handled before the next is seen: replays are deterministic.
 */
@Component(service = MarketDataSource.class)
@Designate(ocd = ReplayMarketDataSource.Config.class)
public class ReplayMarketDataSource implements MarketDataSource {

    /** Configuration, PID {@code io.autotrade.marketdata.replay.internal.ReplayMarketDataSource}. */
    @ObjectClassDefinition(name = "autotrade candle replay")
    public @interface Config {
        /** @return how long one replay step may take to settle, ms */
        @AttributeDefinition(name = "Step timeout (ms)", description = "How long the consequences of one candle may take to be handled", min = "1")
        long step_timeout_ms() default 30_000;
    }

    private final CandleFileReader reader = new CandleFileReader();
    private final EventBus bus;
    private final EventStore store;
    private final Duration stepTimeout;

    /**
     * @param bus    where candles are published
     * @param store  the candles journaled before (their ranges are not published again)
     * @param config step timeout
     */
    @Activate
    public ReplayMarketDataSource(@Reference EventBus bus, @Reference EventStore store, Config config) {
        this.bus = bus;
        this.store = store;
        this.stepTimeout = Duration.ofMillis(config.step_timeout_ms());
    }

    @Override
    public List<Candle> read(Path file, Optional<Market> market) {
        return reader.read(file, market);
    }

    @Override
    public ReplayResult replay(List<Candle> candles, Instant tradeFrom, Instant tradeTo, ReplayListener listener) {
        return replay(null, candles, tradeFrom, tradeTo, listener);
    }

    @Override
    public ReplayResult replay(Path source, List<Candle> candles, Instant tradeFrom, Instant tradeTo,
            ReplayListener listener) {
        if (candles.isEmpty()) {
            throw new IllegalArgumentException("nothing to replay: no candles");
        }
        Candle first = candles.get(0);
        Market market = first.market();
        CompletableFuture<String> sha256 = source == null ? CompletableFuture.completedFuture("")
                : CompletableFuture.supplyAsync(() -> sha256(source)); // beside the replay: the first checkpoint needs it
        ReplayCheckpoint resumed = store.query(EventQuery.ofType(ReplayCheckpoint.KIND.type()).aggregate(market.code()))
                .stream().map(e -> (ReplayCheckpoint) e.payload()).reduce((a, b) -> b).orElse(null);
        if (resumed != null) {
            checkSameFile(source, resumed, join(sha256));
        }
        // candles journaled row by row before (a journal of a bus that journals replays, a file replayed again): their
        // events are not dispatched again, and their range (not journaled) must not be either, or the protective exits
        // would act on old prices
        Set<UUID> closedBefore = new HashSet<>();
        store.query(EventQuery.ofType(CandleClosed.KIND.type()).since(first.closeTime())) // only this span's
                .forEach(e -> closedBefore.add(e.eventId()));
        Candle[] ends = new Candle[2]; // the first and the last that trade: the candles may be streamed from their file, read once
        int[] traded = new int[1];
        String sourceName = source == null ? "candles" : String.valueOf(source.getFileName());
        bus.drive(() -> { // this thread delivers every step: deterministic, and no hand-off between threads per event
            long handled = 0;
            for (Candle candle : candles) {
                if (tradeTo != null && !candle.openTime().isBefore(tradeTo)) {
                    break;
                }
                boolean windowWarmUp = tradeFrom != null && candle.openTime().isBefore(tradeFrom);
                // handled whole by the interrupted run this one resumes: its consequences are journaled, the
                // strategies and books only learn its prices again
                boolean handledBefore = resumed != null && !candle.closeTime().isAfter(resumed.through());
                if (!windowWarmUp) {
                    ends[0] = ends[0] == null ? candle : ends[0];
                    ends[1] = candle;
                    traded[0]++;
                }
                boolean learnOnly = windowWarmUp || handledBefore;
                UUID closedId = candle.eventId(CandleClosed.KIND.type());
                if (!learnOnly) {
                    step(candle, DomainEvent.of(new CandleOpened(candle.market(), candle.openTime(), candle.open()),
                            candle.openTime(), candle.eventId(CandleOpened.KIND.type())));
                    // inside the candle: the protective exits see its range (an entry at the open is exposed to it)
                    // and act before anyone sees the close
                    if (!closedBefore.contains(closedId)) {
                        step(candle, DomainEvent.of(PriceRange.of(candle), candle.openTime(),
                                candle.eventId(PriceRange.KIND.type())));
                    }
                }
                step(candle, DomainEvent.of(new CandleClosed(candle, learnOnly ? Boolean.TRUE : null), candle.closeTime(),
                        closedId));
                long count = ++handled;
                bus.boundary(() -> DomainEvent.of(new ReplayCheckpoint(market, sourceName, join(sha256), first.openTime(),
                        candle.closeTime(), count), candle.closeTime()));
                listener.candleDone(candle);
            }
        });
        if (ends[0] == null) {
            throw new ReplayException("no candle of " + market + " opens in the window from " + tradeFrom
                    + " to " + tradeTo + ": nothing traded", null);
        }
        return new ReplayResult(ends[0].market(), traded[0], ends[0].openTime(), ends[1].closeTime());
    }

    /** @throws ReplayException if the file is not the one the interrupted run replayed */
    private static void checkSameFile(Path source, ReplayCheckpoint resumed, String sha256) {
        if (!resumed.sha256().isEmpty() && !sha256.isEmpty() && !resumed.sha256().equals(sha256)) {
            throw new ReplayException("the candle file " + source + " is not the one the interrupted run replayed ("
                    + resumed.source() + ", SHA-256 " + resumed.sha256() + "; this file's is " + sha256
                    + "): resume with that file, or start a fresh --db folder", null);
        }
    }

    /** @return the file's SHA-256, lower-case hex */
    static String sha256(Path file) {
        try {
            java.security.MessageDigest digest = java.security.MessageDigest.getInstance("SHA-256");
            try (java.io.InputStream in = new java.security.DigestInputStream(java.nio.file.Files.newInputStream(file), digest)) {
                in.transferTo(java.io.OutputStream.nullOutputStream());
            }
            return java.util.HexFormat.of().formatHex(digest.digest());
        } catch (java.io.IOException e) {
            throw new ReplayException("cannot read the candle file " + file + " to take its SHA-256: " + e.getMessage(), e);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException("this JVM has no SHA-256 (every Java SE has it)", e);
        }
    }

    private static String join(CompletableFuture<String> sha256) {
        try {
            return sha256.join();
        } catch (java.util.concurrent.CompletionException e) {
            throw e.getCause() instanceof RuntimeException r ? r : e;
        }
    }

    private void step(Candle candle, DomainEvent<?> event) {
        bus.publishReplayed(event);
        try {
            bus.awaitQuiescence(stepTimeout);
        } catch (TimeoutException e) {
            throw new ReplayException("the pipeline did not settle within " + stepTimeout.toMillis() + " ms after "
                    + event.type() + " of the " + candle.market() + " candle opening at " + candle.openTime(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ReplayException("replay interrupted at the " + candle.market() + " candle opening at "
                    + candle.openTime(), e);
        }
    }
}
