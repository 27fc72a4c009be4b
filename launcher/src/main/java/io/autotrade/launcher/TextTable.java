package io.autotrade.launcher;

import java.util.List;

/** A console table: left-aligned columns two spaces apart, as wide as their widest cell, the first row the header. */
final class TextTable {
    private TextTable() {
    }

    /** @return the rows, one line each */
    static String render(List<String[]> rows) {
        int[] width = new int[rows.get(0).length];
        for (String[] r : rows) {
            for (int c = 0; c < r.length; c++) {
                width[c] = Math.max(width[c], r[c].length());
            }
        }
        StringBuilder out = new StringBuilder();
        for (String[] r : rows) {
            for (int c = 0; c < r.length; c++) {
                out.append(c == r.length - 1 ? r[c] : String.format("%-" + width[c] + "s  ", r[c]));
            }
            out.append(System.lineSeparator());
        }
        return out.toString();
    }
}
