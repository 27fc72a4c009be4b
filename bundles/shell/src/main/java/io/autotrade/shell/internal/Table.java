package io.autotrade.shell.internal;

import java.util.ArrayList;
import java.util.List;

/** A plain-text table with left-aligned columns, for shell output. */
final class Table {
    private final List<String[]> rows = new ArrayList<>();

    Table(String... header) {
        rows.add(header);
    }

    Table row(Object... cells) {
        String[] text = new String[cells.length];
        for (int i = 0; i < cells.length; i++) {
            text[i] = cells[i] == null ? "-" : cells[i].toString();
        }
        rows.add(text);
        return this;
    }

    boolean isEmpty() {
        return rows.size() == 1;
    }

    @Override
    public String toString() {
        int columns = rows.get(0).length;
        int[] width = new int[columns];
        for (String[] row : rows) {
            for (int i = 0; i < columns; i++) {
                width[i] = Math.max(width[i], row[i].length());
            }
        }
        StringBuilder out = new StringBuilder();
        boolean headerless = java.util.Arrays.stream(rows.get(0)).allMatch(String::isEmpty);
        for (String[] row : headerless ? rows.subList(1, rows.size()) : rows) {
            StringBuilder line = new StringBuilder();
            for (int i = 0; i < columns; i++) {
                line.append(i == columns - 1 ? row[i] : String.format("%-" + width[i] + "s  ", row[i]));
            }
            out.append(line.toString().stripTrailing()).append(System.lineSeparator()); // empty last cells leave no blanks

        }
        return out.toString();
    }
}
