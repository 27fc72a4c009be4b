package io.autotrade.backtest.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.math.BigDecimal;
import org.junit.jupiter.api.Test;

class EquityCurveTest {
    @Test
    void maxDrawdownIsTheLargestFallFromAPriorPeak() {
        EquityCurve curve = new EquityCurve();
        for (String e : new String[] {"100", "120", "90", "130", "110", "125", "97.5"}) {
            curve.mark(new BigDecimal(e));
        }
        // peak 130 -> 97.5 is 25%; the earlier 120 -> 90 is also 25%, and 130 -> 110 only 15.38%
        assertEquals(new BigDecimal("0.2500000000"), curve.maxDrawdown());
    }

    @Test
    void aRisingCurveHasNoDrawdown() {
        EquityCurve curve = new EquityCurve();
        for (String e : new String[] {"1", "2", "3"}) {
            curve.mark(new BigDecimal(e));
        }
        assertEquals(0, curve.maxDrawdown().signum());
    }
}
