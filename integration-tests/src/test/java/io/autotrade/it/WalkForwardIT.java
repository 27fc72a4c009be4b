package io.autotrade.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.autotrade.launcher.Main;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Walk-forward optimisation on the bundled Binance minute file (train 3 days, test 1 day): the test spans never
 * overlap their train spans, no test run trades a candle of its warm-up, the stitched out-of-sample equity is the
 * initial cash plus the sum of the test runs' gains, and the page renders in headless Chromium without a console error.
 */
class WalkForwardIT {
    private static final Path SAMPLES = Paths.get(System.getProperty("autotrade.samples", "../data")).toAbsolutePath();
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    @Test
    void eachWindowTestsTheTrainWinnerOnTheSpanAfterItAndTheTestsStitchIntoOneCurve() throws Exception {
        Path db = dir.resolve("wf");
        assertEquals(0, Main.run(new String[] {"--db", db.toString(), "--data",
            SAMPLES.resolve("binance/BTCUSDT_1m_2023-03-01_2023-03-10.csv").toString(), "--market", "USDT-BTC",
            "--walk-forward", "train=P3D,test=P1D", "--compare", "period=7,14", "--objective", "sharpe"}));
        Path root = db.resolve("walk-forward");
        JsonNode summary = JSON.readTree(root.resolve("walk-forward.json").toFile());
        JsonNode windows = summary.get("windows");
        assertEquals(7, windows.size(), "10 days: 3 to train, then 7 test days");
        BigDecimal initial = new BigDecimal(summary.get("initial_cash").asText());
        BigDecimal gains = BigDecimal.ZERO;
        Instant previousTestEnd = null;
        for (JsonNode w : windows) {
            Instant trainFrom = Instant.parse(w.get("train_from").asText());
            Instant trainTo = Instant.parse(w.get("train_to").asText());
            Instant testFrom = Instant.parse(w.get("test_from").asText());
            Instant testTo = Instant.parse(w.get("test_to").asText());
            assertTrue(!testFrom.isBefore(trainTo) && trainFrom.isBefore(trainTo) && testFrom.isBefore(testTo),
                    "the test span never overlaps the train span: " + w);
            if (previousTestEnd != null) {
                assertFalse(testFrom.isBefore(previousTestEnd), "test spans do not overlap one another");
            }
            previousTestEnd = testTo;
            int number = w.get("window").asInt();
            JsonNode test = JSON.readTree(root.resolve("window-" + number).resolve("test").resolve("backtest-report.json").toFile());
            assertEquals(testFrom.toString(), test.get("first_open").asText(), "the test run's report starts at the test span");
            assertFalse(Instant.parse(test.get("last_close").asText()).isAfter(testTo));
            for (JsonNode fill : test.get("trades")) {
                assertFalse(Instant.parse(fill.get("time").asText()).isBefore(testFrom), "no fill in the warm-up: " + fill);
            }
            assertEquals(w.get("chosen").get("period").asText(), test.get("strategy_settings").get("period").asText(),
                    "the test run trades the chosen settings");
            JsonNode best = null;
            for (JsonNode c : w.get("candidates")) {
                if (best == null || c.get("score").asDouble() > best.get("score").asDouble()) {
                    best = c;
                }
            }
            assertEquals(best.get("settings"), w.get("chosen"), "the chosen settings score best in sample");
            JsonNode train = JSON.readTree(root.resolve("window-" + number).resolve("train-1").resolve("backtest-report.json").toFile());
            assertEquals(trainFrom.toString(), train.get("first_open").asText());
            gains = gains.add(new BigDecimal(test.get("final_equity").asText()).subtract(initial));
        }
        assertEquals(0, initial.add(gains).compareTo(new BigDecimal(summary.get("stitched_final_equity").asText())),
                "stitched out-of-sample equity = initial cash + the sum of the test runs' gains");
        JsonNode stitched = summary.get("stitched_equity");
        assertEquals(0, new BigDecimal(stitched.get(stitched.size() - 1).get("equity").asText())
                .compareTo(new BigDecimal(summary.get("stitched_final_equity").asText())), "the curve ends where the sum does");

        Path page = root.resolve("walk-forward.html");
        String html = Files.readString(page);
        assertEquals(7, html.split("<tr data-window=").length - 1, "one row per window");
        Browser.assumeInstalled();
        org.openqa.selenium.WebDriver browser = Browser.headless(dir.resolve("profile"), "1200,1600");
        try {
            browser.get(page.toUri().toString());
            assertTrue(browser.findElement(org.openqa.selenium.By.cssSelector("#stitched svg polyline")).isDisplayed());
            assertEquals(8, browser.findElements(org.openqa.selenium.By.cssSelector("table#windows tr")).size());
            assertEquals(List.of(), Browser.consoleErrors(browser));
        } finally {
            browser.quit();
        }
    }
}
