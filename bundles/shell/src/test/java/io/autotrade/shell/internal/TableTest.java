package io.autotrade.shell.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** The shell's text tables: columns padded to their widest cell; a header of empty cells is not printed. */
class TableTest {
    @Test
    void aKeyValueTableWithoutHeaderPrintsNoBlankLine() {
        String text = new Table("", "").row("initial cash", "10000000.00 KRW").row("fees paid", "1026.65 KRW").toString();
        assertEquals("initial cash  10000000.00 KRW\nfees paid     1026.65 KRW\n", text.replace(System.lineSeparator(), "\n"));
    }

    @Test
    void aTableWithAHeaderPrintsItFirst() {
        String text = new Table("", "profile").row("*", "live").toString();
        assertEquals("   profile\n*  live\n", text.replace(System.lineSeparator(), "\n"));
    }
}
