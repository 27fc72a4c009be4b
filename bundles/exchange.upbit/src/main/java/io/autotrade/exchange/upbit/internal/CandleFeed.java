package io.autotrade.exchange.upbit.internal;

import io.autotrade.api.event.DomainEvent;
import io.autotrade.api.event.EventBus;
import io.autotrade.api.trading.Candle;
import io.autotrade.api.trading.CandleClosed;
import io.autotrade.api.trading.CandleOpened;
import io.autotrade.api.trading.Market;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * Live candles from Upbit's REST quotation API ({@code GET candles/minutes/{unit}}, at most 200 a call,
 * older pages with {@code to}): each poll publishes, per market, every candle that has closed since
 * the last one published, oldest first, as {@code candle.opened} then {@code candle.closed}. After a
 * gap (the runtime was down, a poll failed) the missed candles are fetched page by page back to the
 * last one published, so none is skipped. Event ids are the candle's own ({@link Candle#eventId}),
 * as the replay's are, so a candle published again after a restart is
 * acknowledged by the journal without reaching a handler twice. Upbit has no candle for a minute
 * without trades; such minutes are simply absent.
 */
final class CandleFeed {
    private static final DateTimeFormatter TO = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss'Z'").withZone(java.time.ZoneOffset.UTC);
    private static final int PAGE = 200;

    private final UpbitClient client;
    private final EventBus bus;
    private final List<Market> markets;
    private final Duration interval;
    private final int unit;
    private final Supplier<Instant> clock;
    private final Consumer<String> log;
    private final Duration history;
    private final Map<Market, Instant> lastOpen = new ConcurrentHashMap<>();

    /**
     * @param client   Upbit's REST API (through the runtime's limiter)
     * @param bus      where candles are published
     * @param markets  the markets to follow
     * @param unit     the candle length in minutes (1, 3, 5, 10, 15, 30, 60, 240)
     * @param history  how far back the first poll reaches (the strategies' warm-up)
     * @param clock    the time
     * @param log      warnings
     */
    CandleFeed(UpbitClient client, EventBus bus, List<Market> markets, int unit, Duration history, Supplier<Instant> clock,
            Consumer<String> log) {
        if (!List.of(1, 3, 5, 10, 15, 30, 60, 240).contains(unit)) {
            throw new IllegalArgumentException("Upbit has no " + unit + "-minute candles (1, 3, 5, 10, 15, 30, 60, 240)");
        }
        this.client = client;
        this.bus = bus;
        this.markets = List.copyOf(markets);
        this.unit = unit;
        this.interval = Duration.ofMinutes(unit);
        this.history = history;
        this.clock = clock;
        this.log = log;
    }

    /** Publishes the candles of every market that closed since the last poll; a market that fails is tried again next time. */
    void poll() {
        for (Market m : markets) {
            try {
                publish(m, fetchSince(m));
            } catch (RuntimeException e) {
                log.accept("candles of " + m + " not fetched: " + e.getMessage() + "; tried again at the next poll");
            }
        }
    }

    /** @return the closed candles after the last one published (or within the history on the first poll), oldest first */
    private List<Candle> fetchSince(Market m) {
        Instant now = clock.get();
        Instant after = lastOpen.getOrDefault(m, now.minus(history).minus(interval));
        List<Candle> out = new ArrayList<>();
        Instant to = null;
        while (true) {
            Query q = new Query().add("market", m.code()).add("count", PAGE).add("to", to == null ? null : TO.format(to));
            List<Candle> page = UpbitJson.candles(client.publicGet("/candles/minutes/" + unit, q), interval);
            page.stream().filter(c -> c.openTime().isAfter(after) && !c.openTime().plus(interval).isAfter(now)).forEach(out::add);
            if (page.size() < PAGE || !page.get(0).openTime().isAfter(after)) {
                break;
            }
            to = page.get(0).openTime();
        }
        out.sort(java.util.Comparator.comparing(Candle::openTime));
        return out.stream().distinct().toList();
    }

    private void publish(Market m, List<Candle> candles) {
        for (Candle c : candles) {
            bus.publish(DomainEvent.of(new CandleOpened(c.market(), c.openTime(), c.open()), c.openTime(),
                    c.eventId(CandleOpened.KIND.type())));
            bus.publish(DomainEvent.of(new CandleClosed(c), c.closeTime(), c.eventId(CandleClosed.KIND.type())));
            lastOpen.put(m, c.openTime());
        }
    }
}
