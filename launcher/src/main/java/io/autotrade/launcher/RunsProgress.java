package io.autotrade.launcher;

import java.io.IOException;
import java.io.PrintStream;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One progress bar for backtests running in child JVMs ({@link ChildRuns}): runs done and running, candles done of all
 * (each child prints a {@code progress: DONE/TOTAL candles} line on its standard error every
 * {@value #CHILD_EVERY_MS} ms, read from the end of its error file), the rate and the time left. On a terminal it is
 * redrawn in place on standard error a few times a second; elsewhere (a pipe, CI) it is a plain {@code progress:} line
 * every {@value #LOG_EVERY_SECONDS} s. Thread-safe.
 */
final class RunsProgress {
    /** How often a child prints its progress line, ms (its system property {@code autotrade.progress.every.ms}). */
    static final int CHILD_EVERY_MS = 250;
    static final String CHILD_OPTION = "-Dautotrade.progress.every.ms=" + CHILD_EVERY_MS;
    private static final int LOG_EVERY_SECONDS = 10;
    private static final int BAR = 30;
    private static final Pattern LINE = Pattern.compile("progress: (\\d+)/(\\d+) candles");

    private final List<Path> errors;
    private final long[] done;
    private final long[] total;
    private final boolean[] finished;
    private final PrintStream out;
    private final boolean terminal;
    private final long started = System.nanoTime();
    private long lastLog = started;
    private boolean drawn;
    private Thread drawer;

    /**
     * @param errors   each run's standard error file, in job order
     * @param out      where the bar goes (standard error)
     * @param terminal whether it is a terminal
     */
    RunsProgress(List<Path> errors, PrintStream out, boolean terminal) {
        this.errors = List.copyOf(errors);
        this.done = new long[errors.size()];
        this.total = new long[errors.size()];
        this.finished = new boolean[errors.size()];
        this.out = out;
        this.terminal = terminal;
    }

    /** Draws every 200 ms on a daemon thread until {@link #stop}. */
    void start() {
        drawer = new Thread(() -> {
            try {
                while (!Thread.currentThread().isInterrupted()) {
                    Thread.sleep(200);
                    draw(System.nanoTime());
                }
            } catch (InterruptedException stop) {
                // stop()
            }
        }, "autotrade-runs-progress");
        drawer.setDaemon(true);
        drawer.start();
    }

    /** Stops drawing and ends the bar's line. */
    synchronized void stop() {
        if (drawer != null) {
            drawer.interrupt();
        }
        clear();
    }

    /**
     * A run ended.
     *
     * @param index   its job index
     * @param candles the candles it replayed (its report's count)
     */
    synchronized void finished(int index, long candles) {
        finished[index] = true;
        done[index] = candles;
        total[index] = candles;
    }

    /** Prints a line above the bar (a run's end), the bar drawn again after it. */
    synchronized void println(PrintStream where, String line) {
        clear();
        where.println(line);
    }

    private void clear() {
        if (drawn) {
            out.print("\r" + " ".repeat(110) + "\r");
            out.flush();
            drawn = false;
        }
    }

    synchronized void draw(long now) {
        for (int i = 0; i < errors.size(); i++) {
            if (!finished[i]) {
                long[] read = lastProgress(errors.get(i));
                if (read != null) {
                    done[i] = read[0];
                    total[i] = read[1];
                }
            }
        }
        String line = line(now);
        if (terminal) {
            out.print("\r" + line);
            out.flush();
            drawn = true;
        } else if (now - lastLog >= LOG_EVERY_SECONDS * 1_000_000_000L) {
            lastLog = now;
            out.println("progress: " + line.substring(BAR + 3));
        }
    }

    /** @return e.g. {@code [######........] runs 3/100 (2 running)  1200000/52560000 candles  410000/s  ETA 2m05s} */
    String line(long now) {
        long candlesDone = 0;
        long known = 0;
        int knownRuns = 0;
        int ended = 0;
        int running = 0;
        for (int i = 0; i < done.length; i++) {
            candlesDone += done[i];
            if (total[i] > 0) {
                known += total[i];
                knownRuns++;
            }
            ended += finished[i] ? 1 : 0;
            running += !finished[i] && total[i] > 0 ? 1 : 0;
        }
        long all = knownRuns == 0 ? 0 : known + (done.length - knownRuns) * (known / knownRuns); // the unknown as the mean
        double seconds = (now - started) / 1e9;
        double rate = seconds > 0 ? candlesDone / seconds : 0;
        long eta = rate > 0 && all > candlesDone ? Math.round((all - candlesDone) / rate) : 0;
        int filled = all == 0 ? 0 : (int) Math.min(BAR, (long) BAR * candlesDone / all);
        return String.format(Locale.ROOT, "[%s%s] runs %d/%d (%d running)  %d/%d candles  %.0f/s  ETA %s", "#".repeat(filled),
                ".".repeat(BAR - filled), ended, done.length, running, candlesDone, all, rate,
                eta >= 3600 ? eta / 3600 + "h" + eta % 3600 / 60 + "m" : eta >= 60 ? eta / 60 + "m" + eta % 60 + "s" : eta + "s");
    }

    /** @return the last {@code progress: DONE/TOTAL} of a child's error file, or null */
    static long[] lastProgress(Path errors) {
        try (RandomAccessFile file = new RandomAccessFile(errors.toFile(), "r")) {
            long length = file.length();
            int tail = (int) Math.min(length, 512);
            byte[] bytes = new byte[tail];
            file.seek(length - tail);
            file.readFully(bytes);
            Matcher m = LINE.matcher(new String(bytes, StandardCharsets.UTF_8));
            long[] last = null;
            while (m.find()) {
                last = new long[] {Long.parseLong(m.group(1)), Long.parseLong(m.group(2))};
            }
            return last;
        } catch (IOException | NumberFormatException e) {
            return null; // not started yet, or a line half written: the next look reads it
        }
    }

    /** @return whether standard error is a terminal (JDK 22+ says so through {@code Console.isTerminal()}) */
    static boolean isTerminal() {
        java.io.Console console = System.console();
        if (console == null) {
            return false;
        }
        try {
            return (Boolean) java.io.Console.class.getMethod("isTerminal").invoke(console);
        } catch (ReflectiveOperationException e) {
            return true; // before JDK 22 a console exists only on a terminal
        }
    }
}
