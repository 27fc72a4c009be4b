package io.autotrade.manager.position.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.autotrade.api.trading.ClientOrderId;
import io.autotrade.api.trading.Market;
import io.autotrade.api.trading.OrderFilled;
import io.autotrade.api.trading.Position;
import io.autotrade.api.trading.Side;
import java.math.BigDecimal;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class PositionFoldTest {
    private static final Market BTC = Market.of("KRW-BTC");
    private static final Instant T = Instant.EPOCH;

    private static BigDecimal d(String s) {
        return new BigDecimal(s);
    }

    private static OrderFilled fill(Side side, String price, String volume) {
        BigDecimal fee = d(price).multiply(d(volume)).multiply(d("0.0005"));
        return new OrderFilled(new ClientOrderId("o"), "s", BTC, side, "t", d(price), d(volume), fee, true);
    }

    @Test
    void averagesEntriesAndRealizesGrossOfFees() {
        Position p = Position.flat(BTC, T);
        p = PositionFold.apply(p, fill(Side.BID, "100", "2"), T);
        p = PositionFold.apply(p, fill(Side.BID, "130", "1"), T);
        assertEquals(0, d("3").compareTo(p.volume()));
        assertEquals(0, d("330").compareTo(p.costBasis()));
        assertEquals(d("110.00000000"), p.averageEntryPrice());
        assertEquals(0, d("0.165").compareTo(p.feesPaid()), "0.1 + 0.065");

        p = PositionFold.apply(p, fill(Side.ASK, "120", "1.5"), T);
        // sold half the position: cost removed 165, proceeds 180
        assertEquals(0, d("15").compareTo(p.realizedPnl()));
        assertEquals(0, d("165").compareTo(p.costBasis()));
        assertEquals(0, d("1.5").compareTo(p.volume()));
        assertEquals(0, d("15").compareTo(p.unrealizedPnl()), "marked at 120: 180 - 165");

        p = PositionFold.apply(p, fill(Side.ASK, "90", "1.5"), T);
        assertTrue(p.isFlat());
        assertEquals(0, p.costBasis().signum(), "closing removes the whole basis");
        assertEquals(0, d("-15").compareTo(p.realizedPnl()), "15 + (135 - 165)");
        assertEquals(0, d("0.165").add(d("0.09")).add(d("0.0675")).compareTo(p.feesPaid()));
    }

    @Test
    void booksBalanceExactlyWhenPartialSellsDoNotDivideEvenly() {
        Position p = PositionFold.apply(Position.flat(BTC, T), fill(Side.BID, "90518000.0", "0.01104752"), T);
        BigDecimal bought = d("90518000.0").multiply(d("0.01104752"));
        BigDecimal proceeds = BigDecimal.ZERO;
        for (String v : new String[] {"0.00333333", "0.00111111", "0.00000007"}) {
            p = PositionFold.apply(p, fill(Side.ASK, "91234567", v), T);
            proceeds = proceeds.add(d("91234567").multiply(d(v)));
        }
        // realized + unrealized == proceeds + market value - bought, to the last digit
        assertEquals(0, p.realizedPnl().add(p.unrealizedPnl()).compareTo(proceeds.add(p.marketValue()).subtract(bought)));
    }

    @Test
    void sellingMoreThanIsHeldIsAnError() {
        Position p = PositionFold.apply(Position.flat(BTC, T), fill(Side.BID, "100", "1"), T);
        Position held = p;
        IllegalStateException error = assertThrows(IllegalStateException.class,
                () -> PositionFold.apply(held, fill(Side.ASK, "100", "1.00000001"), T));
        assertTrue(error.getMessage().contains("exceeds the position of 1"), error.getMessage());
    }
}
