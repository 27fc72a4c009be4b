package io.autotrade.strategy.macross.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class MovingAverageTest {
    private static List<String> feed(MovingAverage ma, String... closes) {
        List<String> out = new ArrayList<>();
        for (String c : closes) {
            Optional<BigDecimal> v = ma.add(new BigDecimal(c));
            out.add(v.map(BigDecimal::stripTrailingZeros).map(BigDecimal::toPlainString).orElse("-"));
        }
        return out;
    }

    @Test
    void smaIsTheMeanOfTheLastPeriodCloses() {
        assertEquals(List.of("-", "-", "2", "3", "4", "6"), feed(new MovingAverage(MovingAverage.Type.SMA, 3),
                "1", "2", "3", "4", "5", "9"));
    }

    @Test
    void emaIsSeededWithTheSmaThenSmoothedWithTwoOverPeriodPlusOne() {
        // k = 2 / 4 = 0.5: seed (1+2+3)/3 = 2; 2 + 0.5*(4-2) = 3; 3 + 0.5*(5-3) = 4; 4 + 0.5*(12-4) = 8
        assertEquals(List.of("-", "-", "2", "3", "4", "8"), feed(new MovingAverage(MovingAverage.Type.EMA, 3),
                "1", "2", "3", "4", "5", "12"));
        // k = 2 / 3: seed (10+20)/2 = 15; 15 + 2/3*(30-15) = 25, to DECIMAL128's 34 digits
        BigDecimal ema = new BigDecimal(feed(new MovingAverage(MovingAverage.Type.EMA, 2), "10", "20", "30").get(2));
        assertTrue(ema.subtract(new BigDecimal("25")).abs().compareTo(new BigDecimal("1E-30")) < 0, ema::toPlainString);
    }

    @Test
    void aPeriodBelowOneIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> new MovingAverage(MovingAverage.Type.SMA, 0));
    }
}
