package io.autotrade.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.autotrade.api.event.EventKind;
import io.autotrade.api.event.Priority;
import io.autotrade.api.trading.TradingEvents;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@code docs/architecture.md} is the project's map: its event table and lane table must say what the
 * code says, kind by kind.
 */
class ArchitectureDocTest {
    static final Path DOC = Paths.get(System.getProperty("autotrade.root", "../.."), "docs", "architecture.md");

    /**
     * @param heading the text of the line the table follows (first match)
     * @return the table's rows below its header and separator, cells stripped of spaces and backquotes
     */
    static List<List<String>> table(String heading) throws IOException {
        List<String> lines = Files.readAllLines(DOC);
        int at = 0;
        while (at < lines.size() && !lines.get(at).contains(heading)) {
            at++;
        }
        while (at < lines.size() && !lines.get(at).startsWith("|")) {
            at++;
        }
        List<List<String>> rows = new ArrayList<>();
        for (int i = at + 2; i < lines.size() && lines.get(i).startsWith("|"); i++) {
            String line = lines.get(i);
            rows.add(Arrays.stream(line.substring(1, line.length() - 1).split("\\|"))
                    .map(c -> c.strip().replace("`", "")).toList());
        }
        assertFalse(rows.isEmpty(), "no table after '" + heading + "' in " + DOC);
        return rows;
    }

    @Test
    void theEventTableListsEveryKindWithItsTypeVersionClassTopicLaneAndDurability() throws IOException {
        List<List<String>> expected = new ArrayList<>();
        for (EventKind k : TradingEvents.KINDS) {
            expected.add(List.of(k.type(), String.valueOf(k.version()), k.payloadClass().getSimpleName(), k.topic(),
                    k.defaultPriority().name(), k.durable() ? "yes" : "no"));
        }
        List<List<String>> documented = table("every kind in `TradingEvents.KINDS`");
        assertEquals(expected.stream().map(List::toString).sorted().toList(),
                documented.stream().map(List::toString).sorted().toList());
    }

    @Test
    void everyKindsTopicIsDerivedFromItsTypeAndNoTwoKindsShareOne() {
        java.util.Set<String> topics = new java.util.HashSet<>();
        for (EventKind kind : TradingEvents.KINDS) {
            assertEquals(io.autotrade.api.event.Topics.forType(kind.type()), kind.topic(), kind.type());
            org.junit.jupiter.api.Assertions.assertTrue(topics.add(kind.topic()), "one topic per event: " + kind.topic());
        }
        org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> io.autotrade.api.event.Topics.forType("no-group"));
    }

    @Test
    void theLaneTableListsEveryLaneWithItsNumber() throws IOException {
        List<List<String>> documented = table("against `Priority`");
        List<String> expected = Arrays.stream(Priority.values()).map(p -> p.name() + " " + p.rank()).toList();
        assertEquals(expected, documented.stream().map(r -> r.get(0) + " " + r.get(1)).toList());
    }
}
