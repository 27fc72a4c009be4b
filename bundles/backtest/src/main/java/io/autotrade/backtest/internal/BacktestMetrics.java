package io.autotrade.backtest.internal;

import io.autotrade.api.backtest.BacktestReport;
import io.autotrade.api.backtest.ClosedTrade;
import io.autotrade.api.backtest.Metrics;
import io.autotrade.api.trading.OrderFilled;
import io.autotrade.api.trading.Side;
import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The performance figures of a run (see {@link Metrics} for each definition). Amounts stay exact;
 * ratios are computed in {@link MathContext#DECIMAL64} and rounded half-even to
 * {@link BacktestReport#RATIO_SCALE} places; the square roots and the CAGR power use doubles, which
 * is ample for statistics.
 */
final class BacktestMetrics {
    static final int SCALE = BacktestReport.RATIO_SCALE;
    private static final MathContext MC = MathContext.DECIMAL64;

    private BacktestMetrics() {
    }

    /** A fill with its time and, for a sell, why its order closed the position. */
    record Fill(Instant time, OrderFilled fill, io.autotrade.api.trading.ExitReason exitReason) {
    }

    /**
     * Groups fills into round trips: from the first buy while flat to the sell that makes the position
     * flat again. A trip still open at the end is not a round trip.
     */
    static List<ClosedTrade> closedTrades(List<Fill> fills) {
        List<ClosedTrade> trips = new ArrayList<>();
        BigDecimal held = BigDecimal.ZERO;
        Instant entry = null;
        BigDecimal bought = BigDecimal.ZERO;
        BigDecimal boughtVolume = BigDecimal.ZERO;
        BigDecimal sold = BigDecimal.ZERO;
        BigDecimal soldVolume = BigDecimal.ZERO;
        BigDecimal fees = BigDecimal.ZERO;
        for (Fill f : fills) {
            OrderFilled fill = f.fill();
            if (held.signum() == 0 && fill.side() == Side.BID) {
                entry = f.time();
                bought = BigDecimal.ZERO;
                boughtVolume = BigDecimal.ZERO;
                sold = BigDecimal.ZERO;
                soldVolume = BigDecimal.ZERO;
                fees = BigDecimal.ZERO;
            }
            fees = fees.add(fill.fee());
            if (fill.side() == Side.BID) {
                bought = bought.add(fill.notional());
                boughtVolume = boughtVolume.add(fill.volume());
                held = held.add(fill.volume());
            } else {
                sold = sold.add(fill.notional());
                soldVolume = soldVolume.add(fill.volume());
                held = held.subtract(fill.volume());
                if (held.signum() == 0 && entry != null) {
                    trips.add(new ClosedTrade(entry, f.time(),
                            bought.divide(boughtVolume, 8, RoundingMode.HALF_EVEN),
                            sold.divide(soldVolume, 8, RoundingMode.HALF_EVEN), boughtVolume,
                            sold.subtract(bought).subtract(fees), fees, Duration.between(entry, f.time()), f.exitReason(), null, null));
                    entry = null;
                }
            }
        }
        return trips;
    }

    /**
     * @param start      the first candle's open time
     * @param end        the last candle's close time
     * @param buyAndHold last close / first open - 1
     * @param curve      the marks of every candle close, folded (at least one)
     * @param trips      the round trips
     * @return the figures
     */
    static Metrics compute(Instant start, Instant end, BigDecimal buyAndHold, EquityCurve curve, List<ClosedTrade> trips) {
        return compute(start, end, buyAndHold, curve, trips, Duration.ofDays(Metrics.MIN_ANNUALIZED_SPAN_DAYS));
    }

    /** As above, with the shortest span that gets annualized figures given (tests check the formulas on less). */
    static Metrics compute(Instant start, Instant end, BigDecimal buyAndHold, EquityCurve curve,
            List<ClosedTrade> trips, Duration minAnnualizedSpan) {
        BigDecimal initialCash = curve.initialCash();
        BigDecimal finalEquity = curve.last().equity();
        BigDecimal totalReturn = ratio(finalEquity, initialCash).subtract(BigDecimal.ONE);

        Drawdown drawdown = new Drawdown(curve.maxDrawdown(), curve.maxDrawdownPeak(), curve.maxDrawdownTrough());
        BigDecimal[] ratios = sharpeAndSortino(dailyReturns(initialCash, curve.lastOfDay()));
        BigDecimal sharpe = ratios[0];
        BigDecimal sortino = ratios[1];

        double years = Duration.between(start, end).toSeconds() / (365.25 * 86_400);
        BigDecimal cagr = Duration.between(start, end).compareTo(Duration.ofDays(1)) < 0 ? null
                : decimal(Math.pow(finalEquity.doubleValue() / initialCash.doubleValue(), 1 / years) - 1);

        List<BigDecimal> wins = trips.stream().map(ClosedTrade::pnl).filter(p -> p.signum() > 0).toList();
        List<BigDecimal> losses = trips.stream().map(ClosedTrade::pnl).filter(p -> p.signum() < 0).toList();
        BigDecimal grossWin = wins.stream().reduce(BigDecimal.ZERO, BigDecimal::add);
        BigDecimal grossLoss = losses.stream().reduce(BigDecimal.ZERO, BigDecimal::add).negate();
        BigDecimal winRate = trips.isEmpty() ? null
                : BigDecimal.valueOf(wins.size()).divide(BigDecimal.valueOf(trips.size()), SCALE, RoundingMode.HALF_EVEN);
        BigDecimal profitFactor = grossLoss.signum() == 0 ? null : grossWin.divide(grossLoss, SCALE, RoundingMode.HALF_EVEN);
        BigDecimal averageWin = wins.isEmpty() ? null : grossWin.divide(BigDecimal.valueOf(wins.size()), MC);
        BigDecimal averageLoss = losses.isEmpty() ? null : grossLoss.negate().divide(BigDecimal.valueOf(losses.size()), MC);
        BigDecimal exposure = BigDecimal.valueOf(curve.held()).divide(BigDecimal.valueOf(curve.count()), SCALE,
                RoundingMode.HALF_EVEN);
        String note = null;
        Duration span = Duration.between(start, end);
        if (span.compareTo(minAnnualizedSpan) < 0) {
            note = "not given: the data spans " + spanText(span) + ", under the " + Metrics.MIN_ANNUALIZED_SPAN_DAYS
                    + " days an annualized figure needs";
            cagr = null;
            sharpe = null;
            sortino = null;
        }
        return new Metrics(totalReturn, buyAndHold, cagr, drawdown.depth(), drawdown.peak(), drawdown.trough(), sharpe, sortino,
                Metrics.ANNUALIZATION_DAYS, winRate, profitFactor, averageWin, averageLoss, exposure, trips.size(), note);
    }

    /** The deepest fall of the equity from a running peak: its depth (a fraction), peak and trough times. */
    private record Drawdown(BigDecimal depth, Instant peak, Instant trough) {
    }

    /**
     * @param daily daily returns
     * @return the annualized Sharpe ratio (mean over sample standard deviation) and Sortino ratio (mean over
     *         downside deviation), each null when undefined (fewer than two days, no deviation)
     */
    static BigDecimal[] sharpeAndSortino(double[] daily) {
        if (daily.length < 2) {
            return new BigDecimal[2];
        }
        double mean = 0;
        for (double r : daily) {
            mean += r;
        }
        mean /= daily.length;
        double variance = 0;
        double downside = 0;
        for (double r : daily) {
            variance += (r - mean) * (r - mean);
            downside += r < 0 ? r * r : 0;
        }
        double sd = Math.sqrt(variance / (daily.length - 1));
        double dd = Math.sqrt(downside / daily.length);
        double annual = Math.sqrt(Metrics.ANNUALIZATION_DAYS);
        return new BigDecimal[] {sd > 0 ? decimal(mean / sd * annual) : null, dd > 0 ? decimal(mean / dd * annual) : null};
    }

    /** @return e.g. {@code 10 days}, {@code 9.6 days}, {@code 10 hours} */
    static String spanText(Duration span) {
        if (span.compareTo(Duration.ofDays(1)) < 0) {
            return span.toHours() + " hours";
        }
        BigDecimal days = BigDecimal.valueOf(span.toMinutes()).divide(BigDecimal.valueOf(1440), 1, RoundingMode.HALF_EVEN);
        return days.stripTrailingZeros().toPlainString() + " days";
    }

    /** @return the returns between the last marks of consecutive UTC days, the first from the initial cash */
    static double[] dailyReturns(BigDecimal initialCash, Map<LocalDate, BigDecimal> lastOfDay) {
        double[] returns = new double[lastOfDay.size()];
        BigDecimal previous = initialCash;
        int i = 0;
        for (BigDecimal equity : lastOfDay.values()) {
            returns[i++] = equity.divide(previous, MC).subtract(BigDecimal.ONE).doubleValue();
            previous = equity;
        }
        return returns;
    }

    private static BigDecimal ratio(BigDecimal a, BigDecimal b) {
        return a.divide(b, SCALE, RoundingMode.HALF_EVEN);
    }

    private static BigDecimal decimal(double value) {
        return new BigDecimal(value, MC).setScale(SCALE, RoundingMode.HALF_EVEN);
    }
}
