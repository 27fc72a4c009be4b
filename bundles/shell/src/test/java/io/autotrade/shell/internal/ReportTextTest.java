package io.autotrade.shell.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.autotrade.api.backtest.BacktestReport;
import io.autotrade.api.backtest.Trade;
import io.autotrade.api.trading.Side;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ReportTextTest {
    private static BigDecimal d(String s) {
        return new BigDecimal(s);
    }

    private static final Instant T = Instant.parse("2025-03-02T00:00:00Z");

    @Test
    void showsMoneyInTheQuoteCurrencyAndRatiosAsPercent() {
        String text = ReportText.format(report(List.of(new Trade(T, Side.BID, d("128320000.0"), d("0.00779301"), d("499.9995")))));
        assertTrue(text.contains("final equity         10052277.54 KRW"), text);
        assertTrue(text.contains("max drawdown         2.16 %"), text);
        assertTrue(text.contains("sharpe / sortino     0.46 / n/a"), text);
        assertTrue(text.contains("win rate             100.00 % of 1 round trip"), text);
        assertTrue(!text.contains("1 round trips"), text);
        assertTrue(text.contains("buy and hold         92.11 %"), text);
        assertTrue(text.contains("expectancy               53304.19 KRW per round trip, after fees"), text);
        assertTrue(text.contains("average holding 2d 0h"), text);
        assertTrue(text.contains("  drawdown               2.16 % from 2025-03-02T00:00:00Z, trough 2025-03-03T00:00:00Z, not recovered"), text);
        assertTrue(text.contains("Monte Carlo              1000 bootstrap sequences of 1 round trip, seed 42"), text);
        assertTrue(text.contains("2025-03-02T00:00:00Z  bid   128320000.0  0.00779301  500.00"), text);
        assertTrue(text.contains("risk:max.order.notional  order notional 2000000 KRW is over max.order.notional 500000"), text);
    }

    /** A long run prints the first and last fills, not thousands of lines: the reports have every one. */
    @Test
    void aLongListOfFillsShowsItsEnds() {
        List<Trade> fills = new java.util.ArrayList<>();
        for (int i = 0; i < 45; i++) {
            fills.add(new Trade(T.plusSeconds(60L * i), i % 2 == 0 ? Side.BID : Side.ASK, d("100.0"), d("1"), d("0.05")));
        }
        String text = ReportText.format(report(fills));
        for (int i = 0; i < 45; i++) {
            boolean shown = i < ReportText.SHOWN_AT_EACH_END || i >= 45 - ReportText.SHOWN_AT_EACH_END;
            assertEquals(shown, text.contains(T.plusSeconds(60L * i) + "  "), "fill " + i + ":\n" + text);
        }
        assertTrue(text.contains("\n...\n"), text);
        assertTrue(text.contains("(the first and last 20 of 45 fills: every one is in the JSON and HTML reports)"), text);
        String few = ReportText.format(report(fills.subList(0, 40)));
        assertTrue(!few.contains("...") && !few.contains("first and last"), "40 fills are all shown");
    }

    private static BacktestReport report(List<Trade> trades) {
        Instant t = T;
        return new BacktestReport("KRW-BTC", "x.csv", "rsi-KRW-BTC", Map.of("period", "14"), 365, t, t,
                d("10000000"), d("10052277.5412"), d("0"), d("170283000.0"), d("10052277.5412"), d("53304.19"),
                d("0"), d("1026.6468"),
                trades,
                List.of(new io.autotrade.api.backtest.Rejection(t, "o-9", "risk:max.order.notional",
                        "order notional 2000000 KRW is over max.order.notional 500000")),
                d("0.0005"), Map.of(), List.of(), List.of(), new io.autotrade.api.backtest.Metrics(d("0.0052277541"),
                        d("0.9211000000"), d("0.0052000000"), d("0.0216101234"), t, t, d("0.4567000000"), null, 365,
                        d("1.0000000000"), null, d("53304.19"), null, d("0.1500000000"), 1, null), Map.of(), 0, 0, List.of(),
                new io.autotrade.api.backtest.Tearsheet(d("60000000"), List.of(), List.of(new io.autotrade.api.backtest.Tearsheet.Drawdown(
                        t, t.plusSeconds(86_400), null, d("0.0216101234"), java.time.Duration.ofDays(3))), 30, List.of(), d("53304.19"), 1, 0,
                        java.time.Duration.ofDays(2), new io.autotrade.api.backtest.Tearsheet.MonteCarlo(1000, 42, 1,
                                new io.autotrade.api.backtest.Tearsheet.Percentiles(d("10053304.19"), d("10053304.19"), d("10053304.19")),
                                new io.autotrade.api.backtest.Tearsheet.Percentiles(d("0"), d("0"), d("0")))));
    }

    @Test
    void tablesAlignColumnsAndShowMissingValuesAsDashes() {
        String table = new Table("a", "long header", "c").row("xxxx", null, 1).toString();
        List<String> lines = table.lines().toList();
        assertEquals("a     long header  c", lines.get(0));
        assertEquals("xxxx  -            1", lines.get(1));
    }
}
