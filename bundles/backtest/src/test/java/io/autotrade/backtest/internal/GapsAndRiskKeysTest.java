package io.autotrade.backtest.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.autotrade.api.risk.RiskLimit;
import io.autotrade.api.trading.Candle;
import io.autotrade.api.trading.Market;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class GapsAndRiskKeysTest {
    private static final Instant T = Instant.parse("2020-02-20T08:00:00Z");

    private static Candle minute(int at) {
        BigDecimal p = BigDecimal.TEN;
        return new Candle(Market.of("KRW-BTC"), Duration.ofMinutes(1), T.plus(Duration.ofMinutes(at)), p, p, p, p,
                BigDecimal.ONE, BigDecimal.TEN);
    }

    @Test
    void gapsAreCountedWithTheIntervalsTheySkip() {
        Gaps gaps = new Gaps();
        List.of(minute(0), minute(1), minute(4), minute(5), minute(7)).forEach(gaps::add);
        assertEquals(2, gaps.count());
        assertEquals(3, gaps.missing(), "minutes 2, 3 and 6");
        assertEquals(minute(7), gaps.last());
        Gaps none = new Gaps();
        List.of(minute(0), minute(1)).forEach(none::add);
        assertEquals(0, none.count());
    }

    @Test
    void aRunsMoneyLimitsAreKeyedByItsQuoteCurrency() {
        List<RiskLimit> limits = List.of(new RiskLimit("max.order.notional", BigDecimal.ONE, BigDecimal.ZERO, "KRW", ""),
                new RiskLimit("max.open.orders", BigDecimal.ONE, BigDecimal.ZERO, "orders", ""));
        Map<String, String> asked = Map.of("max.order.notional", "500", "max.open.orders", "3");
        assertEquals(Map.of("max.order.notional.USDT", "500", "max.open.orders", "3"),
                RiskKeys.forQuote(asked, "USDT", limits));
        assertEquals(asked, RiskKeys.forQuote(asked, "KRW", limits));
        assertEquals("max.order.notional", RiskKeys.rule("max.order.notional.USDT"));
        assertEquals("cooldown.after.loss.minutes", RiskKeys.rule("cooldown.after.loss.minutes"));
    }
}
