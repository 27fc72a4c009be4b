package io.autotrade.backtest.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.autotrade.api.backtest.EquityPoint;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The folded curve: the figures of every mark, and a bounded series for the report. */
class EquityCurveTest {
    private static final Instant START = Instant.parse("2023-03-01T00:00:00Z");

    private static EquityPoint mark(int minute, double equity, boolean held) {
        return new EquityPoint(START.plus(Duration.ofMinutes(minute + 1)), BigDecimal.valueOf(20_000),
                BigDecimal.valueOf(equity).setScale(2, RoundingMode.HALF_EVEN), held ? BigDecimal.ONE : BigDecimal.ZERO);
    }

    @Test
    void aLongRunKeepsABoundedSeriesWithItsLastMarkAndTheFiguresOfEveryMark() {
        EquityCurve curve = new EquityCurve(BigDecimal.valueOf(10_000), START);
        int n = 250_000;
        double peak = 10_000;
        double deepest = 0;
        int held = 0;
        EquityPoint last = null;
        for (int i = 0; i < n; i++) {
            double equity = 10_000 + 500 * Math.sin(i / 3_000.0) - (i == 123_456 ? 2_000 : 0); // one deep dip
            last = mark(i, equity, i % 3 == 0);
            curve.add(last);
            double e = last.equity().doubleValue();
            if (e > peak) {
                peak = e;
            } else {
                deepest = Math.max(deepest, (peak - e) / peak);
            }
            held += i % 3 == 0 ? 1 : 0;
        }
        List<EquityPoint> points = curve.points();
        assertTrue(points.size() >= EquityCurve.KEPT && points.size() <= 2 * EquityCurve.KEPT + 1, "bounded: " + points.size());
        assertSame(last, points.get(points.size() - 1), "the last mark is kept");
        assertEquals(START.plus(Duration.ofMinutes(1)), points.get(0).time(), "and the first");
        for (int i = 1; i < points.size(); i++) {
            assertTrue(points.get(i).time().isAfter(points.get(i - 1).time()), "in time order");
        }
        assertEquals(n, curve.count());
        assertEquals(held, curve.held());
        assertEquals(deepest, curve.maxDrawdown().doubleValue(), 1e-9, "the dip between kept marks counts");
        assertEquals(START.plus(Duration.ofMinutes(123_457)), curve.maxDrawdownTrough());
        assertEquals(174, curve.lastOfDay().size(), "one last equity per UTC day");
    }

    @Test
    void aShortRunKeepsEveryMark() {
        EquityCurve curve = new EquityCurve(BigDecimal.valueOf(10_000), START);
        for (int i = 0; i < 500; i++) {
            curve.add(mark(i, 10_000 + i, false));
        }
        assertEquals(500, curve.points().size());
    }

    /** The last equity of each UTC day and month, also when read while a day is under way and the marks go on. */
    @Test
    void theLastEquityOfEachDayAndMonthInOrder() {
        Instant evening = Instant.parse("2023-02-27T23:58:00Z");
        EquityCurve curve = new EquityCurve(BigDecimal.valueOf(100), evening);
        java.util.function.BiConsumer<Integer, Integer> at = (minutes, equity) -> curve.add(new EquityPoint(
                evening.plus(Duration.ofMinutes(minutes)), BigDecimal.ONE, BigDecimal.valueOf(equity), BigDecimal.ZERO));
        at.accept(1, 101); // 02-27 23:59
        at.accept(2, 102); // 02-28 00:00
        at.accept(3, 103);
        assertEquals(BigDecimal.valueOf(103), curve.lastOfDay().get(java.time.LocalDate.parse("2023-02-28")), "so far");
        at.accept(4, 104);
        at.accept(2 + 1440, 105); // 03-01 00:00
        at.accept(3 + 1440, 106);
        assertEquals(List.of("2023-02-27=101", "2023-02-28=104", "2023-03-01=106"), curve.lastOfDay().entrySet().stream()
                .map(e -> e.getKey() + "=" + e.getValue()).toList());
        assertEquals(List.of("2023-02=104", "2023-03=106"), curve.lastOfMonth().entrySet().stream()
                .map(e -> e.getKey() + "=" + e.getValue()).toList());
    }
}
