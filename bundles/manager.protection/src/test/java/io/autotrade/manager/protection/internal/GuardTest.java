package io.autotrade.manager.protection.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.autotrade.api.strategy.ExitRules;
import io.autotrade.api.trading.ClientOrderId;
import io.autotrade.api.trading.ExitReason;
import io.autotrade.api.trading.Market;
import io.autotrade.api.trading.PriceRange;
import io.autotrade.api.trading.Side;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The exit semantics, one rule at a time (README "Exits and sizing"). */
class GuardTest {
    static final Market BTC = Market.of("KRW-BTC");
    static final Instant T = Instant.parse("2024-10-15T00:00:00Z");
    /** A price unit of 1,000 KRW, as Upbit's for prices of 1,000,000 KRW and more. */
    static final Guard.Ticks THOUSAND = (market, price, mode) -> price.divide(BigDecimal.valueOf(1000), 0, mode)
            .multiply(BigDecimal.valueOf(1000));

    static BigDecimal d(String s) {
        return new BigDecimal(s);
    }

    static Guard guard(String... rules) {
        Map<String, String> settings = new java.util.HashMap<>();
        for (int i = 0; i < rules.length; i += 2) {
            settings.put(rules[i], rules[i + 1]);
        }
        return new Guard("s", BTC, ExitRules.parse(settings));
    }

    static PriceRange range(int minute, String open, String low, String high) {
        return new PriceRange(BTC, T.plus(Duration.ofMinutes(minute)), d(open), d(low), d(high));
    }

    private static Guard.Trigger exit(Optional<Guard.Trigger> t) {
        return t.orElseThrow(() -> new AssertionError("no exit"));
    }

    @Test
    void levelsAreOnTheTickRoundedTowardTheEntry() {
        Guard g = guard("stop.loss", "0.013", "take.profit", "0.027");
        g.filled(Side.BID, d("100000500"), d("0.01"), T, THOUSAND);
        // 100,000,500 x 0.987 = 98,700,493.5 -> up to 98,701,000; x 1.027 = 102,700,513.5 -> down to 102,700,000
        assertEquals(d("98701000"), g.stopLevel(THOUSAND));
        assertEquals(d("102700000"), g.targetLevel(THOUSAND, T));
    }

    @Test
    void theEntryPriceIsTheVolumeWeightedPriceOfPartialEntryFills() {
        Guard g = guard("stop.loss", "0.1");
        g.filled(Side.BID, d("100000000"), d("0.01"), T, THOUSAND);
        g.filled(Side.BID, d("103000000"), d("0.02"), T.plusSeconds(60), THOUSAND);
        assertEquals(0, d("102000000").compareTo(g.entryPrice()), "(1,000,000 + 2,060,000) / 0.03");
        assertEquals(d("91800000"), g.stopLevel(THOUSAND));
        assertEquals(d("0.03"), g.volume());
    }

    @Test
    void anOpenBeyondTheStopExitsAtTheOpenNotAtTheLevel() {
        Guard g = guard("stop.loss", "0.02");
        g.filled(Side.BID, d("100000000"), d("0.01"), T, THOUSAND);
        Guard.Trigger t = exit(g.check(range(1, "95000000", "94000000", "99000000"), THOUSAND));
        assertEquals(ExitReason.STOP_LOSS, t.reason());
        assertEquals(d("95000000"), t.price(), "the gap: filled at the open, below the 98,000,000 stop");
    }

    @Test
    void anOpenBeyondTheTargetExitsAtTheOpen() {
        Guard g = guard("take.profit", "0.02");
        g.filled(Side.BID, d("100000000"), d("0.01"), T, THOUSAND);
        Guard.Trigger t = exit(g.check(range(1, "104000000", "103000000", "105000000"), THOUSAND));
        assertEquals(ExitReason.TAKE_PROFIT, t.reason());
        assertEquals(d("104000000"), t.price());
    }

    @Test
    void aRangeThroughTheStopExitsAtTheStopAndThroughTheTargetAtTheTarget() {
        Guard g = guard("stop.loss", "0.02", "take.profit", "0.03");
        g.filled(Side.BID, d("100000000"), d("0.01"), T, THOUSAND);
        assertTrue(g.check(range(1, "100000000", "98001000", "102999000"), THOUSAND).isEmpty(), "a tick short of both");
        Guard.Trigger stop = exit(g.check(range(2, "100000000", "97000000", "101000000"), THOUSAND));
        assertEquals(ExitReason.STOP_LOSS, stop.reason());
        assertEquals(d("98000000"), stop.price());

        Guard h = guard("stop.loss", "0.02", "take.profit", "0.03");
        h.filled(Side.BID, d("100000000"), d("0.01"), T, THOUSAND);
        Guard.Trigger target = exit(h.check(range(1, "100000000", "99000000", "104000000"), THOUSAND));
        assertEquals(ExitReason.TAKE_PROFIT, target.reason());
        assertEquals(d("103000000"), target.price());
    }

    @Test
    void aRangeThroughBothLevelsCountsAsTheStop() {
        Guard g = guard("stop.loss", "0.02", "take.profit", "0.03");
        g.filled(Side.BID, d("100000000"), d("0.01"), T, THOUSAND);
        Guard.Trigger t = exit(g.check(range(1, "100000000", "97000000", "104000000"), THOUSAND));
        assertEquals(ExitReason.STOP_LOSS, t.reason(), "the pessimistic assumption");
        assertEquals(d("98000000"), t.price());
    }

