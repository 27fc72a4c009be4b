package io.autotrade.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Kill -9 at random moments: the real runtime (the launcher jar) runs in a child JVM, trading the RSI
 * strategy on 240 real one-minute candles (about 50 fills); the test SIGKILLs it at a random moment of
 * the work (after its first journaled event, within the uninterrupted run's length),
 * restarts it on the same database with {@code --resume}, and checks the database against an
 * uninterrupted run: intact, nothing lost, nothing done twice, the same fills and the same final position.
 * The backtest journals its candles by reference: the child commits a group every 16 events
 * ({@code autotrade.journal.deferred.group.events}), always between two candles and ending with a
 * {@code market.replay_checkpoint}, so a kill leaves the journal at a checkpoint with no unfinished delivery, and
 * the resumed run warms up on the candles before it. {@code -Dcrash.iterations=N} runs more kill points.
 */
class CrashRecoveryIT {
    private static final Path JAR = Paths.get("../launcher/target/autotrade.jar").toAbsolutePath();
    private static final Path DATA = Paths.get(System.getProperty("autotrade.samples", "../data"))
            .resolve("upbit/KRW-BTC_1m_2020-02-20.csv").toAbsolutePath();
    private static final String RUN = "trade:backtest --data '" + DATA + "' --resume period=5 oversold=45 overbought=55";
    private static final int CANDLES = 240;
    /** Event types of which a cause has at most one (a fill: one per trade id), and what a second would mean. */
    private static final String[][] ONE_PER_CAUSE = {
        {"position.updated", "a fill updated the position twice"},
        {"order.requested", "a signal was ordered twice"},
        {"order.submitted", "an order was submitted twice"},
        {"order.rejected", "an order was rejected twice"},
        {"signal.generated", "a candle signalled twice"},
        {"order.filled", "a trade filled twice"}};

    @TempDir
    Path dir;

    private Process child(Path db) throws Exception {
        return child(db, "child.log");
    }

    private Process child(Path db, String logName) throws Exception {
        Path java = Paths.get(System.getProperty("java.home"), "bin", "java");
        List<String> command = new ArrayList<>(List.of(java.toString(), "--enable-native-access=ALL-UNNAMED"));
        if (Integer.parseInt(System.getProperty("java.specification.version")) >= 24) {
            // the flag the launcher would otherwise start a second JVM for: the SIGKILL must hit the runtime itself
            command.add("--sun-misc-unsafe-memory-access=allow");
        }
        command.add("-Dautotrade.journal.deferred.group.events=16"); // many commits, so kills land between them
        command.addAll(List.of("-jar", JAR.toString(), "--db", db.toString(), "-c", RUN));
        return new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(db.resolve(logName).toFile()).start();
    }

    /** The launcher as a user runs a backtest (no {@code -c}): it journals into {@code backtest-next.db} until it ends. */
    private Process launch(Path db, String logName, String... more) throws Exception {
        Path java = Paths.get(System.getProperty("java.home"), "bin", "java");
        List<String> command = new ArrayList<>(List.of(java.toString(), "--enable-native-access=ALL-UNNAMED"));
        if (Integer.parseInt(System.getProperty("java.specification.version")) >= 24) {
            command.add("--sun-misc-unsafe-memory-access=allow");
        }
        command.add("-Dautotrade.journal.deferred.group.events=16");
        command.addAll(List.of("-jar", JAR.toString(), "--db", db.toString(), "--data", BIG.toString(), "--market", "USDT-BTC"));
        command.addAll(List.of(more));
        return new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(db.resolve(logName).toFile()).start();
    }

    /** The bundled Binance minute file: long enough that a kill lands in the replay. */
    private static final Path BIG = Paths.get(System.getProperty("autotrade.samples", "../data"))
            .resolve("binance/BTCUSDT_1m_2023-03-01_2023-03-10.csv").toAbsolutePath();

    /**
     * A backtest started from the command line and killed continues with {@code --resume}: from its last checkpoint in
     * {@code backtest-next.db}, to the same fills and final position as a run that was not interrupted.
     */
    @Test
    void aKilledLaunchResumesWithTheLaunchersOption() throws Exception {
        Path baselineDb = Files.createDirectories(dir.resolve("launch-baseline"));
        runToEnd(baselineDb, launch(baselineDb, "child.log"));
        List<String> expected = outcome(baselineDb);
        assertTrue(expected.size() > 20, "the run trades: " + expected.size());

        Path db = Files.createDirectories(dir.resolve("launch-killed"));
        Path staging = db.resolve("backtest-next.db");
        Process p = launch(db, "killed.log");
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        int through = 0;
        while (p.isAlive() && System.nanoTime() < deadline && through == 0) {
            try {
                List<String> at = Files.exists(staging) ? Sql.column(staging, "SELECT json_extract(payload, '$.candles') FROM"
                        + " events WHERE type = 'market.replay_checkpoint' ORDER BY seq DESC LIMIT 1") : List.of();
                through = at.isEmpty() ? 0 : Integer.parseInt(at.get(0));
            } catch (SQLException busy) {
                // being written: look again
            }
            Thread.sleep(5);
        }
        assertTrue(p.isAlive(), () -> "killed in the replay, after a checkpoint; log: " + read(db.resolve("killed.log")));
        p.destroyForcibly();
        assertTrue(p.waitFor(30, TimeUnit.SECONDS));
        assertTrue(through > 0 && through < 14_400, "a checkpoint in the middle: " + through);
        assertFalse(Files.exists(db.resolve("backtest.db")), "nothing ended: no backtest.db yet");

        runToEnd(db, launch(db, "child.log", "--resume"));
        assertFalse(Files.exists(staging), "the resumed run became backtest.db");
        int killedAt = through;
        assertEquals(expected, outcome(db), () -> "killed after candle " + killedAt + ": the same fills and final position;"
                + " log of the resumed run:\n" + read(db.resolve("child.log")));
    }

    private void runToEnd(Path db) throws Exception {
        runToEnd(db, child(db));
    }

    private static void runToEnd(Path db, Process p) throws Exception {
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), "the run finished");
        assertEquals(0, p.exitValue(), () -> "exit code; log: " + log(db));
    }

    /**
     * Waits until the child has journaled its first event (the runtime is up and the replay has begun),
     * polling its database read-only; start-up time varies with the machine and the bundles, the work
     * after it is what the kills must land in.
     *
     * @return {@code true} once work has begun, {@code false} if the child ended first
     */
    private static boolean awaitWork(Process p, Path db) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (p.isAlive() && System.nanoTime() < deadline) {
            if (Files.exists(db.resolve("backtest.db"))) {
                try {
                    if (!column(db, "SELECT name FROM sqlite_master WHERE name = 'events'").isEmpty()
                            && !column(db, "SELECT 1 FROM events LIMIT 1").isEmpty()) {
                        return true;
                    }
                } catch (SQLException busy) {
                    // the child is creating or checkpointing the file: look again
                }
            }
            Thread.sleep(10);
        }
        return false;
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (Exception e) {
            return e.toString();
        }
    }

    private static String log(Path db) {
        try {
            return Files.readString(db.resolve("child.log"));
        } catch (Exception e) {
            return e.toString();
        }
    }

    private static List<String> column(Path db, String sql) throws Exception {
        return Sql.column(db.resolve("backtest.db"), sql);
    }

    /** What must be equal to the uninterrupted run: every fill in order, and the final position. */
    private static List<String> outcome(Path db) throws Exception {
        List<String> out = new ArrayList<>(column(db, "SELECT json_extract(payload, '$.side') || ' '"
                + " || json_extract(payload, '$.price') || ' ' || json_extract(payload, '$.volume') || ' '"
                + " || json_extract(payload, '$.fee') FROM events WHERE type = 'order.filled' ORDER BY seq"));
        out.addAll(column(db, "SELECT json_extract(payload, '$.position.volume') || ' '"
                + " || json_extract(payload, '$.position.realizedPnl') FROM events WHERE type = 'position.updated'"
                + " ORDER BY seq DESC LIMIT 1"));
        return out;
    }

    private static void assertNothingLostNothingTwice(Path db) throws Exception {
        assertEquals(List.of("ok"), column(db, "PRAGMA integrity_check"));
        assertEquals(List.of("0"), column(db, "SELECT count(*) FROM events WHERE type LIKE 'candle.%'"),
                "candles go by reference");
        assertEquals(List.of(String.valueOf(CANDLES)), column(db, "SELECT json_extract(payload, '$.candles') FROM events"
                + " WHERE type = 'market.replay_checkpoint' ORDER BY seq DESC LIMIT 1"), "the last checkpoint counts every candle");
        assertEquals(List.of("0"), column(db, "SELECT count(*) FROM pending"), "no unfinished delivery left");
        // each handler's work exactly once: at most one consequence of each kind per cause
        for (String[] rule : ONE_PER_CAUSE) {
            assertEquals(List.of(), column(db, "SELECT causation_id FROM events WHERE type = '" + rule[0] + "'"
                    + " GROUP BY causation_id, json_extract(payload, '$.tradeId') HAVING count(*) > 1"), rule[1]);
        }
        assertEquals(column(db, "SELECT count(*) FROM events WHERE type = 'order.filled'"),
                column(db, "SELECT count(*) FROM events WHERE type = 'position.updated'"), "every fill reached the position");
    }

    @Test
    void killNineAtRandomMomentsLosesNothingAndDoesNothingTwice() throws Exception {
        Path baselineDb = Files.createDirectories(dir.resolve("baseline"));
        Process baseline = child(baselineDb);
        assertTrue(awaitWork(baseline, baselineDb), "the baseline run journals events");
        long workStarted = System.nanoTime();
        runToEnd(baselineDb, baseline);
        long workMillis = Math.max(50, TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - workStarted));
        assertNothingLostNothingTwice(baselineDb);
        List<String> expected = outcome(baselineDb);
        assertTrue(expected.size() > 20, "the run trades: " + expected.size());

        int iterations = Integer.getInteger("crash.iterations", 20);
        long seed = Long.getLong("crash.seed", System.nanoTime());
        Random random = new Random(seed);
        int resumedMidway = 0;
        for (int i = 0; i < iterations; i++) {
            final int kill = i;
            Path db = Files.createDirectories(dir.resolve("kill-" + i));
            Process p = child(db, "killed.log");
            long killAfter = random.nextInt((int) workMillis); // after the work began, within its length
            assertTrue(awaitWork(p, db), "the run journals events");
            if (!p.waitFor(killAfter, TimeUnit.MILLISECONDS)) {
                p.destroyForcibly(); // SIGKILL on Linux: no shutdown hook, no flush
                assertTrue(p.waitFor(30, TimeUnit.SECONDS));
            }
            assertEquals(List.of("ok"), column(db, "PRAGMA integrity_check"), "intact right after the kill");
            List<String> checkpoint = column(db, "SELECT seq || ' ' || json_extract(payload, '$.candles') FROM events"
                    + " WHERE type = 'market.replay_checkpoint' ORDER BY seq DESC LIMIT 1");
            if (!checkpoint.isEmpty()) {
                String[] at = checkpoint.get(0).split(" ");
                assertEquals(List.of(at[0]), column(db, "SELECT max(seq) FROM events"), "the journal ends at its checkpoint");
                assertEquals(List.of("0"), column(db, "SELECT count(*) FROM pending"), "no delivery unfinished at a checkpoint");
                if (Integer.parseInt(at[1]) < CANDLES) {
                    resumedMidway++;
                }
            }
            runToEnd(db);
            assertNothingLostNothingTwice(db);
            List<String> counts = column(db, "SELECT type || '=' || count(*) FROM events GROUP BY type");
            assertEquals(expected, outcome(db), () -> "kill " + kill + " (seed " + seed + ") " + killAfter + " ms after the first event: same fills and final position;"
                    + " events " + counts + "; log of the resumed run:\n" + log(db) + "\nlog of the killed run:\n"
                    + read(db.resolve("killed.log")));
        }
        assertTrue(iterations < 5 || resumedMidway > 0, "some kill landed in the middle of the work, after a checkpoint");
    }
}
