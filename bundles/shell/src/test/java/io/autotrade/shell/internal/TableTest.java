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

    @Test
    void anOrdersTypeShowsItsTimeInForce() {
        io.autotrade.api.trading.Market btc = io.autotrade.api.trading.Market.of("KRW-BTC");
        assertEquals("best/fok", io.autotrade.api.trading.OrderSpec.bestBuy(btc, java.math.BigDecimal.TEN,
                io.autotrade.api.trading.TimeInForce.FOK).upbitTypeName());
        assertEquals("price", io.autotrade.api.trading.OrderSpec.marketBuy(btc, java.math.BigDecimal.TEN).upbitTypeName());
    }
}
