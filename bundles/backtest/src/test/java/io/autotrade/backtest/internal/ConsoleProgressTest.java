package io.autotrade.backtest.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class ConsoleProgressTest {
    private static final long S = 1_000_000_000L;

    @Test
    void theLineShowsCandlesRateAndTimeLeft() {
        assertEquals("[#######.......................] 1000/4000 candles  500/s  ETA 6s", ConsoleProgress.line(1000, 4000, 2 * S));
        assertEquals("[##############################] 4000/4000 candles  2000/s  ETA 0s", ConsoleProgress.line(4000, 4000, 2 * S));
        assertTrue(ConsoleProgress.line(10, 100_000, 10 * S).endsWith("1/s  ETA 27h46m"));
        assertTrue(ConsoleProgress.line(10, 1_000, 10 * S).endsWith("ETA 16m30s"));
    }

    @Test
    void aTerminalSeesTheBarOnlyAfterASecondThenASummary() {
        ByteArrayOutputStream terminal = new ByteArrayOutputStream();
        ConsoleProgress bar = new ConsoleProgress(100, new PrintStream(terminal, true, StandardCharsets.UTF_8), true, 0);
        bar.update(10, S / 2);
        assertEquals("", terminal.toString(StandardCharsets.UTF_8), "quiet in the first second");
        bar.update(50, 2 * S);
        bar.update(51, 2 * S + 1000);
        bar.update(100, 2 * S + 2000);
        bar.finish();
        String drawn = terminal.toString(StandardCharsets.UTF_8);
        assertEquals(2, drawn.split("\r", -1).length - 1, "redrawn at most 10 times a second, the last always: " + drawn);
        assertTrue(drawn.endsWith("100/100 candles  50/s  ETA 0s" + System.lineSeparator()
                + "replayed 100 candles in 2.0 s (50 candles/s)" + System.lineSeparator()), drawn);
    }

    @Test
    void aPipeGetsAPlainLineEveryTenSecondsAndTheSummary() {
        ByteArrayOutputStream pipe = new ByteArrayOutputStream();
        ConsoleProgress log = new ConsoleProgress(1000, new PrintStream(pipe, true, StandardCharsets.UTF_8), false, 0);
        for (int second = 1; second <= 25; second++) {
            log.update(second * 40, second * S);
        }
        log.finish();
        String nl = System.lineSeparator();
        assertEquals("progress: 400/1000 candles  40/s  ETA 15s" + nl + "progress: 800/1000 candles  40/s  ETA 5s" + nl
                + "replayed 1000 candles in 25.0 s (40 candles/s)" + nl, pipe.toString(StandardCharsets.UTF_8));

        ByteArrayOutputStream shortRun = new ByteArrayOutputStream();
        ConsoleProgress quick = new ConsoleProgress(100, new PrintStream(shortRun, true, StandardCharsets.UTF_8), false, 0);
        quick.update(100, S / 2);
        quick.finish();
        assertEquals("", shortRun.toString(StandardCharsets.UTF_8), "a run under a second says nothing extra");
    }

    /** For a launcher reading a child's lines (autotrade.progress.every.ms): the same lines, as often as asked. */
    @Test
    void aParentGetsTheLinesAsOftenAsItAsks() {
        ByteArrayOutputStream pipe = new ByteArrayOutputStream();
        ConsoleProgress log = new ConsoleProgress(1000, new PrintStream(pipe, true, StandardCharsets.UTF_8), false, 0, 250);
        for (int tenth = 1; tenth <= 6; tenth++) {
            log.update(tenth * 100, tenth * S / 10);
        }
        String nl = System.lineSeparator();
        assertEquals("progress: 300/1000 candles  1000/s  ETA 1s" + nl + "progress: 600/1000 candles  1000/s  ETA 0s" + nl,
                pipe.toString(StandardCharsets.UTF_8));
    }
}
