package io.autotrade.exchange.upbit.internal;

import io.autotrade.api.event.DomainEvent;
import io.autotrade.api.event.EventBus;
import io.autotrade.api.trading.Candle;
import io.autotrade.api.trading.CandleClosed;
import io.autotrade.api.trading.PriceRange;
import io.autotrade.api.trading.CandleOpened;
import io.autotrade.api.trading.Market;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.HashMap;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * Live candles from Upbit's REST quotation API ({@code GET candles/minutes/{unit}}, or
 * {@code GET candles/days} for {@value #DAY} minutes: days start at 00:00 UTC, 09:00 KST; at most 200 a call,
 * older pages with {@code to}): each poll publishes, per market, every candle that has closed since
 * the last one published, oldest first, as {@code candle.opened} then {@code candle.closed}. After a
 * gap (the runtime was down, a poll failed) the missed candles are fetched page by page back to the
 * last one published, so none is skipped. Event ids are the candle's own ({@link Candle#eventId}),
 * as the replay's are, so a candle published again after a restart is
 * acknowledged by the journal without reaching a handler twice. Upbit has no candle for a minute
 * without trades; such minutes are simply absent.
 *
 * <p>With the WebSocket stream ({@link MarketStream}) the feed also takes live candle updates
 * ({@link #update}): Upbit sends the forming candle again at each change, so a candle is closed when
 * a later one starts or when its end plus {@code grace} has passed ({@link #closeDue}), whichever
 * comes first. A live candle that leaves a gap after the last one published (the stream was down)
 * is preceded by a REST back-fill of the gap. Every path publishes a market's candles once, in time
 * order: the feed is one lock.
 */
final class CandleFeed {
    private static final DateTimeFormatter TO = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss'Z'").withZone(java.time.ZoneOffset.UTC);
    private static final int PAGE = 200;
    /** The unit, in minutes, of day candles. */
    static final int DAY = 1440;

    private final UpbitClient client;
    private final EventBus bus;
    private final List<Market> markets;
    private final Duration interval;
    private final int unit;
    private final Supplier<Instant> clock;
    private final Consumer<String> log;
    private final Duration history;
    /** Guarded by this feed's lock, as everything it publishes. */
    private final Map<Market, Instant> lastOpen = new HashMap<>();
    private final Map<Market, Candle> forming = new HashMap<>();
    private final Duration grace;

    /**
     * @param client   Upbit's REST API (through the runtime's limiter)
     * @param bus      where candles are published
     * @param markets  the markets to follow
     * @param unit     the candle length in minutes (1, 3, 5, 10, 15, 30, 60, 240, or {@value #DAY}: a day)
     * @param history  how far back the first poll reaches (the strategies' warm-up)
     * @param clock    the time
     * @param grace    how long after its end a live candle is closed if no later one started
     * @param log      warnings
     */
    CandleFeed(UpbitClient client, EventBus bus, List<Market> markets, int unit, Duration history, Supplier<Instant> clock,
            Duration grace, Consumer<String> log) {
        if (!List.of(1, 3, 5, 10, 15, 30, 60, 240, DAY).contains(unit)) {
            throw new IllegalArgumentException("Upbit has no " + unit + "-minute candles (1, 3, 5, 10, 15, 30, 60, 240; "
                    + DAY + " for days)");
        }
        this.client = client;
        this.bus = bus;
        this.markets = List.copyOf(markets);
        this.unit = unit;
        this.interval = Duration.ofMinutes(unit);
        this.history = history;
        this.clock = clock;
        this.grace = grace;
        this.log = log;
    }

    /** @return the markets followed */
    List<Market> markets() {
        return markets;
    }

    /** @return whether Upbit streams candles of this length (it has no day candles on the WebSocket) */
    boolean streamable() {
        return unit < DAY;
    }

    /** @return the candle length, minutes */
    int unit() {
        return unit;
    }

    /** Publishes the candles of every market that closed since the last poll; a market that fails is tried again next time. */
    synchronized void poll() {
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
            List<Candle> page = UpbitJson.candles(client.publicGet(unit == DAY ? "/candles/days" : "/candles/minutes/" + unit, q), interval);
            page.stream().filter(c -> c.openTime().isAfter(after) && !c.openTime().plus(interval).isAfter(now)).forEach(out::add);
            if (page.size() < PAGE || !page.get(0).openTime().isAfter(after)) {
                break;
            }
            to = page.get(0).openTime();
        }
        out.sort(java.util.Comparator.comparing(Candle::openTime));
        return out.stream().distinct().toList();
    }

    /**
     * A live trade price (Upbit's {@code ticker}): published at once as a one-price {@link PriceRange}, not stored,
     * so the protective exits watch every trade between candle closes.
     *
     * @param ticker the market's last trade
     */
    void traded(UpbitJson.Ticker ticker) {
        if (markets.contains(ticker.market())) {
            bus.publish(DomainEvent.of(PriceRange.trade(ticker.market(), ticker.tradeTime(), ticker.tradePrice()),
                    ticker.tradeTime()));
        }
    }

    /**
     * A live update of a market's candle (WebSocket). A candle later than the forming one closes the
     * forming one; an update of a candle already published is ignored (it cannot be amended).
     *
     * @param c the candle as Upbit sends it now
     */
    synchronized void update(Candle c) {
        if (!markets.contains(c.market())) {
            return;
        }
        Candle before = forming.get(c.market());
        if (before != null && c.openTime().isBefore(before.openTime())) {
            return; // an older snapshot
        }
        if (before != null && c.openTime().isAfter(before.openTime())) {
            close(before);
        }
        Instant last = lastOpen.get(c.market());
        if (last == null || c.openTime().isAfter(last)) {
            forming.put(c.market(), c);
        }
    }

    /** Closes each forming candle whose end plus the grace has passed. */
    synchronized void closeDue() {
        Instant now = clock.get();
        for (Candle c : List.copyOf(forming.values())) {
            if (!c.closeTime().plus(grace).isAfter(now)) {
                close(c);
            }
        }
    }

    /** Publishes a live candle, after a REST back-fill when it leaves a gap after the last one published. */
    private void close(Candle c) {
        forming.remove(c.market(), c);
        Instant last = lastOpen.get(c.market());
        if (last != null && !c.openTime().isAfter(last)) {
            return;
        }
        if (last == null || c.openTime().isAfter(last.plus(interval))) {
            try {
                publish(c.market(), fetchSince(c.market()).stream().filter(f -> f.openTime().isBefore(c.openTime())).toList());
            } catch (RuntimeException e) {
                log.accept("candles of " + c.market() + " before " + c.openTime() + " not back-filled: " + e.getMessage()
                        + "; the next poll fetches them");
                return; // published later, in order, by the poll
            }
        }
        publish(c.market(), List.of(c));
    }

    private void publish(Market m, List<Candle> candles) {
        for (Candle c : candles) {
            Instant last = lastOpen.get(m);
            if (last != null && !c.openTime().isAfter(last)) {
                continue;
            }
            bus.publish(DomainEvent.of(new CandleOpened(c.market(), c.openTime(), c.open()), c.openTime(),
                    c.eventId(CandleOpened.KIND.type())));
            bus.publish(DomainEvent.of(new CandleClosed(c), c.closeTime(), c.eventId(CandleClosed.KIND.type())));
            lastOpen.put(m, c.openTime());
        }
    }
}
