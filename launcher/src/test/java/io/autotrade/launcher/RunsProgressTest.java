package io.autotrade.launcher;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The bar over child runs: read from the end of each child's error file, the unknown runs counted as the mean. */
class RunsProgressTest {
    @TempDir
    Path dir;

    @Test
    void readsTheLastProgressLineOfAChild() throws Exception {
        Path err = dir.resolve("run-1.err");
        assertNull(RunsProgress.lastProgress(err), "not started yet");
        Files.writeString(err, "progress: 100/1000 candles  50/s  ETA 18s\nsome warning\nprogress: 400/1000 candles  80/s  ETA 7s\n");
        assertArrayEquals(new long[] {400, 1000}, RunsProgress.lastProgress(err));
        Files.writeString(err, "x".repeat(5_000) + "\nprogress: 999/1000 candles  90/s  ETA 0s\n");
        assertArrayEquals(new long[] {999, 1000}, RunsProgress.lastProgress(err), "only the end of a long file is read");
    }

    @Test
    void countsRunsAndCandlesOfAllChildren() throws Exception {
        List<Path> errors = List.of(dir.resolve("a.err"), dir.resolve("b.err"), dir.resolve("c.err"), dir.resolve("d.err"));
        Files.writeString(errors.get(1), "progress: 250/1000 candles  100/s  ETA 7s\n");
        ByteArrayOutputStream pipe = new ByteArrayOutputStream();
        RunsProgress progress = new RunsProgress(errors, new PrintStream(pipe, true, StandardCharsets.UTF_8), false);
        progress.finished(0, 1_000);
        progress.draw(System.nanoTime());
        String line = progress.line(System.nanoTime());
        assertTrue(line.contains("runs 1/4 (1 running)  1250/4000 candles"), line); // c and d: the mean of the known
        assertTrue(line.startsWith("[#########"), line);
        assertEquals("", pipe.toString(StandardCharsets.UTF_8), "a pipe gets a line every 10 s, not at once");
    }
}
