package io.autotrade.strategy.rsi.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class WilderRsiTest {

    /** Wilder's worked example as published by StockCharts ("Relative Strength Index (RSI)", ChartSchool). */
    @Test
    void matchesTheHandComputedWilderExample() {
        String[] closes = ("44.34 44.09 44.15 43.61 44.33 44.83 45.10 45.42 45.84 46.08 45.89 46.03 45.61 46.28 "
                + "46.28 46.00 46.03 46.41 46.22 45.64").split(" ");
        WilderRsi rsi = new WilderRsi(14);
        List<String> values = new ArrayList<>();
        for (int i = 0; i < closes.length; i++) {
            Optional<BigDecimal> value = rsi.next(new BigDecimal(closes[i])).map(WilderRsi.Reading::value);
            assertEquals(i >= 14, value.isPresent(), "an RSI exists only after 14 changes, at close " + i);
            value.ifPresent(v -> values.add(v.setScale(2, RoundingMode.HALF_UP).toPlainString()));
        }
        assertEquals(List.of("70.46", "66.25", "66.48", "69.35", "66.29", "57.92"), values);
    }

    @Test
    void isOneHundredWhenNothingFell() {
        WilderRsi rsi = new WilderRsi(2);
        rsi.next(BigDecimal.ONE);
        rsi.next(BigDecimal.TWO);
        assertEquals(new BigDecimal("100"), rsi.next(BigDecimal.TEN).map(WilderRsi.Reading::value).orElseThrow());
        assertEquals(new BigDecimal("100"), rsi.next(BigDecimal.TEN).map(WilderRsi.Reading::value).orElseThrow(), "flat closes keep avgLoss 0");
    }

    @Test
    void smoothsWithWildersAverage() {
        WilderRsi rsi = new WilderRsi(2);
        rsi.next(new BigDecimal("10"));
        rsi.next(new BigDecimal("12")); // +2
        BigDecimal first = rsi.next(new BigDecimal("11")).map(WilderRsi.Reading::value).orElseThrow(); // -1: avgGain 1, avgLoss 0.5
        assertEquals(0, new BigDecimal("66.66666666666666666666666666666667").compareTo(first), first.toPlainString());
        BigDecimal second = rsi.next(new BigDecimal("10")).map(WilderRsi.Reading::value).orElseThrow(); // -1: avgGain 0.5, avgLoss 0.75 -> RS 2/3
        assertEquals(0, new BigDecimal("40").compareTo(second), second.toPlainString());
        assertTrue(second.compareTo(first) < 0);
    }

    /**
     * A reading compares with a threshold as its exact value does: far from it by the floating-point estimate, near it
     * (here: at the value itself, and one unit of the 30th decimal either side) by the exact value.
     */
    @Test
    void aReadingComparesAsItsExactValueDoes() {
        java.util.Random random = new java.util.Random(7);
        WilderRsi rsi = new WilderRsi(14);
        BigDecimal close = new BigDecimal("20000.00");
        int compared = 0;
        for (int i = 0; i < 5_000; i++) {
            close = close.add(BigDecimal.valueOf(random.nextInt(2_001) - 1_000, 2)).max(BigDecimal.ONE);
            Optional<WilderRsi.Reading> reading = rsi.next(close);
            if (reading.isEmpty()) {
                continue;
            }
            BigDecimal exact = reading.get().value();
            BigDecimal tiny = new BigDecimal("1e-30");
            for (BigDecimal t : List.of(exact, exact.add(tiny), exact.subtract(tiny), new BigDecimal("30"), new BigDecimal("70"),
                    BigDecimal.valueOf(random.nextInt(10_001), 2))) {
                assertEquals(Integer.signum(exact.compareTo(t)), reading.get().compareTo(t), "RSI " + exact + " vs " + t);
                compared++;
            }
        }
        assertEquals(6 * (5_000 - 14), compared);
    }
}
