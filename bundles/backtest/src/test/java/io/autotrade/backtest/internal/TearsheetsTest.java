package io.autotrade.backtest.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.autotrade.api.backtest.ClosedTrade;
import io.autotrade.api.backtest.EquityPoint;
import io.autotrade.api.backtest.Tearsheet;
import io.autotrade.api.trading.Candle;
import io.autotrade.api.trading.ExitReason;
import io.autotrade.api.trading.Market;
import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The tearsheet's figures against independent computations over the same equity series and trades. */
class TearsheetsTest {
    private static final Instant START = Instant.parse("2024-01-01T00:00:00Z");
    private static final BigDecimal CASH = new BigDecimal("10000000");

    /** Four marks a day for 150 days: a random walk with a few deep dips, exact to the won. */
    private static List<EquityPoint> series() {
        SplittableRandom random = new SplittableRandom(7);
        List<EquityPoint> out = new ArrayList<>();
        BigDecimal equity = CASH;
        for (int i = 1; i <= 600; i++) {
            long step = random.nextLong(-60_000, 80_000) - (i % 97 == 0 ? 400_000 : 0);
            equity = equity.add(BigDecimal.valueOf(step));
            out.add(new EquityPoint(START.plus(Duration.ofHours(6L * i)), BigDecimal.ONE, equity, BigDecimal.ZERO));
        }
        return out;
    }

    private static EquityCurve curve(List<EquityPoint> series) {
        EquityCurve curve = new EquityCurve(CASH, START);
        series.forEach(curve::add);
        return curve;
    }

    @Test
    void monthlyReturnsAreEachMonthsLastEquityOverTheMonthBefore() {
        List<EquityPoint> series = series();
        Map<YearMonth, BigDecimal> last = new LinkedHashMap<>();
        for (EquityPoint p : series) {
            last.put(YearMonth.from(p.time().atZone(ZoneOffset.UTC)), p.equity());
        }
        List<Tearsheet.MonthlyReturn> months = Tearsheets.monthlyReturns(CASH, curve(series).lastOfMonth());
        assertEquals(List.copyOf(last.keySet()), months.stream().map(Tearsheet.MonthlyReturn::month).toList());
        BigDecimal before = CASH;
        BigDecimal compounded = BigDecimal.ONE;
        for (Tearsheet.MonthlyReturn m : months) {
            BigDecimal expected = last.get(m.month()).divide(before, 10, RoundingMode.HALF_EVEN).subtract(BigDecimal.ONE);
            assertEquals(expected, m.ret(), m.month().toString());
            compounded = compounded.multiply(BigDecimal.ONE.add(m.ret()));
            before = last.get(m.month());
        }
        BigDecimal total = series.get(series.size() - 1).equity().divide(CASH, MathContext.DECIMAL64);
        assertEquals(0, total.subtract(compounded).abs().compareTo(new BigDecimal("0.000001")) < 0 ? 0 : 1,
                "the months compound to the total return: " + total + " vs " + compounded);
    }

    /** A fall: from a running peak until the equity stands at the peak again. */
    private record Fall(Instant peak, Instant trough, Instant recovery, BigDecimal depth) {
    }

