package io.autotrade.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SearchTest {
    private static final Space SPACE = Space.parse(List.of("period=5..30", "oversold=20..35:1"));

    /** A smooth objective with its top at period 17, oversold 28; it records each batch's size. */
    private static final class Bowl implements Search.Scorer {
        final List<Integer> batches = new ArrayList<>();

        @Override
        public List<Double> scores(List<Map<String, String>> batch) {
            batches.add(batch.size());
            return batch.stream().map(c -> {
                double p = Double.parseDouble(c.get("period")) - 17;
                double o = Double.parseDouble(c.get("oversold")) - 28;
                return -(p * p + o * o);
            }).toList();
        }
    }

    @Test
    void rangesExpandToTheirValuesAndListsStayAsGiven() {
        assertEquals(26 * 16, SPACE.size());
        assertEquals(List.of("0.01", "0.02", "0.03"), Space.parse(List.of("stop.loss=0.01..0.03:0.01")).values().get(0));
        assertEquals(List.of("SMA", "EMA"), Space.parse(List.of("ma.type=SMA,EMA")).values().get(0));
        assertThrows(IllegalArgumentException.class, () -> Space.parse(List.of("period=30..5")));
        assertThrows(IllegalArgumentException.class, () -> Space.parse(List.of("period=5..x")));
    }

    @Test
    void aRandomSearchDrawsDistinctCandidatesTheSameForTheSameSeedAndScoresThemInOneBatch() throws Exception {
        List<Map<String, String>> a = Search.draw(SPACE, 200, 42);
        assertEquals(200, a.size());
        assertEquals(200, new HashSet<>(a).size(), "distinct");
        assertEquals(a, Search.draw(SPACE, 200, 42));
        assertNotEquals(a, Search.draw(SPACE, 200, 43));
        Bowl bowl = new Bowl();
        List<Search.Candidate> found = Search.search(SPACE, Search.Method.RANDOM, 200, 42, bowl);
        assertEquals(List.of(200), bowl.batches, "all 200 go to the runner at once: it runs them on every core");
        assertEquals(200, found.size());
        assertEquals(Search.draw(Space.parse(List.of("period=5..7")), 10, 1).size(), 3, "a small space: every combination once");
    }

    @Test
    void aGeneticSearchIsReproducibleStaysInItsBudgetAndClimbsTheObjective() throws Exception {
        Bowl first = new Bowl();
        List<Search.Candidate> a = Search.search(SPACE, Search.Method.GENETIC, 60, 7, first);
        List<Search.Candidate> b = Search.search(SPACE, Search.Method.GENETIC, 60, 7, new Bowl());
        assertEquals(a, b, "the same seed, the same candidates in the same order, the same scores");
        assertEquals(60, a.size(), "exactly the budget");
        assertEquals(60, new HashSet<>(a.stream().map(Search.Candidate::settings).toList()).size(), "no candidate runs twice");
        assertTrue(first.batches.size() > 1 && first.batches.get(0) == Search.POPULATION,
                "generation by generation, each a batch on every core: " + first.batches);
        assertNotEquals(a, Search.search(SPACE, Search.Method.GENETIC, 60, 8, new Bowl()));
        double best = a.stream().map(Search.Candidate::score).max(Comparator.naturalOrder()).orElseThrow();
        double firstGeneration = a.subList(0, Search.POPULATION).stream().map(Search.Candidate::score).max(Comparator.naturalOrder())
                .orElseThrow();
        assertTrue(best >= firstGeneration, "it keeps the best it found");
        assertTrue(best > -10, "it finds the neighbourhood of the top within 60 of 416 candidates: " + best);
    }
}
