package io.autotrade.backtest.internal;

import io.autotrade.api.backtest.BacktestReport;
import io.autotrade.api.backtest.ClosedTrade;
import io.autotrade.api.backtest.Tearsheet;
import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/** Builds a run's {@link Tearsheet} from its folded equity curve and its round trips. */
final class Tearsheets {
    /** Days of the rolling Sharpe's window. */
    static final int ROLLING_DAYS = 30;
    private static final int SCALE = BacktestReport.RATIO_SCALE;

    private Tearsheets() {
    }

    /**
     * @param firstPrice     the first candle's open
     * @param curve          every candle close's mark, folded
     * @param end            the last candle's close time
     * @param trips          the round trips, in order
     * @param monteCarloRuns sequences for the Monte Carlo, 0 for none
     * @param seed           its seed
     * @return the tearsheet
     */
    static Tearsheet build(BigDecimal firstPrice, EquityCurve curve, Instant end, List<ClosedTrade> trips, int monteCarloRuns,
            long seed) {
        BigDecimal expectancy = trips.isEmpty() ? null : trips.stream().map(ClosedTrade::pnl).reduce(BigDecimal.ZERO, BigDecimal::add)
                .divide(BigDecimal.valueOf(trips.size()), MathContext.DECIMAL64);
        Duration averageHolding = trips.isEmpty() ? null
                : trips.stream().map(ClosedTrade::holding).reduce(Duration.ZERO, Duration::plus).dividedBy(trips.size());
        return new Tearsheet(firstPrice, monthlyReturns(curve.initialCash(), curve.lastOfMonth()), curve.worstDrawdowns(end),
                ROLLING_DAYS, rollingSharpe(curve.initialCash(), curve.lastOfDay(), ROLLING_DAYS), expectancy,
                streak(trips, 1), streak(trips, -1), averageHolding,
                monteCarloRuns == 0 || trips.isEmpty() ? null : monteCarlo(curve.initialCash(), trips, monteCarloRuns, seed));
    }

    /** @return each month's last equity over the month before's (the first over the initial cash), minus 1 */
    static List<Tearsheet.MonthlyReturn> monthlyReturns(BigDecimal initialCash, Map<YearMonth, BigDecimal> lastOfMonth) {
        List<Tearsheet.MonthlyReturn> out = new ArrayList<>();
        BigDecimal before = initialCash;
        for (Map.Entry<YearMonth, BigDecimal> e : lastOfMonth.entrySet()) {
            out.add(new Tearsheet.MonthlyReturn(e.getKey(), e.getValue(),
                    e.getValue().divide(before, SCALE, RoundingMode.HALF_EVEN).subtract(BigDecimal.ONE)));
            before = e.getValue();
        }
        return out;
    }

    /** @return the annualized Sharpe of each window of {@code days} daily returns, dated by the window's last day */
    static List<Tearsheet.RollingValue> rollingSharpe(BigDecimal initialCash, Map<LocalDate, BigDecimal> lastOfDay, int days) {
        double[] daily = BacktestMetrics.dailyReturns(initialCash, lastOfDay);
        List<LocalDate> dates = List.copyOf(lastOfDay.keySet());
        List<Tearsheet.RollingValue> out = new ArrayList<>();
        for (int last = days - 1; last < daily.length; last++) {
            BigDecimal sharpe = BacktestMetrics.sharpeAndSortino(Arrays.copyOfRange(daily, last - days + 1, last + 1))[0];
            out.add(new Tearsheet.RollingValue(dates.get(last), sharpe));
        }
        return out;
    }

    /** @return the most round trips in a row whose PnL after fees has the sign {@code sign} (1 gains, -1 losses) */
    static int streak(List<ClosedTrade> trips, int sign) {
        int longest = 0;
        int run = 0;
        for (ClosedTrade t : trips) {
            run = t.pnl().signum() == sign ? run + 1 : 0;
            longest = Math.max(longest, run);
        }
        return longest;
    }

    /**
     * The bootstrap: {@code runs} sequences of as many round trips as the run had, each drawn at random with
     * replacement ({@link SplittableRandom} from the seed), each applied to the initial cash in turn; the final
     * equity and the deepest fall from a running peak of each sequence, at their 5th, 50th and 95th percentiles.
     */
    static Tearsheet.MonteCarlo monteCarlo(BigDecimal initialCash, List<ClosedTrade> trips, int runs, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        BigDecimal[] pnl = trips.stream().map(ClosedTrade::pnl).toArray(BigDecimal[]::new);
        BigDecimal[] finals = new BigDecimal[runs];
        BigDecimal[] drawdowns = new BigDecimal[runs];
        for (int r = 0; r < runs; r++) {
            BigDecimal equity = initialCash;
            BigDecimal peak = initialCash;
            BigDecimal deepest = BigDecimal.ZERO;
            for (int i = 0; i < pnl.length; i++) {
                equity = equity.add(pnl[random.nextInt(pnl.length)]);
                if (equity.compareTo(peak) > 0) {
                    peak = equity;
                } else if (peak.signum() > 0) {
                    deepest = deepest.max(peak.subtract(equity).divide(peak, SCALE, RoundingMode.HALF_EVEN));
                }
            }
            finals[r] = equity;
            drawdowns[r] = deepest;
        }
        return new Tearsheet.MonteCarlo(runs, seed, pnl.length, percentiles(finals), percentiles(drawdowns));
    }

    /** @return the 5th, 50th and 95th percentiles by nearest rank */
    static Tearsheet.Percentiles percentiles(BigDecimal[] sample) {
        BigDecimal[] sorted = sample.clone();
        Arrays.sort(sorted);
        return new Tearsheet.Percentiles(rank(sorted, 5), rank(sorted, 50), rank(sorted, 95));
    }

    private static BigDecimal rank(BigDecimal[] sorted, int percent) {
        int index = (int) Math.ceil(percent / 100.0 * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, index))];
    }
}