    @Test
    void theWorstDrawdownsAreTheDeepestFallsFromARunningPeakWithTheirRecoveries() {
        List<EquityPoint> series = series();
        // brute force: walk the series, open a fall when below the peak, close it when back at the peak
        List<Fall> falls = new ArrayList<>();
        BigDecimal peak = CASH;
        Instant peakTime = START;
        BigDecimal low = null;
        Instant lowTime = null;
        for (EquityPoint p : series) {
            if (low != null && p.equity().compareTo(peak) >= 0) {
                falls.add(new Fall(peakTime, lowTime, p.time(), peak.subtract(low).divide(peak, 10, RoundingMode.HALF_EVEN)));
                low = null;
            }
            if (p.equity().compareTo(peak) < 0 && (low == null || p.equity().compareTo(low) < 0)) {
                low = p.equity();
                lowTime = p.time();
            }
            if (p.equity().compareTo(peak) > 0) {
                peak = p.equity();
                peakTime = p.time();
            }
        }
        if (low != null) {
            falls.add(new Fall(peakTime, lowTime, null, peak.subtract(low).divide(peak, 10, RoundingMode.HALF_EVEN)));
        }
        falls.sort(Comparator.comparing(Fall::depth).reversed().thenComparing(Fall::peak));
        Instant end = series.get(series.size() - 1).time();
        List<Tearsheet.Drawdown> worst = curve(series).worstDrawdowns(end);
        assertTrue(falls.size() > 5, "the walk falls often: " + falls);
        assertEquals(5, worst.size(), worst + " vs " + falls);
        for (int i = 0; i < 5; i++) {
            Fall f = falls.get(i);
            Tearsheet.Drawdown d = worst.get(i);
            assertEquals(f.depth(), d.depth(), "depth #" + i);
            assertEquals(f.peak(), d.peak(), "peak #" + i);
            assertEquals(f.trough(), d.trough(), "trough #" + i);
            assertEquals(f.recovery(), d.recovery(), "recovery #" + i);
            assertEquals(Duration.between(f.peak(), f.recovery() == null ? end : f.recovery()), d.length());
        }
        assertEquals(worst.get(0).depth(), curve(series).maxDrawdown(), "the deepest is the max drawdown");
    }

    @Test
    void theRollingSharpeIsEachWindowsAnnualizedMeanOverDeviation() {
        EquityCurve curve = curve(series());
        List<Tearsheet.RollingValue> rolling = Tearsheets.rollingSharpe(CASH, curve.lastOfDay(), 30);
        List<BigDecimal> days = new ArrayList<>(curve.lastOfDay().values());
        assertEquals(days.size() - 29, rolling.size());
        for (int k = 0; k < rolling.size(); k += 17) {
            int last = k + 29;
            double[] r = new double[30];
            for (int i = 0; i < 30; i++) {
                int d = last - 29 + i;
                BigDecimal before = d == 0 ? CASH : days.get(d - 1);
                r[i] = days.get(d).doubleValue() / before.doubleValue() - 1;
            }
            double mean = java.util.Arrays.stream(r).average().orElseThrow();
            double sd = Math.sqrt(java.util.Arrays.stream(r).map(x -> (x - mean) * (x - mean)).sum() / 29);
            assertEquals(mean / sd * Math.sqrt(365), rolling.get(k).value().doubleValue(), 1e-6, "window ending " + rolling.get(k).day());
            assertEquals(List.copyOf(curve.lastOfDay().keySet()).get(last), rolling.get(k).day());
        }
        assertEquals(List.of(), Tearsheets.rollingSharpe(CASH, Map.of(LocalDate.of(2024, 1, 1), CASH), 30), "too short");
    }

    private static ClosedTrade trip(String pnl, int day) {
        Instant t = START.plus(Duration.ofDays(day));
        return new ClosedTrade(t, t.plus(Duration.ofHours(5)), new BigDecimal("100"), new BigDecimal("101"), BigDecimal.ONE,
                new BigDecimal(pnl), new BigDecimal("0.1"), Duration.ofHours(5), ExitReason.SIGNAL, null, null);
    }

