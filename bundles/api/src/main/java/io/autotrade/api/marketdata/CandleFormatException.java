package io.autotrade.api.marketdata;

import java.nio.file.Path;

/**
 * A candle file could not be read; the message names the file, the line and the column (1-based)
 * and what was wrong there.
 */
public class CandleFormatException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final transient Path file;
    private final int line;
    private final String column;

    /**
     * @param file    the file
     * @param line    1-based line number, or 0 if the problem is with the file as a whole
     * @param column  column name or 1-based position, or null if not about one column
     * @param problem what was wrong
     */
    public CandleFormatException(Path file, int line, String column, String problem) {
        super(file + (line > 0 ? ":" + line : "") + (column != null ? " column " + column : "") + ": " + problem);
        this.file = file;
        this.line = line;
        this.column = column;
    }

    /** @return the file */
    public Path file() {
        return file;
    }

    /** @return the 1-based line number, 0 if the problem is with the whole file */
    public int line() {
        return line;
    }

    /** @return the column, or null */
    public String column() {
        return column;
    }
}
