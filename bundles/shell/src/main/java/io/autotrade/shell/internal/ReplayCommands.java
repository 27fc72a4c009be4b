package io.autotrade.shell.internal;

import io.autotrade.api.marketdata.MarketDataSource;
import io.autotrade.api.trading.Candle;
import io.autotrade.api.trading.Market;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.apache.felix.service.command.Descriptor;
import org.apache.felix.service.command.Parameter;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/**
 * Gogo command {@code trade:replay}: feeds real candle files into the running pipeline as its market
 * data, in time order across the files, for paper trading with the strategies and settings already
 * configured (unlike {@code trade:backtest}, which sets up a run of its own). Several files of several
 * markets make the strategies of those markets trade side by side on one account.
 */
@Component(service = ReplayCommands.class, property = {"osgi.command.scope=trade", "osgi.command.function=replay",
        "osgi.command.function=span"})
public class ReplayCommands {
    private final MarketDataSource source;

    /** @param source reads candle files and publishes candles, one settled step at a time */
    @Activate
    public ReplayCommands(@Reference MarketDataSource source) {
        this.source = source;
    }

    /**
     * @param files candle files (any format {@code trade:backtest} reads; the market comes from the file or its name)
     * @return candles replayed per market, and the time span
     * @throws IllegalArgumentException if a file cannot be read (file, line and column named)
     */
    @Descriptor("replay candle files into the running pipeline (paper trading), merged in time order across markets")
    public String replay(@Descriptor("candle files, one or more markets") String... files) {
        if (files.length == 0) {
            return "usage: trade:replay FILE [FILE ...]";
        }
        List<Candle> all = new ArrayList<>();
        for (String f : files) {
            all.addAll(source.read(Path.of(f), Optional.empty()));
        }
        all.sort(Comparator.comparing(Candle::openTime).thenComparing(c -> c.market().code()));
        source.replay(all, c -> { });
        Map<Market, Integer> counts = new TreeMap<>(Comparator.comparing(Market::code));
        all.forEach(c -> counts.merge(c.market(), 1, Integer::sum));
        StringBuilder out = new StringBuilder("replayed ");
        counts.forEach((m, n) -> out.append(n).append(' ').append(m.code()).append(" candles, "));
        return out.append("from ").append(all.get(0).openTime()).append(" to ").append(all.get(all.size() - 1).closeTime())
                .append("; see trade:positions, trade:orders, trade:pnl").toString();
    }

    /**
     * @param market the market when the file names none, or empty
     * @param file   a candle file
     * @return {@code MARKET FIRST_OPEN LAST_CLOSE CANDLES INTERVAL}, one line (ISO-8601), for tools such as the
     *         launcher's walk-forward
     */
    @Descriptor("show a candle file's market, first open, last close, candle count and interval, on one line")
    public String span(@Descriptor("market, when the file names none") @Parameter(names = "--market", absentValue = "") String market,
            @Descriptor("candle file") String file) {
        List<Candle> candles = source.read(Path.of(file), market.isBlank() ? Optional.empty() : Optional.of(Market.of(market.strip())));
        Candle first = null;
        Candle last = null;
        int n = 0;
        for (Candle c : candles) {
            first = first == null ? c : first;
            last = c;
            n++;
        }
        if (first == null) {
            throw new IllegalArgumentException(file + " holds no candle");
        }
        return first.market().code() + " " + first.openTime() + " " + last.closeTime() + " " + n + " " + first.interval();
    }
}
