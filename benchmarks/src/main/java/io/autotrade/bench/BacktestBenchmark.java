package io.autotrade.bench;

import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The backtest as a user runs it: {@code java -jar autotrade.jar} with no option of ours (so the launcher starts its
 * runtime JVM as it does for a user: from its AOT cache, with its collector), the RSI strategy through the whole
 * pipeline (strategy, risk, order manager, paper exchange, position manager, the journal). Not JMH: a
 * process is what is measured. Data: the bundled Binance minute file (14,400 candles, 10 days) repeated
 * with its times moved on by 10 days each time, to {@code bench.backtest.candles} candles (default
 * 1,000,000). Measured: the replay rate the run reports (candles/s after start-up), the wall time, the
 * peak RSS ({@code VmHWM}, the sum over the launcher and its runtime JVM, read while they run) and the bytes they wrote
 * ({@code write_bytes} of this process's {@code /proc/PID/io}, before and after: a reaped child's counts are added to
 * its parent's); baselines of the same run: 10,000 candles
 * (memory and bytes per candle should not grow with the run), and 100 candles (start-up: the JVM up to a finished
 * backtest). With {@code -Dbench.backtrader=DIR} (a backtrader source checkout) the same big file also goes through
 * backtrader's bar-by-bar run of the same rules ({@code benchmarks/backtrader/rsi_backtest.py}), timed the same way.
 */
final class BacktestBenchmark {
    private static final Pattern REPLAYED = Pattern.compile("replayed (\\d+) candles in ([0-9.]+) s \\((\\d+) candles/s\\)");
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ssXXX");

    /** One measured run. */
    record Result(int candles, double wallSeconds, double replayRate, long peakRssKiB, long bytesWritten,
            double readySeconds) {
        double bytesPerCandle() {
            return (double) bytesWritten / candles;
        }
    }

    private BacktestBenchmark() {
    }

    /**
     * @param jar     the launcher jar
     * @param sample  the bundled Binance minute file
     * @param candles candles of the big run
     * @return the big run, the 10,000-candle run, the 100-candle run
     */
    static Result[] run(Path jar, Path sample, int candles) throws Exception {
        Path dir = Files.createTempDirectory("autotrade-bench-backtest");
        Result big = backtest(jar, repeated(sample, candles, dir), dir.resolve("big"), candles);
        Result small = backtest(jar, repeated(sample, 10_000, dir), dir.resolve("small"), 10_000);
        Result start = backtest(jar, repeated(sample, 100, dir), dir.resolve("start"), 100);
        return new Result[] {big, small, start};
    }

    /** @return a file of {@code count} candles: the sample, then again 10 days later, and so on */
    static Path repeated(Path sample, int count, Path dir) throws IOException {
        List<String> rows = Files.readAllLines(sample, StandardCharsets.UTF_8);
        String header = rows.get(0);
        List<String> body = rows.subList(1, rows.size()).stream().filter(l -> !l.isBlank()).toList();
        Duration span = Duration.ofMinutes(body.size());
        Path file = dir.resolve("BTCUSDT_1m_bundled_repeated_" + count + ".csv");
        try (BufferedWriter out = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            out.write(header);
            out.newLine();
            for (int i = 0; i < count; i++) {
                String row = body.get(i % body.size());
                int comma = row.indexOf(',');
                OffsetDateTime time = OffsetDateTime.parse(row.substring(0, comma).replace(' ', 'T'))
                        .plus(span.multipliedBy(i / body.size()));
                out.write(TIME.format(time.withOffsetSameInstant(ZoneOffset.UTC)).replace("Z", "+00:00"));
                out.write(row, comma, row.length() - comma);
                out.newLine();
            }
        }
        return file;
    }

    private static Result backtest(Path jar, Path data, Path db, int candles) throws Exception {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        command.addAll(List.of("-jar", jar.toString(), "--db", db.toString(),
                "--data", data.toString(), "--market", "USDT-BTC", "--cash", "10000"));
        Path log = db.resolveSibling(db.getFileName() + ".log");
        long writtenBefore = procValue(ProcessHandle.current().pid(), "io", "write_bytes:");
        long started = System.nanoTime();
        java.time.Instant startedAt = java.time.Instant.now();
        Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        long rss = 0;
        long written = 0;
        java.util.Map<Long, Long> peaks = new java.util.HashMap<>(); // per process: peak RSS
        while (!p.waitFor(100, TimeUnit.MILLISECONDS)) {
            List<ProcessHandle> tree = new ArrayList<>(List.of(p.toHandle()));
            p.descendants().forEach(tree::add);
            for (ProcessHandle h : tree) {
                peaks.merge(h.pid(), procValue(h.pid(), "status", "VmHWM:"), Math::max);
            }
        }
        rss = peaks.values().stream().mapToLong(Long::longValue).sum();
        // a reaped child's I/O counts are added to its parent's: this process's, read before and after, count the
        // launcher and its runtime JVM once each
        written = procValue(ProcessHandle.current().pid(), "io", "write_bytes:") - writtenBefore;
        double wall = (System.nanoTime() - started) / 1e9;
        String said = Files.readString(log);
        if (p.exitValue() != 0) {
            throw new IllegalStateException("the backtest of " + candles + " candles failed: " + said);
        }
        Matcher m = REPLAYED.matcher(said);
        double rate = m.find() ? Double.parseDouble(m.group(3)) : candles / wall;
        Result r = new Result(candles, wall, rate, rss, written, ready(db.resolve("backtest.log"), startedAt));
        System.out.printf(Locale.ROOT, "backtest of %,d candles: %.1f s wall, %,.0f candles/s replay, peak RSS %,d KiB,"
                + " %,d bytes written (%.0f per candle)%n", candles, wall, rate, rss, written, r.bytesPerCandle());
        return r;
    }

    /** @return the number after {@code key} in {@code /proc/PID/file} (KiB for VmHWM, bytes for write_bytes), 0 if unreadable */
    private static long procValue(long pid, String file, String key) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), file))) {
                if (line.startsWith(key)) {
                    return Long.parseLong(line.substring(key.length()).strip().split("\\s+")[0]);
                }
            }
        } catch (IOException | RuntimeException e) {
            // the process has just ended, or this is not Linux
        }
        return 0;
    }

    /**
     * @param backtrader a backtrader source checkout
     * @param data       the candle file
     * @return backtrader's wall time for the file, s (python3, bar by bar)
     * @throws IllegalStateException if the run fails
     */
    static double backtrader(Path backtrader, Path script, Path data) throws Exception {
        ProcessBuilder b = new ProcessBuilder("python3", script.toString(), data.toString()).redirectErrorStream(true);
        b.environment().put("PYTHONPATH", backtrader.toString());
        Path log = Files.createTempFile("backtrader", ".log");
        b.redirectOutput(log.toFile());
        long started = System.nanoTime();
        Process p = b.start();
        int exit = p.waitFor();
        double wall = (System.nanoTime() - started) / 1e9;
        if (exit != 0) {
            throw new IllegalStateException("backtrader failed: " + Files.readString(log));
        }
        System.out.printf(Locale.ROOT, "backtrader on %s: %.1f s wall: %s%n", data.getFileName(), wall, Files.readString(log).strip());
        return wall;
    }

    /**
     * @param sample  the bundled Binance minute file
     * @param candles how many candles
     * @return the file {@link #run} measures with, made again in a temporary folder
     */
    static Path file(Path sample, int candles) throws IOException {
        return repeated(sample, candles, Files.createTempDirectory("autotrade-bench-backtrader"));
    }

    /**
     * @param log       the run's log (its lines start with their UTC time)
     * @param startedAt when the launcher was started
     * @return seconds from the start to the strategy instance's registration (the replay's first candle follows at
     *         once), or NaN if the log does not say
     */
    static double ready(Path log, java.time.Instant startedAt) {
        try {
            for (String line : Files.readAllLines(log)) {
                if (line.contains(" io.autotrade.strategy.") && line.endsWith("ServiceEvent REGISTERED")) {
                    java.time.Instant at = java.time.Instant.parse(line.substring(0, line.indexOf(' ')));
                    return Duration.between(startedAt, at).toNanos() / 1e9;
                }
            }
        } catch (IOException | RuntimeException e) {
            // no log, or another format: said as NaN
        }
        return Double.NaN;
    }
}
