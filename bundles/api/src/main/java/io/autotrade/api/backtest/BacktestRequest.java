package io.autotrade.api.backtest;

import java.math.BigDecimal;
import java.nio.file.Path;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * A backtest to run.
 *
 * @param data           the candle file (any format {@code MarketDataSource} reads)
 * @param market         the market, required when the file names none
 * @param strategyPid    the factory PID of the strategy component, e.g. {@code io.autotrade.strategy.rsi}
 * @param strategyConfig the strategy's configuration properties (strings, converted by DS)
 * @param initialCash    starting balance in the market's quote currency, &gt; 0; null for the quote
 *                       currency's default ({@code QuoteCurrency.defaultCash()}: KRW 10,000,000, USDT 10,000,
 *                       BTC 0.1)
 * @param reportFile     where to write the JSON report, or empty for none
 * @param htmlFile       where to write the HTML report (charts, metrics, trades), or empty for none
 * @param resume         continue a run that was interrupted (a crash, a kill) on the same database:
 *                       the candles already journaled are acknowledged without being replayed again
 *                       and the unfinished work is redelivered; without it the database must be empty
 * @param riskConfig     risk manager settings for this run (PID {@code io.autotrade.manager.risk}, e.g.
 *                       {@code max.order.notional=500000}); empty for its defaults
 * @param monteCarloRuns sequences of the Monte Carlo of the round trips ({@link Tearsheet.MonteCarlo}); 0 for none
 * @param seed           the seed of the Monte Carlo's random draws
 * @param warmUpFrom     the first candle open replayed (earlier candles are skipped), or null: from the file's start
 * @param tradeFrom      the first candle open that trades: the candles before it (from {@code warmUpFrom}) only warm the
 *                       strategy up, and the report covers the candles from here; null: every replayed candle trades
 * @param tradeTo        the first candle open not replayed, or null: to the file's end
 */
public record BacktestRequest(Path data, Optional<String> market, String strategyPid,
        Map<String, String> strategyConfig, BigDecimal initialCash, Optional<Path> reportFile, Optional<Path> htmlFile,
        boolean resume, Map<String, String> riskConfig, int monteCarloRuns, long seed, java.time.Instant warmUpFrom,
        java.time.Instant tradeFrom, java.time.Instant tradeTo) {

    /** The seed a run uses when none is given. */
    public static final long DEFAULT_SEED = 42;

    /**
     * A request with the risk manager's default limits.
     *
     * @throws IllegalArgumentException if a field is missing or the cash is not positive
     */
    public BacktestRequest(Path data, Optional<String> market, String strategyPid, Map<String, String> strategyConfig,
            BigDecimal initialCash, Optional<Path> reportFile) {
        this(data, market, strategyPid, strategyConfig, initialCash, reportFile, Optional.empty(), false, Map.of(), 0, DEFAULT_SEED,
                null, null, null);
    }

    /** @throws IllegalArgumentException if a field is missing or the cash is not positive */
    public BacktestRequest {
        Objects.requireNonNull(data, "data");
        Objects.requireNonNull(market, "market");
        Objects.requireNonNull(strategyPid, "strategyPid");
        strategyConfig = ordered(Objects.requireNonNull(strategyConfig, "strategyConfig"));
        Objects.requireNonNull(reportFile, "reportFile");
        Objects.requireNonNull(htmlFile, "htmlFile");
        riskConfig = ordered(Objects.requireNonNull(riskConfig, "riskConfig"));
        if (monteCarloRuns < 0 || monteCarloRuns > 1_000_000) {
            throw new IllegalArgumentException("Monte Carlo runs must be 0..1000000, was " + monteCarloRuns);
        }
        if (tradeFrom != null && tradeTo != null && !tradeFrom.isBefore(tradeTo)) {
            throw new IllegalArgumentException("the window must end after it starts: from " + tradeFrom + " to " + tradeTo);
        }
        if (warmUpFrom != null && tradeFrom != null && warmUpFrom.isAfter(tradeFrom)) {
            throw new IllegalArgumentException("the warm-up must start before trading does: warm-up from " + warmUpFrom
                    + ", trading from " + tradeFrom);
        }
        if (initialCash != null && initialCash.signum() <= 0) {
            throw new IllegalArgumentException("initial cash must be > 0, was " + initialCash.toPlainString());
        }
    }

    /** @return an unmodifiable copy in the given order (the report lists the settings as they were asked) */
    private static Map<String, String> ordered(Map<String, String> settings) {
        return java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(settings));
    }
}
