package io.autotrade.launcher;

import java.util.ArrayList;
import java.util.List;

/** Splits bnd header values (comma-separated clauses, quotes protect commas) as bnd does. */
final class Clauses {
    private Clauses() {
    }

    static List<String> split(String value) {
        List<String> out = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        char quote = 0;
        for (char c : value.toCharArray()) {
            if (quote != 0) {
                if (c == quote) {
                    quote = 0;
                }
                current.append(c);
            } else if (c == '\'' || c == '"') {
                quote = c;
                current.append(c);
            } else if (c == ',') {
                add(out, current);
            } else {
                current.append(c);
            }
        }
        add(out, current);
        return out;
    }

    private static void add(List<String> out, StringBuilder clause) {
        String text = clause.toString().strip();
        if (!text.isEmpty()) {
            out.add(text);
        }
        clause.setLength(0);
    }

    static String unquote(String value) {
        String v = value.strip();
        if (v.length() >= 2 && (v.charAt(0) == '\'' || v.charAt(0) == '"') && v.charAt(v.length() - 1) == v.charAt(0)) {
            return v.substring(1, v.length() - 1);
        }
        return v;
    }
}
