package io.autotrade.backtest.internal;

import io.autotrade.api.backtest.EquityPoint;
import io.autotrade.api.backtest.Tearsheet;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The account marked at every candle close, folded as the marks come: what the metrics need of every mark (the
 * {@value #WORST} deepest falls from a running peak with their recoveries, the deepest of them the max drawdown, the last equity of
 * each UTC day and month, how many marks held a position, the last mark) and the marks the report keeps for its series. Those are all of them up to {@value #KEPT} marks;
 * beyond, every second one is dropped whenever {@value #KEPT} twice over are kept (so every 2^k-th mark, k growing
 * with the run), and the last mark is always among them: memory does not grow with the candles.
 */
final class EquityCurve {
    /** Marks the report's series keeps at least (and at most twice that). */
    static final int KEPT = 10_000;

    private final BigDecimal initialCash;
    private BigDecimal peak;
    private Instant peakTime;
    private final Map<LocalDate, BigDecimal> lastOfDay = new LinkedHashMap<>();
    private final Map<YearMonth, BigDecimal> lastOfMonth = new LinkedHashMap<>();
    /** The UTC day of the last mark (epoch day) and its equity so far: entered into the maps when the day is over. */
    private long day = Long.MIN_VALUE;
    private BigDecimal dayEquity;
    /** The deepest falls so far, deepest first, at most {@value #WORST} (a fall still open is not among them yet). */
    private final List<Tearsheet.Drawdown> worst = new ArrayList<>();
    /** The fall under way: the trough's equity and time, or null while at a peak. */
    private BigDecimal troughEquity;
    private Instant troughTime;
    /** Falls the tearsheet lists. */
    static final int WORST = 5;
    private long held;
    private long count;
    private EquityPoint last;
    private final List<EquityPoint> kept = new ArrayList<>();
    private long stride = 1;

    /**
     * @param initialCash the starting equity (the first peak, and the base of the first daily return)
     * @param start       when the run starts (the time of that first peak)
     */
    EquityCurve(BigDecimal initialCash, Instant start) {
        this.initialCash = initialCash;
        this.peak = initialCash;
        this.peakTime = start;
    }

    /** @param p the next mark, later than the ones before */
    void add(EquityPoint p) {
        if (troughEquity != null && p.equity().compareTo(peak) >= 0) {
            keepWorst(drawdown(p.time()));
            troughEquity = null;
        }
        if (troughEquity == null ? p.equity().compareTo(peak) < 0 : p.equity().compareTo(troughEquity) < 0) {
            troughEquity = p.equity();
            troughTime = p.time();
        }
        if (p.equity().compareTo(peak) > 0) {
            peak = p.equity();
            peakTime = p.time();
        }
        long epochDay = Math.floorDiv(p.time().getEpochSecond(), SECONDS_PER_DAY);
        if (epochDay != day) { // a date per day, not per mark: the calendar's rare branches stay out of the hot path
            closeDay();
            day = epochDay;
        }
        dayEquity = p.equity();
        if (p.position().signum() > 0) {
            held++;
        }
        if (count % stride == 0) {
            kept.add(p);
            if (kept.size() == 2 * KEPT) {
                for (int i = 0, j = 0; i < kept.size(); i += 2, j++) {
                    kept.set(j, kept.get(i));
                }
                kept.subList(KEPT, kept.size()).clear();
                stride *= 2;
            }
        }
        count++;
        last = p;
    }

    private static final long SECONDS_PER_DAY = 86_400;

    /** Enters the last mark's day into the maps (again, with the same key, if it is still under way). */
    private void closeDay() {
        if (dayEquity != null) {
            LocalDate date = LocalDate.ofEpochDay(day);
            lastOfDay.put(date, dayEquity);
            lastOfMonth.put(YearMonth.from(date), dayEquity);
        }
    }

    /** @return marks so far */
    long count() {
        return count;
    }

    BigDecimal initialCash() {
        return initialCash;
    }

    /** @return the last mark, or null before the first */
    EquityPoint last() {
        return last;
    }

    /** @return the deepest fall from a running peak, a fraction (scale {@value BacktestMetrics#SCALE}) */
    BigDecimal maxDrawdown() {
        Tearsheet.Drawdown d = deepestFall();
        return d == null ? BigDecimal.ZERO.setScale(BacktestMetrics.SCALE) : d.depth();
    }

    /** @return when the deepest fall's peak was, or null without a fall */
    Instant maxDrawdownPeak() {
        Tearsheet.Drawdown d = deepestFall();
        return d == null ? null : d.peak();
    }

    /** @return when the deepest fall's trough was, or null without a fall */
    Instant maxDrawdownTrough() {
        Tearsheet.Drawdown d = deepestFall();
        return d == null ? null : d.trough();
    }

    /** @return the deepest of the falls kept and the one under way (the earlier on a tie), or null without a fall */
    private Tearsheet.Drawdown deepestFall() {
        Tearsheet.Drawdown closed = worst.isEmpty() ? null : worst.get(0);
        Tearsheet.Drawdown open = troughEquity == null ? null : drawdown(null);
        if (open == null || closed == null) {
            return open == null ? closed : open;
        }
        return DEEPEST_FIRST.compare(open, closed) < 0 ? open : closed;
    }

    /** @return the last equity of each UTC day, in order */
    Map<LocalDate, BigDecimal> lastOfDay() {
        closeDay();
        return lastOfDay;
    }

    /** @return the last equity of each UTC month, in order */
    Map<YearMonth, BigDecimal> lastOfMonth() {
        closeDay();
        return lastOfMonth;
    }

    /**
     * @param end the run's end, for the length of a fall not recovered by then
     * @return the {@value #WORST} deepest falls from a running peak, deepest first, the one under way at the end included
     */
    List<Tearsheet.Drawdown> worstDrawdowns(Instant end) {
        List<Tearsheet.Drawdown> out = new ArrayList<>(worst);
        if (troughEquity != null) {
            Tearsheet.Drawdown open = drawdown(null);
            out.add(new Tearsheet.Drawdown(open.peak(), open.trough(), null, open.depth(),
                    Duration.between(open.peak(), end)));
            out.sort(DEEPEST_FIRST);
        }
        return out.size() > WORST ? List.copyOf(out.subList(0, WORST)) : List.copyOf(out);
    }

    private static final Comparator<Tearsheet.Drawdown> DEEPEST_FIRST =
            Comparator.comparing(Tearsheet.Drawdown::depth).reversed()
                    .thenComparing(Tearsheet.Drawdown::peak);

    /** @return the fall under way, recovered at {@code recovery} (null: not recovered) */
    private Tearsheet.Drawdown drawdown(Instant recovery) {
        BigDecimal depth = peak.subtract(troughEquity).divide(peak, BacktestMetrics.SCALE, RoundingMode.HALF_EVEN);
        return new Tearsheet.Drawdown(peakTime, troughTime, recovery, depth,
                recovery == null ? null : Duration.between(peakTime, recovery));
    }

    private void keepWorst(Tearsheet.Drawdown d) {
        worst.add(d);
        worst.sort(DEEPEST_FIRST);
        if (worst.size() > WORST) {
            worst.remove(WORST);
        }
    }

    /** @return marks that held a position */
    long held() {
        return held;
    }

    /** @return the marks the report keeps, in time order, the last one included */
    List<EquityPoint> points() {
        List<EquityPoint> out = new ArrayList<>(kept);
        if (last != null && (out.isEmpty() || out.get(out.size() - 1) != last)) {
            out.add(last);
        }
        return out;
    }
}
