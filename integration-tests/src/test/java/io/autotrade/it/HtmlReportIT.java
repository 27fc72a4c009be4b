package io.autotrade.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.autotrade.launcher.Main;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The trader's view of a backtest, through the launcher: the HTML report next to the JSON one,
 * rendered in headless Chromium (Debian's {@code chromium}, installed by {@code .ci/run}; the browser
 * check is skipped with a message where it cannot be installed), and {@code --compare} over a grid.
 */
class HtmlReportIT {
    private static final Path SAMPLES = Paths.get(System.getProperty("autotrade.samples", "../data"));
    private static final Path CHROMIUM = Paths.get("/usr/bin/chromium");
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    @Test
    void theHtmlReportRendersInHeadlessChromiumWithItsChartAndTheJsonFigures() throws Exception {
        Path db = dir.resolve("db");
        assertEquals(0, Main.run(new String[] {"--db", db.toString()}), "the main job");
        Path html = db.resolve("backtest-report.html");
        assertTrue(Files.size(html) > 10_000, "an HTML report is written next to the database");
        JsonNode json = JSON.readTree(db.resolve("backtest-report.json").toFile());
        String page = Files.readString(html);
        String exact = json.get("metrics").get("sharpe").asText();
        assertTrue(page.contains("data-metric=\"sharpe\"><th class=\"l\">Sharpe (daily, &times;&radic;365)</th><td data-value=\""
                + exact + "\""), "the page carries the JSON report's Sharpe " + exact);
        assertTrue(page.contains("data-value=\"" + json.get("total_return").asText() + "\""));

        Assumptions.assumeTrue(Files.isExecutable(CHROMIUM),
                "chromium is not installed at /usr/bin/chromium (.ci/run installs Debian's package): browser check skipped");
        Path profile = Files.createDirectories(dir.resolve("chromium-profile"));
        Path png = dir.resolve("report.png");
        List<String> common = List.of(CHROMIUM.toString(), "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
                "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--user-data-dir=" + profile);
        List<String> shot = new ArrayList<>(common);
        shot.addAll(List.of("--window-size=1280,2600", "--screenshot=" + png, html.toUri().toString()));
        run(shot);
        assertTrue(Files.exists(png) && Files.size(png) > 20_000, "a screenshot of the rendered page");
        byte[] header = Files.readAllBytes(png);
        assertEquals((byte) 0x89, header[0]);
        assertEquals('P', header[1]);

        List<String> dump = new ArrayList<>(common);
        dump.addAll(List.of("--dump-dom", html.toUri().toString()));
        String dom = run(dump);
        assertTrue(dom.contains("<figure id=\"chart\"><svg"), "the rendered DOM holds the SVG chart");
        Matcher paths = Pattern.compile("<path").matcher(dom);
        int count = 0;
        while (paths.find()) {
            count++;
        }
        assertTrue(count > 20, "the chart draws its series and axes: " + count + " paths");
        assertTrue(dom.contains("id=\"metrics\"") && dom.contains("id=\"closed-trades\"") && dom.contains("id=\"inputs\""));
        assertTrue(dom.contains("id=\"monthly-returns\"") && dom.contains("id=\"drawdowns\"") && dom.contains("id=\"trade-stats\"")
                && dom.contains("<figure id=\"rolling-sharpe\"><svg"), "the tearsheet is on the page");

        // the page in a driven browser: it logs no console error, and its tables hold the JSON's figures
        Browser.assumeInstalled();
        org.openqa.selenium.WebDriver browser = Browser.headless(dir.resolve("driven-profile"), "1280,2000");
        try {
            browser.get(html.toUri().toString());
            JsonNode firstMonth = json.get("monthly_returns").get(0);
            assertEquals(firstMonth.get("return_after_fees").asText(), browser.findElement(org.openqa.selenium.By.cssSelector(
                    "table#monthly-returns td[data-month='" + firstMonth.get("month").asText() + "']")).getDomAttribute("data-value"));
            assertEquals(json.get("round_trips").size() + 1,
                    browser.findElements(org.openqa.selenium.By.cssSelector("table#closed-trades tr")).size());
            assertEquals(List.of(), Browser.consoleErrors(browser), "the report logs no console error");
        } finally {
            browser.quit();
        }
    }

    @Test
    void aMonteCarloOfTheRoundTripsIsInBothReportsAndTheSameSeedGivesTheSameFigures() throws Exception {
        JsonNode[] runs = new JsonNode[2];
        for (int i = 0; i < 2; i++) {
            Path db = dir.resolve("mc-" + i);
            assertEquals(0, Main.run(new String[] {"--db", db.toString(), "--monte-carlo", "500", "--seed", "7"}));
            runs[i] = JSON.readTree(db.resolve("backtest-report.json").toFile()).get("monte_carlo");
            String page = Files.readString(db.resolve("backtest-report.html"));
            assertTrue(page.contains("<table id=\"monte-carlo\">"), "the HTML report shows it");
        }
        assertEquals(500, runs[0].get("runs").asInt());
        assertEquals(7, runs[0].get("seed").asLong());
        assertEquals(runs[0], runs[1], "the same seed, the same draws");
        BigDecimal p5 = new BigDecimal(runs[0].get("final_equity_after_fees").get("p5").asText());
        BigDecimal p95 = new BigDecimal(runs[0].get("final_equity_after_fees").get("p95").asText());
        assertTrue(p5.compareTo(p95) <= 0, runs[0].toString());
    }

    private static String run(List<String> command) throws Exception {
        Process p = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "chromium finished");
        assertEquals(0, p.exitValue(), "chromium exit code for " + command);
        return out;
    }

    @Test
    void compareRanksAGridOfSettingsAndLinksEachRunsReport() throws Exception {
        Path db = dir.resolve("cmp");
        Path data = SAMPLES.resolve("upbit/KRW-BTC_1m_2020-02-20.csv").toAbsolutePath();
        assertEquals(0, Main.run(new String[] {"--db", db.toString(), "--data", data.toString(),
            "--compare", "period=7,14", "--compare", "oversold=25,35"}));
        Path root = db.resolve("compare");
        List<BigDecimal> returns = new ArrayList<>();
        String page = Files.readString(root.resolve("compare.html"));
        Matcher links = Pattern.compile("<a href=\"(run-\\d)/backtest-report.html\">").matcher(page);
        List<String> ranked = new ArrayList<>();
        while (links.find()) {
            ranked.add(links.group(1));
        }
        assertEquals(4, ranked.size(), "2 x 2 runs: " + page);
        for (String run : ranked) {
            assertTrue(Files.exists(root.resolve(run).resolve("backtest-report.html")));
            JsonNode report = JSON.readTree(root.resolve(run).resolve("backtest-report.json").toFile());
            returns.add(new BigDecimal(report.get("total_return").asText()));
        }
        for (int i = 1; i < returns.size(); i++) {
            assertTrue(returns.get(i - 1).compareTo(returns.get(i)) >= 0, "ranked by total return: " + returns);
        }
        JsonNode first = JSON.readTree(root.resolve("run-1/backtest-report.json").toFile());
        assertEquals("7", first.get("strategy_settings").get("period").asText());
        assertEquals("25", first.get("strategy_settings").get("oversold").asText());
    }
}
