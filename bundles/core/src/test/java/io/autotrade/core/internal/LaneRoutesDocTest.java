package io.autotrade.core.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The default lane routes in {@code docs/architecture.md} are the bus's, and its metatype's default is the same. */
class LaneRoutesDocTest {
    private static final Path DOC = Paths.get(System.getProperty("autotrade.root", "../.."), "docs", "architecture.md");

    @Test
    void theDocumentedRoutesAreTheDefaults() throws Exception {
        List<String> lines = Files.readAllLines(DOC);
        int at = 0;
        while (!lines.get(at).contains("against the bus's defaults")) {
            at++;
        }
        while (!lines.get(at).startsWith("|")) {
            at++;
        }
        List<String> documented = new ArrayList<>();
        for (int i = at + 2; i < lines.size() && lines.get(i).startsWith("|"); i++) {
            String[] cells = lines.get(i).split("\\|");
            documented.add(cells[1].strip().replace("`", "") + "=" + cells[2].strip());
        }
        assertEquals(List.of(Routes.DEFAULTS), documented);
        String[] metatypeDefault = (String[]) EventBusComponent.Config.class.getMethod("lane_routes").getDefaultValue();
        assertArrayEquals(Routes.DEFAULTS, metatypeDefault, "the bus's metatype default and Routes.DEFAULTS");
    }
}
