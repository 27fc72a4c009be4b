package io.autotrade.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The scratch folders of killed processes do not pile up in the temporary folder. */
class RunFolderTest {
    @TempDir
    Path tmp;

    private Path scratch(String name) throws Exception {
        Path dir = Files.createDirectories(tmp.resolve(name));
        Files.writeString(dir.resolve("autotrade.log"), "what the run said");
        Files.createDirectories(dir.resolve("felix-cache/bundle1"));
        Files.writeString(dir.resolve("felix-cache/bundle1/bundle.info"), "x");
        Files.createDirectories(dir.resolve("snapshot"));
        Files.writeString(dir.resolve("snapshot/backtest.db"), "a copy of a database");
        return dir;
    }

    @Test
    void aGoneProcessesFolderKeepsOnlyItsLogAndAWeekOldOneGoes() throws Exception {
        Process ended = new ProcessBuilder("true").start();
        ended.waitFor();
        long gone = ended.pid();
        Path dead = scratch("autotrade-" + gone + "-123");
        Path old = scratch("autotrade-" + gone + "-456");
        Files.setLastModifiedTime(old, FileTime.from(Instant.now().minus(8, ChronoUnit.DAYS)));
        Path live = scratch("autotrade-" + ProcessHandle.current().pid() + "-789");
        Path bundles = Files.createDirectories(tmp.resolve("autotrade-bundles-1e44870-1a24b62a722"));
        Path legacy = scratch("autotrade-10000884918976942374");

        RunFolder.sweepScratch(tmp);

        try (var left = Files.list(dead)) {
            assertEquals(List.of("autotrade.log"), left.map(p -> p.getFileName().toString()).toList(), "the log stays");
        }
        assertFalse(Files.exists(old), "a week old: gone whole");
        assertTrue(Files.exists(live.resolve("felix-cache/bundle1/bundle.info")), "a running process's folder is its own");
        assertTrue(Files.exists(live.resolve("snapshot/backtest.db")));
        assertTrue(Files.isDirectory(bundles), "not a scratch folder");
        assertTrue(Files.exists(legacy.resolve("snapshot/backtest.db")), "a name without a process id is not ours to judge");
    }
}
