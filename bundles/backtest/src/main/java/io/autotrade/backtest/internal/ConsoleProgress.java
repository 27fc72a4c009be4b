package io.autotrade.backtest.internal;

import java.io.Console;
import java.io.PrintStream;
import java.lang.reflect.Method;
import java.util.Locale;

/**
 * Progress of a replay on standard error. On a terminal: a one-line bar for replays longer than a second
 * (candles done / total, rate and time left), redrawn at most ten times a second. Elsewhere (a pipe, a
 * file, CI): a plain line every {@value #LOG_EVERY_SECONDS} seconds, so a long run is never silent (every
 * {@code autotrade.progress.every.ms} ms when that system property is set: a launcher running backtests in child JVMs
 * reads them to draw one bar for all). Either way a run longer than a second ends with one summary line: candles, wall
 * time, candles per second.
 */
final class ConsoleProgress {
    private static final long QUIET_NANOS = 1_000_000_000L;
    private static final long REDRAW_NANOS = 100_000_000L;
    private static final int BAR = 30;
    static final int LOG_EVERY_SECONDS = 10;
    /** System property: how often the plain lines come, ms (for a parent process that reads them). */
    static final String EVERY_PROPERTY = "autotrade.progress.every.ms";

    private final PrintStream out;
    private final boolean enabled;
    private final int total;
    private final long started;
    private final long logNanos;
    private long lastDraw;
    private boolean drawn;
    private int done;
    private long lastNow;

    /**
     * @param total    candles in the replay
     * @param out      where to draw
     * @param terminal whether {@code out} is a terminal
     * @param now      the start, System.nanoTime()
     */
    ConsoleProgress(int total, PrintStream out, boolean terminal, long now) {
        this(total, out, terminal, now, LOG_EVERY_SECONDS * 1_000L);
    }

    /**
     * @param total    candles in the replay
     * @param out      where to draw
     * @param terminal whether {@code out} is a terminal
     * @param now      the start, System.nanoTime()
     * @param logEveryMillis how often the plain lines come when {@code out} is no terminal, ms
     */
    ConsoleProgress(int total, PrintStream out, boolean terminal, long now, long logEveryMillis) {
        this.total = total;
        this.out = out;
        this.enabled = terminal;
        this.started = now;
        this.logNanos = logEveryMillis * 1_000_000L;
    }

    /**
     * @return a progress bar on standard error when the JVM runs in a terminal, else plain lines (every
     *         {@value #EVERY_PROPERTY} ms if set, else every {@value #LOG_EVERY_SECONDS} s)
     */
    static ConsoleProgress onStandardError(int total) {
        String asked = System.getProperty(EVERY_PROPERTY); // a parent reads the lines: plain ones, even on a terminal
        long every = LOG_EVERY_SECONDS * 1_000L;
        try {
            every = asked == null ? every : Math.max(50, Long.parseLong(asked.strip()));
        } catch (NumberFormatException e) {
            // the default: a wrong value only slows the lines down
        }
        return new ConsoleProgress(total, System.err, asked == null && isTerminal(), System.nanoTime(), every);
    }

    /** JDK 22+ tells through Console.isTerminal(); before that a console exists only on a terminal. */
    static boolean isTerminal() {
        Console console = System.console();
        if (console == null) {
            return false;
        }
        try {
            Method isTerminal = Console.class.getMethod("isTerminal");
            return (Boolean) isTerminal.invoke(console);
        } catch (ReflectiveOperationException e) {
            return true;
        }
    }

    /**
     * @param done candles handled so far
     * @param now  System.nanoTime()
     */
    void update(int done, long now) {
        this.done = done;
        this.lastNow = now;
        if (!enabled) {
            if (now - started >= logNanos && now - Math.max(lastDraw, started) >= logNanos) {
                lastDraw = now;
                out.println("progress: " + line(done, total, now - started).substring(BAR + 3));
            }
            return;
        }
        if (now - started < QUIET_NANOS || now - lastDraw < REDRAW_NANOS && done < total) {
            return;
        }
        lastDraw = now;
        drawn = true;
        out.print("\r" + line(done, total, now - started));
        out.flush();
    }

    /** Ends the bar's line, and prints the summary of a run longer than a second. */
    void finish() {
        if (drawn) {
            out.println();
        }
        long elapsed = lastNow - started;
        if (elapsed >= QUIET_NANOS) {
            out.println(String.format(Locale.ROOT, "replayed %d candles in %.1f s (%.0f candles/s)", done, elapsed / 1e9,
                    done / (elapsed / 1e9)));
        }
    }

    /** @return e.g. {@code [#########.....]  1200/4000 candles  2400/s  ETA 1s} */
    static String line(int done, int total, long elapsedNanos) {
        int filled = total == 0 ? BAR : (int) ((long) BAR * done / total);
        double seconds = elapsedNanos / 1e9;
        double rate = seconds > 0 ? done / seconds : 0;
        long eta = rate > 0 ? Math.round((total - done) / rate) : 0;
        return String.format(Locale.ROOT, "[%s%s] %d/%d candles  %.0f/s  ETA %s", "#".repeat(filled),
                ".".repeat(BAR - filled), done, total, rate, eta >= 3600 ? eta / 3600 + "h" + eta % 3600 / 60 + "m"
                : eta >= 60 ? eta / 60 + "m" + eta % 60 + "s" : eta + "s");
    }
}
