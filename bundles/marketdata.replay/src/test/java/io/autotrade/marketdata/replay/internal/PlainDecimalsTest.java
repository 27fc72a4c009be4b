package io.autotrade.marketdata.replay.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.math.BigDecimal;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The plain-decimal reader gives what {@code new BigDecimal(String)} gives, scale included, or leaves the value to it. */
class PlainDecimalsTest {

    /** @return the constructor's value, or null where it refuses */
    private static BigDecimal constructor(String s) {
        try {
            return new BigDecimal(s);
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private static void agrees(String s) {
        BigDecimal fast = PlainDecimals.parse(s);
        if (fast != null) {
            BigDecimal exact = constructor(s);
            assertNotNull(exact, s + " is refused by the constructor");
            assertEquals(exact, fast, s); // BigDecimal.equals: value and scale
            assertEquals(exact.scale(), fast.scale(), s);
        }
    }

    @Test
    void theShapesOfCandleFiles() {
        for (String s : List.of("23140.48", "0", "-0", "-0.00", "11467000.0", "0.00000001", "2.131777", "007.50",
                "999999999999999999", "-999999999999999999", "123456789.123456789")) {
            assertNotNull(PlainDecimals.parse(s), s);
            agrees(s);
        }
    }

    @Test
    void otherShapesAreLeftToTheConstructor() {
        for (String s : List.of("", "-", ".", ".5", "5.", "+5", "1e3", "1E-3", "1.2.3", "--1", "1-", " 1", "1 ", "NaN",
                "١٢", "1,5", "9999999999999999999", "0.0000000000000000001")) {
            assertNull(PlainDecimals.parse(s), s);
        }
    }

    @Test
    void randomStringsAgreeWithTheConstructor() {
        Random random = new Random(7);
        String alphabet = "0123456789.-+eE ";
        for (int i = 0; i < 200_000; i++) {
            StringBuilder s = new StringBuilder();
            int length = random.nextInt(22);
            for (int j = 0; j < length; j++) {
                // mostly digits, so that many strings are numbers
                s.append(random.nextInt(4) == 0 ? alphabet.charAt(random.nextInt(alphabet.length())) : (char) ('0' + random.nextInt(10)));
            }
            agrees(s.toString());
        }
    }
}
