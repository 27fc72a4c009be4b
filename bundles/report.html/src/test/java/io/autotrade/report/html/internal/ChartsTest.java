package io.autotrade.report.html.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Random;
import org.junit.jupiter.api.Test;

/** The charts' coordinates: to 0.01 px, the shortest text. */
class ChartsTest {

    @Test
    void coordinatesAreWrittenToHundredths() {
        assertEquals("200.1", Charts.hundredths(200.09974670410156));
        assertEquals("71.57", Charts.hundredths(71.56905364990234));
        assertEquals("-3.05", Charts.hundredths(-3.0489));
        assertEquals("7", Charts.hundredths(7.001));
        assertEquals("0", Charts.hundredths(-0.001), "no minus zero");
        assertEquals("-0.01", Charts.hundredths(-0.006));
        assertEquals("0.5", Charts.hundredths(0.5));
        assertEquals("NaN", Charts.hundredths(Double.NaN));
        assertEquals("1.0E16", Charts.hundredths(1e16));
    }

    @Test
    void aWrittenCoordinateIsWithinHalfAHundredth() {
        Random random = new Random(3);
        for (int i = 0; i < 100_000; i++) {
            double v = (random.nextDouble() - 0.5) * Math.pow(10, random.nextInt(8));
            double written = Double.parseDouble(Charts.hundredths(v));
            assertEquals(v, written, 0.005 + 1e-9, String.valueOf(v));
        }
    }
}
