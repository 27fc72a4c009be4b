package io.autotrade.core.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConsoleLogTest {
    @TempDir
    Path dir;

    @Test
    void theLogIsRotatedOnceItHoldsTheLimitKeepingOneFileBefore() throws Exception {
        Path log = dir.resolve("autotrade.log");
        ConsoleLog.rotate(log, 10); // nothing there yet
        Files.writeString(log, "123456789");
        ConsoleLog.rotate(log, 10);
        assertEquals("123456789", Files.readString(log), "under the limit: kept");
        Files.writeString(log, "0123456789");
        ConsoleLog.rotate(log, 10);
        assertFalse(Files.exists(log), "at the limit: a new file starts");
        assertEquals("0123456789", Files.readString(dir.resolve("autotrade.log.1")));
        Files.writeString(log, "abcdefghij");
        ConsoleLog.rotate(log, 10);
        assertEquals("abcdefghij", Files.readString(dir.resolve("autotrade.log.1")), "the one before is replaced");
    }

    @Test
    void theConsoleShowsTheInnermostCausesMessageWithoutWrappers() {
        Exception wrapped = new RuntimeException("outer", new IllegalStateException(
                "org.osgi.service.component.ComponentException: java.lang.NumberFormatException: For input string: \"abc\""));
        assertEquals("For input string: \"abc\"", ConsoleLog.innermostMessage(wrapped));
        assertNull(ConsoleLog.innermostMessage(null));
    }

    @Test
    void scrsReportOfAComponentThatFailedToStartReadsAsASentence() {
        assertEquals("RsiStrategy could not start", ConsoleLog.plain("bundle io.autotrade.strategy.rsi:0.1.0.202612060516 (20)"
                + "[io.autotrade.strategy.rsi.internal.RsiStrategy(27)] : Error during instantiation of the implementation object"));
        assertEquals("trading HALTED: operator", ConsoleLog.plain("trading HALTED: operator"), "other messages stay");
    }
}
