package io.autotrade.exchange.rules;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.autotrade.api.trading.Market;
import java.math.BigDecimal;
import java.math.RoundingMode;
import org.junit.jupiter.api.Test;

class TickSizeTest {
    private static final Market BTC = Market.of("KRW-BTC");

    private static BigDecimal d(String s) {
        return new BigDecimal(s);
    }

    @Test
    void krwBandsFollowUpbitsTable() {
        String[][] cases = {{"150000000", "1000"}, {"1000000", "1000"}, {"999999", "500"}, {"500000", "500"},
            {"499999", "100"}, {"100000", "100"}, {"99999", "50"}, {"50000", "50"}, {"49999", "10"}, {"10000", "10"},
            {"9999", "5"}, {"5000", "5"}, {"4999", "1"}, {"100", "1"}, {"99.99", "0.01"}, {"9.999", "0.001"},
            {"0.5", "0.0001"}, {"0.05", "0.00001"}, {"0.005", "0.000001"}, {"0.0005", "0.0000001"},
            {"0.00005", "0.00000001"}};
        for (String[] c : cases) {
            assertEquals(0, d(c[1]).compareTo(TickSize.of(BTC, d(c[0]))), "tick at " + c[0]);
        }
        assertEquals(0, d("0.00000001").compareTo(TickSize.of(Market.of("BTC-ETH"), d("0.05"))));
        assertEquals(0, d("0.01").compareTo(TickSize.of(Market.of("USDT-BTC"), d("65000"))));
        assertThrows(IllegalArgumentException.class, () -> TickSize.of(BTC, BigDecimal.ZERO));
    }

    @Test
    void roundingNeverPaysMoreOnABidOrTakesLessOnAnAsk() {
        assertEquals(d("90000000"), TickSize.round(BTC, d("90000999"), RoundingMode.DOWN));
        assertEquals(d("90001000"), TickSize.round(BTC, d("90000001"), RoundingMode.UP));
        assertEquals(d("9995"), TickSize.round(BTC, d("9999"), RoundingMode.DOWN));
        assertEquals(d("1000000"), TickSize.round(BTC, d("999999"), RoundingMode.UP), "onto the next band's edge");
        assertTrue(TickSize.isOnTick(BTC, d("90001000")));
        assertFalse(TickSize.isOnTick(BTC, d("90000500")));
        assertTrue(TickSize.isOnTick(BTC, d("12.34")));
    }
}
