package io.autotrade.api.backtest;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.YearMonth;
import java.util.List;
import java.util.Objects;

/**
 * The research figures of a run beside its {@link Metrics}, after the manner of a QuantStats tearsheet. Every
 * return and equity here is after fees unless its name says otherwise; fractions are half-even to
 * {@link BacktestReport#RATIO_SCALE} places.
 *
 * @param firstPrice        the first candle's open, quote per base: the buy-and-hold benchmark buys there
 * @param monthlyReturns    each UTC calendar month the run touched, in order: its last equity over the month before's
 *                          (the first month's over the initial cash), minus 1
 * @param drawdowns         the five deepest falls of equity from a running peak, deepest first (fewer when there were
 *                          fewer), measured over every candle close
 * @param rollingWindowDays the days of the rolling Sharpe's window
 * @param rollingSharpe     the Sharpe ratio of the daily returns (UTC days) of the last {@code rollingWindowDays}, annualized
 *                          by the square root of {@value Metrics#ANNUALIZATION_DAYS}, for each day from the window's
 *                          last; empty for a shorter run
 * @param expectancy        the mean PnL after fees per round trip, quote currency; null without round trips
 * @param longestWinStreak  the most round trips in a row with a gain after fees
 * @param longestLossStreak the most round trips in a row with a loss after fees
 * @param averageHolding    the mean time from entry to exit; null without round trips
 * @param monteCarlo        the bootstrap of the round trips, or null when the run did not ask for it
 */
public record Tearsheet(BigDecimal firstPrice, List<MonthlyReturn> monthlyReturns, List<Drawdown> drawdowns,
        int rollingWindowDays, List<RollingValue> rollingSharpe, BigDecimal expectancy, int longestWinStreak,
        int longestLossStreak, Duration averageHolding, MonteCarlo monteCarlo) {

    /** Copies the lists. */
    public Tearsheet {
        Objects.requireNonNull(firstPrice, "firstPrice");
        monthlyReturns = List.copyOf(monthlyReturns);
        drawdowns = List.copyOf(drawdowns);
        rollingSharpe = List.copyOf(rollingSharpe);
    }

    /**
     * @param initialCash the run's starting cash, quote currency
     * @param close       a close price, quote per base
     * @return what the initial cash, all bought at {@link #firstPrice} (before fees), is worth at that close, half-even
     *         to 8 places
     */
    public BigDecimal benchmarkEquity(BigDecimal initialCash, BigDecimal close) {
        return initialCash.multiply(close).divide(firstPrice, 8, RoundingMode.HALF_EVEN);
    }

    /**
     * One calendar month.
     *
     * @param month     the month, UTC
     * @param endEquity the last equity of the month, quote currency
     * @param ret       endEquity over the month before's (or the initial cash), minus 1; after fees
     */
    public record MonthlyReturn(YearMonth month, BigDecimal endEquity, BigDecimal ret) {
    }

    /**
     * One fall of equity from a peak and its way back.
     *
     * @param peak     when the equity stood at the peak it fell from
     * @param trough   when it was lowest
     * @param recovery when it first stood at the peak again, or null when it had not by the end
     * @param depth    (peak - trough) / peak, a fraction
     * @param length   from the peak to the recovery, or to the run's end when not recovered
     */
    public record Drawdown(Instant peak, Instant trough, Instant recovery, BigDecimal depth, Duration length) {
    }

    /**
     * One day's value of a rolling figure.
     *
     * @param day   the UTC day the window ends on
     * @param value the figure, or null when it is undefined (no variation in the window)
     */
    public record RollingValue(LocalDate day, BigDecimal value) {
    }

    /**
     * The run's round trips drawn again at random with replacement (a bootstrap), as many as it had, in
     * {@code runs} sequences: how final equity and the deepest drawdown spread when the same trades come in
     * another order and mix.
     *
     * @param runs         sequences drawn
     * @param seed         the random generator's seed: the same seed gives the same figures
     * @param tradesPerRun round trips per sequence
     * @param finalEquity  percentiles of the final equity, quote currency, after fees
     * @param maxDrawdown  percentiles of the deepest fall from a running peak, fractions
     */
    public record MonteCarlo(int runs, long seed, int tradesPerRun, Percentiles finalEquity, Percentiles maxDrawdown) {
    }

    /**
     * The 5th, 50th and 95th percentiles of a sample (nearest rank).
     *
     * @param p5  5th percentile
     * @param p50 the median
     * @param p95 95th percentile
     */
    public record Percentiles(BigDecimal p5, BigDecimal p50, BigDecimal p95) {
    }
}