    @Test
    void theEntrysOwnRangeCounts() {
        Guard g = guard("stop.loss", "0.02");
        g.filled(Side.BID, d("100000000"), d("0.01"), T, THOUSAND); // filled at this candle's open
        Guard.Trigger t = exit(g.check(range(0, "100000000", "97500000", "100500000"), THOUSAND));
        assertEquals(d("98000000"), t.price());
    }

    @Test
    void theTrailingLevelFollowsTheHighsAndNeverMovesDown() {
        Guard g = guard("trailing.stop", "0.05", "stop.loss", "0.1");
        g.filled(Side.BID, d("100000000"), d("0.01"), T, THOUSAND);
        assertEquals(d("95000000"), g.trailingLevel());
        assertTrue(g.check(range(1, "100000000", "99000000", "110000000"), THOUSAND).isEmpty());
        assertTrue(g.passed(range(1, "100000000", "99000000", "110000000"), THOUSAND));
        assertEquals(d("104500000"), g.trailingLevel(), "110,000,000 x 0.95, after the range");
        assertTrue(g.check(range(2, "106000000", "105000000", "107000000"), THOUSAND).isEmpty());
        assertTrue(!g.passed(range(2, "106000000", "105000000", "107000000"), THOUSAND), "a lower high moves nothing");
        assertEquals(d("104500000"), g.trailingLevel());
        Guard.Trigger t = exit(g.check(range(3, "106000000", "104000000", "106000000"), THOUSAND));
        assertEquals(ExitReason.TRAILING_STOP, t.reason(), "the trailing level is above the stop");
        assertEquals(d("104500000"), t.price());
    }

    @Test
    void aTimeExitTakesTheOpenOfTheFirstRangeAtOrAfterTheDeadline() {
        Guard g = guard("max.holding", "PT2M");
        g.filled(Side.BID, d("100000000"), d("0.01"), T, THOUSAND);
        assertTrue(g.check(range(1, "100000000", "90000000", "110000000"), THOUSAND).isEmpty());
        Guard.Trigger t = exit(g.check(range(2, "101000000", "90000000", "110000000"), THOUSAND));
        assertEquals(ExitReason.TIME_EXIT, t.reason());
        assertEquals(d("101000000"), t.price());
    }

    @Test
    void theRoiTableLowersTheTargetAsTheHoldingGrows() {
        Guard g = guard("roi", "0:0.05,30:0.01");
        g.filled(Side.BID, d("100000000"), d("0.01"), T, THOUSAND);
        assertTrue(g.check(range(29, "100000000", "99000000", "104000000"), THOUSAND).isEmpty(), "5% before 30 minutes");
        Guard.Trigger t = exit(g.check(range(30, "100000000", "99000000", "104000000"), THOUSAND));
        assertEquals(ExitReason.TAKE_PROFIT, t.reason());
        assertEquals(d("101000000"), t.price(), "1% from minute 30");
    }

    @Test
    void oneExitAtATimeAndAnotherAfterItFailed() {
        Guard g = guard("stop.loss", "0.02");
        g.filled(Side.BID, d("100000000"), d("0.01"), T, THOUSAND);
        exit(g.check(range(1, "97000000", "96000000", "98000000"), THOUSAND));
        g.exitSent(new ClientOrderId("exit-1"));
        assertTrue(g.check(range(2, "96000000", "95000000", "97000000"), THOUSAND).isEmpty(), "its exit is in flight");
        g.exitEnded();
        assertEquals(ExitReason.STOP_LOSS, exit(g.check(range(3, "96000000", "95000000", "97000000"), THOUSAND)).reason());
        g.exitSent(new ClientOrderId("exit-2"));
        g.filled(Side.ASK, d("96000000"), d("0.01"), T.plusSeconds(180), THOUSAND);
        assertEquals(0, g.volume().signum());
        assertNull(g.exitOrder(), "flat: nothing in flight, nothing guarded");
        assertTrue(g.check(range(4, "90000000", "80000000", "91000000"), THOUSAND).isEmpty());
    }

    @Test
    void itsStoredStateGivesTheSameGuard() {
        Guard g = guard("stop.loss", "0.02", "trailing.stop", "0.05", "take.profit", "0.1");
        g.filled(Side.BID, d("100000000"), d("0.01"), T, THOUSAND);
        g.filled(Side.BID, d("101000000"), d("0.02"), T.plusSeconds(60), THOUSAND);
        g.passed(range(2, "101000000", "100000000", "108000000"), THOUSAND);
        g.exitSent(new ClientOrderId("x"));
        Guard back = Guard.of(g.state(THOUSAND, T, "test"));
        assertEquals(0, g.entryPrice().compareTo(back.entryPrice()));
        assertEquals(g.stopLevel(THOUSAND), back.stopLevel(THOUSAND));
        assertEquals(g.targetLevel(THOUSAND, T), back.targetLevel(THOUSAND, T));
        assertEquals(g.trailingLevel(), back.trailingLevel());
        assertEquals(g.highest(), back.highest());
        assertEquals(g.volume(), back.volume());
        assertEquals(g.exitOrder(), back.exitOrder());
        assertEquals(g.rules(), back.rules());
    }

    @Test
    void noRulesNoExit() {
        Guard g = guard();
        g.filled(Side.BID, d("100000000"), d("0.01"), T, THOUSAND);
        assertTrue(g.check(range(1, "1000", "1000", "1000"), THOUSAND).isEmpty());
    }
}
