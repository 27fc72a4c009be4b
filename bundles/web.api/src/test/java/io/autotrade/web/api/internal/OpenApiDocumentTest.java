package io.autotrade.web.api.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * The OpenAPI document describes every API path the servlets serve, and no other: the patterns are read from the
 * component descriptions bnd generates (OSGI-INF/*.xml), as the whiteboard will see them.
 */
class OpenApiDocumentTest {
    private static final java.util.regex.Pattern PATTERN = java.util.regex.Pattern.compile(
            "<property name=\"osgi.http.whiteboard.servlet.pattern\" type=\"String\">([^<]*)</property>");

    @Test
    void everyServletPatternIsDescribed() throws Exception {
        JsonNode doc;
        try (InputStream in = OpenApiDocument.class.getResourceAsStream("/openapi.json")) {
            doc = Json.MAPPER.readTree(in);
        }
        assertEquals("3.1.0", doc.get("openapi").asText());
        TreeSet<String> described = new TreeSet<>();
        doc.get("paths").fieldNames().forEachRemaining(described::add);
        TreeSet<String> served = new TreeSet<>();
        try (var files = java.nio.file.Files.list(java.nio.file.Paths.get("target/classes/OSGI-INF"))) {
            for (java.nio.file.Path xml : files.toList()) {
                var m = PATTERN.matcher(java.nio.file.Files.readString(xml));
                while (m.find()) {
                    for (String pattern : m.group(1).split("\n")) {
                        if (pattern.startsWith(Api.BASE + "/")) {
                            served.add(pattern.substring(Api.BASE.length()));
                        }
                    }
                }
            }
        }
        assertTrue(served.size() > 10, "the API's patterns were found: " + served);
        // a wildcard pattern stands for the paths under it
        List<String> missing = new ArrayList<>();
        for (String pattern : served) {
            if (pattern.endsWith("/*")) {
                String prefix = pattern.substring(0, pattern.length() - 1);
                if (described.stream().noneMatch(p -> p.startsWith(prefix))) {
                    missing.add(pattern);
                }
            } else if (!described.contains(pattern)) {
                missing.add(pattern);
            }
        }
        assertEquals(List.of(), missing, "served but not described");
        for (String path : described) {
            boolean servedPath = path.equals("/openapi.json") || served.contains(path)
                    || served.stream().anyMatch(p -> p.endsWith("/*") && path.startsWith(p.substring(0, p.length() - 1)));
            assertTrue(servedPath, "described but not served: " + path);
        }
    }
}
