package io.autotrade.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The dashboard in a real headless browser (Debian's chromium through its chromedriver, which {@code .ci/run} installs):
 * a paper runtime started as a user starts it ({@code java -jar autotrade.jar --feature paper}), the trader pastes the
 * token the runtime made, sees positions and the event stream fill in while the bundled candles replay through the
 * shell, presses Halt and sees the state change. The page logs no console error. A screenshot is saved as
 * {@code target/dashboard.png}.
 */
class DashboardIT {
    private static final Path JAR = Paths.get("../launcher/target/autotrade.jar").toAbsolutePath();
    private static final Path SAMPLES = Paths.get(System.getProperty("autotrade.samples", "../data")).toAbsolutePath();
    private Process runtime;
    private WebDriver browser;

    private final List<String> output = new CopyOnWriteArrayList<>();

    @AfterEach
    void stop() throws Exception {
        if (browser != null) {
            // what the page and the runtime said, for a failure's diagnosis
            Files.createDirectories(Paths.get("target"));
            Files.write(Paths.get("target", "dashboard-last.png"), ((TakesScreenshot) browser).getScreenshotAs(OutputType.BYTES));
            Files.writeString(Paths.get("target", "dashboard-last.log"), "browser console:\n"
                    + String.join("\n", browser.manage().logs().get(LogType.BROWSER).getAll().stream().map(LogEntry::toString).toList())
                    + "\nruntime output:\n" + String.join("\n", output));
            browser.quit();
        }
        if (runtime != null) {
            runtime.destroy();
            if (!runtime.waitFor(30, TimeUnit.SECONDS)) {
                runtime.destroyForcibly();
            }
        }
    }

    @Test
    void aTraderWatchesAReplayAndHaltsTradingFromTheDashboard(@TempDir Path dir) throws Exception {
        Browser.assumeInstalled();
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        Path db = dir.resolve("paper");
        runtime = new ProcessBuilder(Paths.get(System.getProperty("java.home"), "bin", "java").toString(), "-jar", JAR.toString(),
                "--feature", "paper", "--db", db.toString(), "--http", "127.0.0.1:" + port)
                .redirectErrorStream(true).start();
        Thread reader = new Thread(() -> {
            try (BufferedReader in = new BufferedReader(new InputStreamReader(runtime.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line; (line = in.readLine()) != null;) {
                    output.add(line);
                }
            } catch (IOException e) {
                // the process ended
            }
        });
        reader.setDaemon(true);
        reader.start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (output.stream().noneMatch(l -> l.contains("dashboard and REST API: http://127.0.0.1:" + port + "/"))) {
            assertTrue(runtime.isAlive() && System.nanoTime() < deadline, "the runtime says where the dashboard is: " + output);
            Thread.sleep(100);
        }
        String announced = output.stream().filter(l -> l.contains("dashboard and REST API")).findFirst().orElseThrow();
        Path tokenFile = db.resolve("http.token");
        assertTrue(announced.contains("bearer token in " + tokenFile), announced);
        String token = Files.readString(tokenFile).strip();
        assertFalse(String.join("\n", output).contains(token), "the token itself is never printed");

        browser = Browser.headless(dir.resolve("chromium-profile"), "1400,1800");
        WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(30));

        browser.get("http://127.0.0.1:" + port + "/");
        wait.until(d -> d.getCurrentUrl().endsWith("/dashboard/index.html") && d.findElement(By.id("token")).isDisplayed());
        browser.findElement(By.id("token")).sendKeys(token);
        browser.findElement(By.id("connect")).click();
        wait.until(d -> d.findElement(By.id("app")).isDisplayed() && d.findElement(By.id("trading-state")).getText().equals("IDLE"));
        assertFalse(browser.findElement(By.id("login")).isDisplayed(), "the token form goes once connected");
        wait.until(d -> d.findElement(By.id("stream-status")).getText().equals("stream: live"));
        assertTrue(browser.findElement(By.id("positions")).getText().contains("no positions"));

        // candles replay through the shell while the page watches
        OutputStream shell = runtime.getOutputStream();
        Path candles = Files.copy(SAMPLES.resolve("upbit/KRW-BTC_day_2024-01-02_2024-07.csv"), dir.resolve("KRW-BTC_day_2024-01-02_2024-07.csv"),
                StandardCopyOption.REPLACE_EXISTING);
        shell.write(("trade:config io.autotrade.strategy.rsi~btc market KRW-BTC\n"
                + "trade:config io.autotrade.strategy.rsi~btc period 7\n"
                + "trade:config io.autotrade.strategy.rsi~btc oversold 40\n"
                + "trade:config io.autotrade.strategy.rsi~btc overbought 60\n"
                + "trade:replay '" + candles + "'\n").getBytes(StandardCharsets.UTF_8));
        shell.flush();
        wait.withTimeout(Duration.ofSeconds(60)).until(d -> d.findElement(By.id("events")).getText().contains("candle.closed"));
        // the newest events first; the filter finds the fills among them
        browser.findElement(By.id("filter-type")).sendKeys("order.");
        wait.until(d -> d.findElement(By.id("events")).getText().contains("order.filled"));
        assertFalse(browser.findElement(By.id("events")).getText().contains("candle.closed"), "the type filter hides the candles");
        wait.until(d -> d.findElement(By.id("positions")).getText().contains("KRW-BTC"));
        wait.until(d -> d.findElement(By.id("strategies")).getText().contains("rsi-KRW-BTC"));
        wait.until(d -> !d.findElement(By.id("equity-now")).getText().isEmpty());
        assertTrue(browser.findElement(By.id("bus")).getText().contains("CRITICAL_TRADING"));
        assertTrue(browser.findElement(By.id("risk")).getText().contains("max.order.notional"));

        // a click on an event shows its causation chain
        browser.findElements(By.cssSelector("#events tr.clickable")).stream()
                .filter(tr -> tr.getText().contains("order.filled")).findFirst().orElseThrow().click();
        wait.until(d -> d.findElement(By.id("chain")).getText().contains("signal.generated")
                && d.findElement(By.id("chain")).getText().contains("order.filled"));

        browser.findElement(By.id("filter-type")).clear();
        browser.findElement(By.id("halt-reason-input")).sendKeys("dashboard test");
        browser.findElement(By.id("halt")).click();
        wait.until(d -> d.findElement(By.id("trading-state")).getText().equals("HALTED"));
        assertTrue(browser.findElement(By.id("halt-reason")).getText().contains("halted from the API: dashboard test"));

        Path shot = Paths.get("target", "dashboard.png");
        Files.createDirectories(shot.getParent());
        Files.write(shot, ((TakesScreenshot) browser).getScreenshotAs(OutputType.BYTES));

        browser.findElement(By.id("resume")).click();
        wait.until(d -> !d.findElement(By.id("trading-state")).getText().equals("HALTED"));

        assertEquals(List.of(), Browser.consoleErrors(browser), "the page logs no console error");

        shell.write("stop 0\n".getBytes(StandardCharsets.UTF_8));
        shell.flush();
        assertTrue(runtime.waitFor(30, TimeUnit.SECONDS), "the runtime stops on 'stop 0'");
        String all = String.join("\n", output);
        assertFalse(all.contains("Exception") || all.contains("WARNING:"), "no stack trace or JVM warning: " + all);
    }
}
