package io.autotrade.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 19's crash test: paper trading, a position open with a stop-loss, the runtime SIGKILLed; the price falls
 * through the stop while it is down (the next replayed candle opens below it); after the restart exactly one
 * exit order goes out, reason {@code stop_loss}, at that open, and nothing else was ordered first.
 */
class ProtectionCrashIT {
    private static final Path JAR = Paths.get("../launcher/target/autotrade.jar").toAbsolutePath();

    @TempDir
    Path dir;

    private Process start(Path db, String log) throws Exception {
        List<String> command = new ArrayList<>(List.of(Paths.get(System.getProperty("java.home"), "bin", "java").toString(),
                "--enable-native-access=ALL-UNNAMED"));
        if (Integer.parseInt(System.getProperty("java.specification.version")) >= 24) {
            command.add("--sun-misc-unsafe-memory-access=allow"); // no relaunch: the SIGKILL must hit the runtime itself
        }
        command.addAll(List.of("-jar", JAR.toString(), "--feature", "paper", "--db", db.toString()));
        return new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(dir.resolve(log).toFile()).start();
    }

    private Path candles(String name, String... rows) throws Exception {
        Path file = dir.resolve("KRW-BTC_day_" + name + ".csv");
        Files.writeString(file, "Date,Open,High,Low,Close,Volume\n" + String.join("\n", rows) + "\n");
        return file;
    }

    private static List<String> column(Path db, String sql) throws Exception {
        return Sql.column(db.resolve("paper.db"), sql);
    }