    @Test
    void streaksExpectancyAndTheMonteCarloOfTheTrades() {
        List<ClosedTrade> trips = List.of(trip("10", 0), trip("5", 1), trip("-3", 2), trip("-4", 3), trip("-1", 4), trip("8", 5));
        assertEquals(2, Tearsheets.streak(trips, 1));
        assertEquals(3, Tearsheets.streak(trips, -1));
        Tearsheet sheet = Tearsheets.build(new BigDecimal("100"), curve(series()), START, trips, 2000, 11);
        assertEquals(0, new BigDecimal("2.5").compareTo(sheet.expectancy()), "15 / 6");
        assertEquals(Duration.ofHours(5), sheet.averageHolding());
        Tearsheet.MonteCarlo mc = sheet.monteCarlo();
        assertEquals(2000, mc.runs());
        assertEquals(6, mc.tradesPerRun());
        assertEquals(mc, Tearsheets.monteCarlo(CASH, trips, 2000, 11), "the same seed, the same figures");
        assertNotEquals(mc, Tearsheets.monteCarlo(CASH, trips, 2000, 12));
        // every draw sums six of the pnl values: the median sits near 6 x the mean, the tails within the extremes
        assertTrue(mc.finalEquity().p5().compareTo(mc.finalEquity().p50()) <= 0
                && mc.finalEquity().p50().compareTo(mc.finalEquity().p95()) <= 0);
        assertTrue(mc.finalEquity().p5().compareTo(CASH.add(new BigDecimal("-24"))) >= 0);
        assertTrue(mc.finalEquity().p95().compareTo(CASH.add(new BigDecimal("60"))) <= 0);
        assertTrue(mc.finalEquity().p50().subtract(CASH.add(new BigDecimal("15"))).abs().compareTo(new BigDecimal("10")) < 0,
                mc.finalEquity().toString());
        Tearsheet.MonteCarlo gains = Tearsheets.monteCarlo(CASH, List.of(trip("7", 0), trip("7", 1)), 100, 1);
        assertEquals(new Tearsheet.Percentiles(CASH.add(new BigDecimal("14")), CASH.add(new BigDecimal("14")),
                CASH.add(new BigDecimal("14"))), gains.finalEquity(), "only gains: every sequence ends the same");
        assertEquals(0, gains.maxDrawdown().p95().signum(), "and never falls");
        assertNull(Tearsheets.build(new BigDecimal("100"), curve(series()), START, List.of(), 1000, 1).monteCarlo(),
                "nothing to draw without round trips");
    }

    @Test
    void aTripsExcursionsAreTheRangeOfTheCandlesHeldAndItsExit() {
        Market btc = Market.of("KRW-BTC");
        Excursions excursions = new Excursions();
        Instant open = START;
        // entry fills at the first candle's open (100); held over two candles; sold at the third's open (104)
        excursions.add(candle(btc, open, "100", "103", "97", "101"), BigDecimal.ONE);
        excursions.add(candle(btc, open.plus(Duration.ofMinutes(1)), "101", "106", "99", "104"), BigDecimal.ONE);
        excursions.add(candle(btc, open.plus(Duration.ofMinutes(2)), "104", "120", "90", "110"), BigDecimal.ZERO);
        ClosedTrade trip = new ClosedTrade(open, open.plus(Duration.ofMinutes(2)), new BigDecimal("100"), new BigDecimal("104"),
                BigDecimal.ONE, new BigDecimal("3.9"), new BigDecimal("0.1"), Duration.ofMinutes(2), ExitReason.SIGNAL, null, null);
        ClosedTrade with = excursions.of(trip);
        assertEquals(new BigDecimal("-0.0300000000"), with.mae(), "the lowest low while held, 97");
        assertEquals(new BigDecimal("0.0600000000"), with.mfe(), "the highest high while held, 106; not the next candle's 120");
        ClosedTrade sameCandle = new ClosedTrade(open.plus(Duration.ofMinutes(5)), open.plus(Duration.ofMinutes(5)),
                new BigDecimal("100"), new BigDecimal("98"), BigDecimal.ONE, new BigDecimal("-2.1"), new BigDecimal("0.1"),
                Duration.ZERO, ExitReason.STOP_LOSS, null, null);
        assertEquals(new BigDecimal("-0.0200000000"), excursions.of(sameCandle).mae(), "in and out in one candle: the exit");
        assertEquals(0, excursions.of(sameCandle).mfe().signum());
    }

    private static Candle candle(Market m, Instant open, String o, String h, String l, String c) {
        return new Candle(m, Duration.ofMinutes(1), open, new BigDecimal(o), new BigDecimal(h), new BigDecimal(l), new BigDecimal(c),
                BigDecimal.ONE, BigDecimal.ONE);
    }
}
