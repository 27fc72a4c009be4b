package io.autotrade.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class BiasCheckTest {
    private static BiasCheck.Signal s(String time, String side, String reason) {
        return new BiasCheck.Signal(time, side, reason);
    }

    @Test
    void aCutRunMustSignalExactlyAsTheWholeRunUpToTheCut() {
        List<BiasCheck.Signal> whole = List.of(s("2020-02-20T08:00:00Z", "bid", "a"), s("2020-02-20T09:00:00Z", "ask", "b"),
                s("2020-02-20T10:00:00Z", "bid", "c"));
        Instant cut = Instant.parse("2020-02-20T09:00:00Z");
        assertNull(BiasCheck.difference(whole, whole.subList(0, 2), cut), "the same up to the cut: nothing to flag");
        String vanished = BiasCheck.difference(whole, whole.subList(0, 1), cut);
        assertTrue(vanished.contains("ask at 2020-02-20T09:00:00Z") && vanished.contains("no signal"), vanished);
        String changed = BiasCheck.difference(whole, List.of(whole.get(0), s("2020-02-20T09:00:00Z", "ask", "other")), cut);
        assertTrue(changed.contains("(b)") && changed.contains("(other)"), changed);
        String extra = BiasCheck.difference(whole.subList(0, 1), List.of(whole.get(0), whole.get(1)), cut);
        assertTrue(extra.startsWith("with the whole file: no signal"), extra);
    }

    @Test
    void samplesSpreadOverTheSignalsAndTheWarmUpComparesTimesAndSides() {
        assertEquals(List.of(1, 3, 5, 7, 9), BiasCheck.sample(10, 5));
        assertEquals(List.of(0, 1, 2), BiasCheck.sample(3, 10));
        assertEquals(List.of(), BiasCheck.sample(0, 10));
        List<BiasCheck.Signal> warmed = List.of(s("t1", "bid", "RSI 29.9 -> 30.2"), s("t2", "ask", "x"));
        assertEquals(List.of(), BiasCheck.warmUpDifferences(List.of(s("t1", "bid", "RSI 29.7 -> 30.1"), s("t2", "ask", "y")), warmed),
                "indicator values in the reasons may shift; the signals are the same");
        assertEquals(1, BiasCheck.warmUpDifferences(List.of(s("t1", "bid", "x")), warmed).size());
    }
}
