package io.autotrade.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.autotrade.launcher.Main;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code --search N} through the launcher: a genetic search (Jenetics) over RSI ranges on the bundled minute file runs
 * its candidates on every processor, and the same seed gives the same candidates, scores and winner twice.
 */
class SearchIT {
    private static final Path SAMPLES = Paths.get(System.getProperty("autotrade.samples", "../data")).toAbsolutePath();
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    @Test
    void theSameSeedGivesTheSameSearchTwiceOnEveryProcessor() throws Exception {
        JsonNode[] results = new JsonNode[2];
        for (int i = 0; i < 2; i++) {
            Path db = dir.resolve("search-" + i);
            ByteArrayOutputStream said = new ByteArrayOutputStream();
            PrintStream before = System.out;
            System.setOut(new PrintStream(said, true, StandardCharsets.UTF_8));
            try {
                assertEquals(0, Main.run(new String[] {"--db", db.toString(), "--data",
                    SAMPLES.resolve("upbit/KRW-BTC_1m_2020-02-20.csv").toString(), "--compare", "period=5..30",
                    "--compare", "oversold=20..40", "--search", "6", "--search-method", "genetic", "--seed", "5",
                    "--objective", "total_return"}));
            } finally {
                System.setOut(before);
            }
            String out = said.toString(StandardCharsets.UTF_8);
            assertTrue(out.contains("search of 6 of 546 combinations (genetic, seed 5), ranked by total_return; "
                    + java.lang.Runtime.getRuntime().availableProcessors() + " at a time"), out);
            assertTrue(out.contains("best by total_return: "), out);
            results[i] = JSON.readTree(db.resolve("search").resolve("search.json").toFile());
            assertEquals(6, results[i].get("candidates").size());
            assertTrue(Files.readString(db.resolve("search").resolve("search.html")).contains("<table id=\"ranking\">"));
        }
        assertEquals(results[0], results[1], "the same seed, the same search");
    }
}
