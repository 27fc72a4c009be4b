package io.autotrade.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.autotrade.launcher.Main;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The look-ahead check through the launcher on the bundled minute candles: a strategy that cheats on purpose (it reads
 * the range of the candle that is only opening, module {@code testing-strategy-leak}, installed with {@code --bundle})
 * is flagged, naming the signal that vanishes without the later candles; RSI and the moving-average crossover pass.
 */
class BiasCheckIT {
    private static final Path SAMPLES = Paths.get(System.getProperty("autotrade.samples", "../data")).toAbsolutePath();
    private static final Path LEAK = Paths.get("../testing-strategy-leak/target/io.autotrade.testing.strategy.leak-0.1.0-SNAPSHOT.jar")
            .toAbsolutePath();
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    private JsonNode check(String name, int expectedExit, String... strategy) throws Exception {
        Path db = dir.resolve(name);
        List<String> args = new ArrayList<>(List.of("--db", db.toString(), "--data",
                SAMPLES.resolve("upbit/KRW-BTC_1m_2020-02-20.csv").toString(), "--check-lookahead", "--check-points", "5"));
        args.addAll(List.of(strategy));
        assertEquals(expectedExit, Main.run(args.toArray(String[]::new)), name + ": exit code (3 = a bias was flagged)");
        return JSON.readTree(db.resolve("checks").resolve("checks.json").toFile());
    }

    @Test
    void aStrategyThatReadsTheCandleAheadIsFlaggedAndRsiAndTheCrossoverPass() throws Exception {
        assertTrue(Files.exists(LEAK), "the leaking test bundle is built before the integration tests: " + LEAK);
        JsonNode leak = check("leak", 3, "--bundle", LEAK.toString(), "--strategy", "leak");
        assertTrue(leak.get("flagged").asBoolean());
        JsonNode la = leak.get("results").get(0).get("lookahead");
        assertTrue(la.get("checked").asInt() >= 3, la.toString());
        assertFalse(la.get("changed").isEmpty(), "the cheat is caught: " + la);
        assertTrue(la.get("changed").get(0).get("difference").asText().contains("the candle opening now will rise"), la.toString());

        for (String[] strategy : new String[][] {{"--strategy", "rsi", "--strategy-config", "period=7"},
                {"--strategy", "macross", "--strategy-config", "fast.period=5", "--strategy-config", "slow.period=20"}}) {
            JsonNode honest = check(strategy[1], 0, strategy);
            assertFalse(honest.get("flagged").asBoolean(), honest.toString());
            JsonNode result = honest.get("results").get(0).get("lookahead");
            assertTrue(result.get("signals").asInt() >= 2 && result.get("checked").asInt() >= 2, strategy[1] + " signals: " + result);
            assertEquals(0, result.get("changed").size());
        }

        // a run without a signal checks nothing, and says so: exit code 4, not a pass
        JsonNode idle = check("idle", 4, "--strategy", "rsi", "--strategy-config", "period=14");
        assertTrue(idle.get("unchecked").asBoolean());
        assertEquals(0, idle.get("results").get(0).get("lookahead").get("checked").asInt());
    }
}
