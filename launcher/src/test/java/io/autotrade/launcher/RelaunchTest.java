package io.autotrade.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The JVM a backtest runs in: the serial collector, the native heap trimmed, glibc's arenas few; paper and live as they are. */
class RelaunchTest {

    @Test
    void aBacktestsJvmKeepsItsMemoryFlat() {
        List<String> batch = Relaunch.childJvm(true, List.of("-Dx=1"));
        assertTrue(batch.contains("-XX:+UseSerialGC"), batch.toString());
        assertEquals(java.lang.Runtime.version().feature() >= 22, batch.contains("-XX:TrimNativeHeapInterval=500"),
                batch.toString());
        assertEquals(Main.class.getName(), batch.get(batch.size() - 1), "ends with the main class");
        assertTrue(batch.indexOf("-Dx=1") < batch.indexOf("-cp"), "the options before the class path");
        List<String> live = Relaunch.childJvm(false, List.of());
        assertFalse(live.contains("-XX:+UseSerialGC") || live.contains("-XX:TrimNativeHeapInterval=500"), live.toString());
    }

    @Test
    void aBacktestsEnvironmentLimitsMallocArenasUnlessTheUserSetsThem() {
        ProcessBuilder unset = new ProcessBuilder("true");
        unset.environment().remove("MALLOC_ARENA_MAX"); // whatever the environment running the test says
        assertEquals("2", Relaunch.environment(unset, true).environment().get("MALLOC_ARENA_MAX"));
        ProcessBuilder own = new ProcessBuilder("true");
        own.environment().put("MALLOC_ARENA_MAX", "4");
        assertEquals("4", Relaunch.environment(own, true).environment().get("MALLOC_ARENA_MAX"), "the user's value stays");
        ProcessBuilder live = new ProcessBuilder("true");
        live.environment().remove("MALLOC_ARENA_MAX");
        assertFalse(Relaunch.environment(live, false).environment().containsKey("MALLOC_ARENA_MAX"), "paper and live as they are");
    }
}
