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
 * The backtest as a user runs it: the launcher jar in a child JVM, the RSI strategy through the whole
 * pipeline (strategy, risk, order manager, paper exchange, position manager, the journal). Not JMH: a
 * process is what is measured. Data: the bundled Binance minute file (14,400 candles, 10 days) repeated
 * with its times moved on by 10 days each time, to {@code bench.backtest.candles} candles (default
 * 1,000,000). Measured: the replay rate the run reports (candles/s after start-up), the wall time, the
 * process's peak RSS ({@code VmHWM}) and bytes written ({@code /proc/PID/io write_bytes}), each read while
 * it runs; baselines of the same run: 10,000 candles (memory and bytes per candle should not grow with
 * the run), and 100 candles (start-up: the JVM up to a finished backtest).
 */
final class BacktestBenchmark {
    private static final Pattern REPLAYED = Pattern.compile("replayed (\\d+) candles in ([0-9.]+) s \\((\\d+) candles/s\\)");
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ssXXX");

    /** One measured run. */
    record Result(int candles, double wallSeconds, double replayRate, long peakRssKiB, long bytesWritten) {
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
        if (Runtime.version().feature() >= 24) {
            command.add("--sun-misc-unsafe-memory-access=allow"); // else the launcher starts a second JVM
        }
        command.addAll(List.of("--enable-native-access=ALL-UNNAMED", "-jar", jar.toString(), "--db", db.toString(),
                "--data", data.toString(), "--market", "USDT-BTC", "--cash", "10000"));
        Path log = db.resolveSibling(db.getFileName() + ".log");
        long started = System.nanoTime();
        Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        long rss = 0;
        long written = 0;
        while (!p.waitFor(100, TimeUnit.MILLISECONDS)) {
            rss = Math.max(rss, procValue(p.pid(), "status", "VmHWM:"));
            written = Math.max(written, procValue(p.pid(), "io", "write_bytes:"));
        }
        double wall = (System.nanoTime() - started) / 1e9;
        String said = Files.readString(log);
        if (p.exitValue() != 0) {
            throw new IllegalStateException("the backtest of " + candles + " candles failed: " + said);
        }
        Matcher m = REPLAYED.matcher(said);
        double rate = m.find() ? Double.parseDouble(m.group(3)) : candles / wall;
        Result r = new Result(candles, wall, rate, rss, written);
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
}