    /** Polls the child's database until the query gives a row, or the child ends, or 90 s pass. */
    private static boolean await(Process p, Path db, String sql) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
        while (p.isAlive() && System.nanoTime() < deadline) {
            try {
                if (Files.exists(db.resolve("paper.db")) && !column(db, sql).isEmpty()) {
                    return true;
                }
            } catch (SQLException busy) {
                // the child is creating or checkpointing the file: look again
            }
            Thread.sleep(50);
        }
        return false;
    }

    @Test
    void aStopCrossedWhileTheRuntimeWasDownExitsFirstAndOnce() throws Exception {
        Path db = dir.resolve("paper");
        Files.createDirectories(db.resolve("etc"));
        Files.writeString(db.resolve("etc").resolve("io.autotrade.strategy.rsi-btc.cfg"),
                "market = KRW-BTC\nperiod = 2\noversold = 30\noverbought = 70\norder.amount = 1000000\nstop.loss = 0.02\n");
        // RSI(2): 0 after two falls, 33.3 after the rise to 85,000,000: a buy, filled at the next open (86,000,000);
        // its stop is 84,280,000, which the last candle here does not reach
        Path before = candles("before", "2024-01-01,100000000,100000000,100000000,100000000,1",
                "2024-01-02,100000000,100000000,90000000,90000000,1", "2024-01-03,90000000,90000000,80000000,80000000,1",
                "2024-01-04,80000000,85000000,80000000,85000000,1", "2024-01-05,86000000,87000000,85000000,86000000,1");
        Path after = candles("after", "2024-01-06,80000000,81000000,79000000,80000000,1");

        Process first = start(db, "first.log");
        try (var in = first.getOutputStream()) {
            in.write(("trade:replay '" + before + "'\n").getBytes(StandardCharsets.UTF_8));
            in.flush();
            assertTrue(await(first, db, "SELECT 1 FROM events WHERE type = 'candle.closed' AND"
                    + " json_extract(payload, '$.candle.openTime') LIKE '%2024-01-05%'"),
                    () -> "the first run replayed its candles: " + read(dir.resolve("first.log")));
            assertTrue(await(first, db, "SELECT 1 FROM events WHERE type = 'protection.updated'"
                    + " AND json_extract(payload, '$.volume') > 0 AND json_extract(payload, '$.stopLevel') = 84280000"),
                    () -> "the position is guarded: " + read(dir.resolve("first.log")));
            first.destroyForcibly(); // SIGKILL
            assertTrue(first.waitFor(30, TimeUnit.SECONDS));
        }
        assertEquals(List.of("BID"), column(db, "SELECT json_extract(payload, '$.order.side') FROM events"
                + " WHERE type = 'order.requested' ORDER BY seq"), "one buy before the kill");
        long lastSeq = Long.parseLong(column(db, "SELECT max(seq) FROM events").get(0));

        Process second = start(db, "second.log");
        try (var in = second.getOutputStream()) {
            in.write(("trade:replay '" + after + "'\ntrade:orders\nstop 0\n").getBytes(StandardCharsets.UTF_8));
        }
        assertTrue(second.waitFor(120, TimeUnit.SECONDS), "the second run ended");
        String log = read(dir.resolve("second.log"));
        assertEquals(0, second.exitValue(), log);

        List<String> ordered = column(db, "SELECT json_extract(payload, '$.order.side') || ' ' || coalesce(json_extract(payload,"
                + " '$.exit.reason'), '-') || ' ' || coalesce(json_extract(payload, '$.exit.triggerPrice'), '-') FROM events"
                + " WHERE type = 'order.requested' AND seq > " + lastSeq + " ORDER BY seq");
        assertEquals(List.of("ASK STOP_LOSS 80000000"), ordered, "exactly one exit, first, at the open below the stop: " + log);
        assertEquals(List.of("80000000"), column(db, "SELECT json_extract(payload, '$.price') FROM events"
                + " WHERE type = 'order.filled' AND json_extract(payload, '$.side') = 'ASK'"), "filled at that open");
        assertEquals(List.of("1"), column(db, "SELECT json_extract(payload, '$.volume') = 0 FROM events"
                + " WHERE type = 'protection.updated' ORDER BY seq DESC LIMIT 1"), "flat, nothing guarded");
        assertTrue(log.lines().anyMatch(l -> l.contains("FILLED") && l.contains("stop_loss")), "trade:orders shows why: " + log);
    }

    @Test
    void anOperatorSeesTheLevelsAndAHaltWithCloseSellsAtMarketWithReasonHalt() throws Exception {
        Path db = dir.resolve("halt");
        Files.createDirectories(db.resolve("etc"));
        Files.writeString(db.resolve("etc").resolve("io.autotrade.strategy.rsi-btc.cfg"),
                "market = KRW-BTC\nperiod = 2\noversold = 30\noverbought = 70\norder.amount = 1000000\nstop.loss = 0.02\n"
                        + "take.profit = 0.1\n");
        Path before = candles("open", "2024-01-01,100000000,100000000,100000000,100000000,1",
                "2024-01-02,100000000,100000000,90000000,90000000,1", "2024-01-03,90000000,90000000,80000000,80000000,1",
                "2024-01-04,80000000,85000000,80000000,85000000,1", "2024-01-05,86000000,87000000,85000000,86000000,1");
        Process p = start(db, "halt.log");
        try (var in = p.getOutputStream()) {
            in.write(("trade:replay '" + before + "'\ntrade:exits\ntrade:halt --close maintenance\n").getBytes(StandardCharsets.UTF_8));
            in.flush();
            assertTrue(await(p, db, "SELECT 1 FROM events WHERE type = 'order.filled' AND json_extract(payload, '$.side') = 'ASK'"),
                    () -> "the exit filled: " + read(dir.resolve("halt.log")));
            in.write("trade:orders\nstop 0\n".getBytes(StandardCharsets.UTF_8));
        }
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), "the run ended");
        String log = read(dir.resolve("halt.log"));
        assertEquals(0, p.exitValue(), log);
        assertTrue(log.contains("84280000") && log.contains("94600000"), "trade:exits shows the stop and target levels: " + log);
        assertTrue(log.contains("closing rsi-KRW-BTC: order"), log);
        assertEquals(List.of("ASK HALT 86000000"), column(db, "SELECT json_extract(payload, '$.order.side') || ' '"
                + " || json_extract(payload, '$.exit.reason') || ' ' || json_extract(payload, '$.exit.triggerPrice') FROM events"
                + " WHERE type = 'order.requested' AND json_extract(payload, '$.exit') IS NOT NULL"),
                "closed while halted, at the last close: " + log);
        assertTrue(log.lines().anyMatch(l -> l.contains("FILLED") && l.contains("halt")), "trade:orders shows why: " + log);
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (Exception e) {
            return e.toString();
        }
    }
}
