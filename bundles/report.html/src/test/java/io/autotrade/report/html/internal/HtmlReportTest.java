package io.autotrade.report.html.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.autotrade.api.backtest.BacktestReport;
import io.autotrade.api.backtest.ClosedTrade;
import io.autotrade.api.backtest.EquityPoint;
import io.autotrade.api.backtest.Metrics;
import io.autotrade.api.backtest.Rejection;
import io.autotrade.api.backtest.Tearsheet;
import io.autotrade.api.backtest.Trade;
import io.autotrade.api.trading.Side;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.jsoup.nodes.Element;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HtmlReportTest {
    private static final Instant T = Instant.parse("2024-10-15T00:00:00Z");

    @TempDir
    Path dir;

    private static BigDecimal d(String s) {
        return new BigDecimal(s);
    }

    static BacktestReport report() {
        return report(io.autotrade.api.trading.ExitReason.SIGNAL);
    }

    /** @return the sample report, its one sell closing the round trip for that reason */
    static BacktestReport report(io.autotrade.api.trading.ExitReason exit) {
        List<EquityPoint> curve = new ArrayList<>();
        long[] closes = {90_600_000, 91_610_000, 91_725_000, 93_330_000, 93_322_000};
        for (int i = 0; i < closes.length; i++) {
            curve.add(new EquityPoint(T.plus(Duration.ofDays(i + 1)), BigDecimal.valueOf(closes[i]),
                    d("10000000").add(BigDecimal.valueOf(i * 1000)), i < 3 ? d("0.01") : BigDecimal.ZERO));
        }
        List<Trade> fills = List.of(new Trade(T.plus(Duration.ofDays(1)), Side.BID, d("91610000"), d("0.01"), d("458.05")),
                new Trade(T.plus(Duration.ofDays(3)), Side.ASK, d("93330000"), d("0.01"), d("466.65"), exit));
        List<ClosedTrade> trips = List.of(new ClosedTrade(T.plus(Duration.ofDays(1)), T.plus(Duration.ofDays(3)),
                d("91610000"), d("93330000"), d("0.01"), d("16275.30"), d("924.70"), Duration.ofDays(2), exit, d("-0.0110000000"),
                d("0.0200000000")));
        Metrics m = new Metrics(d("0.0004000000"), d("0.0528000000"), d("0.0300000000"), d("0.0001234567"),
                T.plus(Duration.ofDays(2)), T.plus(Duration.ofDays(3)), d("1.2345678900"), null, 365, d("1.0000000000"),
                null, d("16275.30"), null, d("0.6000000000"), 1, null);
        return new BacktestReport("KRW-BTC", "data/<sample>.csv", "rsi-KRW-BTC", Map.of("period", "14"), 5, T,
                T.plus(Duration.ofDays(5)), d("10000000"), d("10004000"), BigDecimal.ZERO, d("93322000"), d("10004000"),
                d("17200"), BigDecimal.ZERO, d("924.70"), fills,
                List.of(new Rejection(T, "o-1", "risk:max.order.notional", "order notional 2000000 KRW is over 500000")),
                d("0.0005"), Map.of("max.order.notional", "500000"), curve, trips, m,
                Map.of("initial cash", "10000000 KRW"), 0, 0, List.of(),
                new Tearsheet(d("90000000"), List.of(new Tearsheet.MonthlyReturn(java.time.YearMonth.of(2025, 3), d("10004000"),
                        d("0.0004000000"))), List.of(new Tearsheet.Drawdown(T.plus(Duration.ofDays(2)), T.plus(Duration.ofDays(3)),
                        T.plus(Duration.ofDays(4)), d("0.0001234567"), Duration.ofDays(2))), 30, List.of(), d("16275.30"), 1, 0,
                        Duration.ofDays(2), null));
    }

    @Test
    void thePageParsesAndHoldsTheChartTheFiguresTheTradesAndTheInputs() throws Exception {
        Path file = dir.resolve("out/report.html");
        new HtmlReportRenderer().writeHtml(report(), file, Map.of("run 2", "run-2/report.html"));
        Document page = Jsoup.parse(Files.readString(file));
        assertEquals("Backtest rsi-KRW-BTC on KRW-BTC", page.title());

        Element svg = page.selectFirst("figure#chart > svg");
        assertTrue(svg != null, "the chart is an inline SVG");
        assertTrue(svg.select("path, polyline, line").size() > 10, "the chart draws lines");
        String svgText = svg.text();
        assertTrue(svgText.contains("closebuysell signalequity (after fees)buy and hold (before fees)drawdown"), "the legend names every series: " + svgText);
        assertTrue(svgText.contains("93,400,000") && svgText.contains("10,050,000"), "price and equity axes: " + svgText);

        assertEquals("0.0004000000", value(page, "total_return"));
        assertEquals("0.04 %", page.selectFirst("tr[data-metric=total_return] td").text());
        assertEquals("1.2345678900", value(page, "sharpe"));
        assertEquals("1.23", page.selectFirst("tr[data-metric=sharpe] td").text());
        assertEquals("n/a", page.selectFirst("tr[data-metric=sortino] td").text());
        assertEquals("", value(page, "profit_factor"));
        assertTrue(page.selectFirst("tr[data-metric=max_drawdown] td").text().contains("2024-10-17T00:00:00Z to 2024-10-18"));

        assertEquals(2, page.select("table#closed-trades tr").size(), "header + one round trip");
        assertEquals("16275.30", page.selectFirst("table#closed-trades td[data-value]").attr("data-value"));
        var trip = page.select("table#closed-trades tr").get(1).select("td");
        assertEquals("2024-10-16 00:00 UTC (2024-10-16 09:00 KST)", trip.get(0).text(), "UTC and the market's local time");
        assertEquals("91,610,000", trip.get(2).text(), "prices with thousands separators");
        assertEquals("17,200.00 KRW", trip.get(5).text(), "PnL before fees");
        assertEquals("16,275.30 KRW", trip.get(7).text(), "PnL after fees");
        assertEquals("-1.10 %", trip.get(8).text(), "MAE");
        assertEquals("2.00 %", trip.get(9).text(), "MFE");
        assertEquals("2d 0h", trip.get(10).text());
        // the tearsheet
        assertEquals("0.0004000000", page.selectFirst("table#monthly-returns td[data-month=2025-03]").attr("data-value"));
        assertEquals("0.04 %", page.selectFirst("table#monthly-returns td[data-month=2025-03]").text());
        var drawdown = page.select("table#drawdowns tr").get(1).select("td");
        assertEquals("0.0001234567", drawdown.get(4).attr("data-value"));
        assertTrue(drawdown.get(3).text().startsWith("2024-10-19 00:00 UTC"), drawdown.text());
        assertEquals("16275.30", value(page, "expectancy"));
        assertEquals("16,275.30 KRW", page.selectFirst("tr[data-metric=expectancy] td").text());
        assertEquals("1", value(page, "longest_win_streak"));
        assertEquals(null, page.selectFirst("table#monte-carlo"), "no Monte Carlo unless asked");
        assertTrue(page.selectFirst("#rolling-sharpe").text().contains("at least 30 days"));
        assertEquals("signal", page.select("table#closed-trades tr").get(1).select("td").last().text());
        assertEquals(null, page.selectFirst("table#exits"), "no table of exits when the strategy made every sell");
        assertEquals(3, page.select("table#fills tr").size());
        assertTrue(page.selectFirst("table#rejections").text().contains("risk:max.order.notional"));
        String inputs = page.selectFirst("table#inputs").text();
        assertTrue(inputs.contains("data/<sample>.csv"), "escaped in the source, shown as text: " + inputs);
        assertTrue(inputs.contains("0.05 % of each fill's notional"), inputs);
        assertTrue(inputs.contains("{max.order.notional=500000}"), inputs);
        assertTrue(inputs.contains("{period=14}"), inputs);
        assertEquals("run-2/report.html", page.selectFirst("ul#links a").attr("href"));
        assertFalse(page.html().contains("<script"), "self-contained, no script");
        assertTrue(Files.list(file.getParent()).allMatch(p -> p.getFileName().toString().equals("report.html")),
                "no temporary file is left");
    }

    @Test
    void protectiveExitsAreMarkedAndCountedByReason() throws Exception {
        Path file = dir.resolve("exits/report.html");
        new HtmlReportRenderer().writeHtml(report(io.autotrade.api.trading.ExitReason.TAKE_PROFIT), file, Map.of());
        Document page = Jsoup.parse(Files.readString(file));
        assertTrue(page.selectFirst("figure#chart > svg").text().contains("sell take_profit"), "its own legend entry");
        Element exits = page.selectFirst("table#exits");
        assertTrue(exits != null, "a table of exits");
        assertEquals("take_profit", exits.select("tr").get(1).select("td").get(0).text());
        assertEquals("1", exits.select("tr").get(1).select("td").get(1).text());
        assertEquals("16275.30", exits.select("tr").get(1).select("td").get(2).attr("data-value"));
        assertTrue(page.text().contains("the pessimistic assumption"), "says how a candle reaching both levels counts");
        assertEquals("take_profit", page.select("table#fills tr").get(2).select("td").last().text());
    }

    @Test
    void aLongRunIsDrawnByEachBucketsLowAndHighSoThePageStaysSmall() {
        int n = 100_000;
        long[] t = new long[n];
        double[] v = new double[n];
        for (int i = 0; i < n; i++) {
            t[i] = i;
            v[i] = Math.sin(i / 50.0) * 100 + (i == 77_777 ? 1_000 : 0); // one spike a plain stride would miss
        }
        org.jfree.data.xy.XYSeries s = Charts.series("x", t, v);
        assertTrue(s.getItemCount() <= Charts.MAX_POINTS, "at most " + Charts.MAX_POINTS + ": " + s.getItemCount());
        assertEquals(v[77_777], s.getMaxY(), 1e-9, "the spike is kept");
        assertEquals(-100, s.getMinY(), 0.01, "and the lows");
        for (int i = 1; i < s.getItemCount(); i++) {
            assertTrue(s.getX(i).longValue() > s.getX(i - 1).longValue(), "in time order");
        }
        assertEquals(10, Charts.series("y", new long[] {0, 1, 2, 3, 4, 5, 6, 7, 8, 9}, new double[10]).getItemCount(),
                "a short run keeps every point");
    }

    private static String value(Document page, String metric) {
        return page.selectFirst("tr[data-metric=" + metric + "] td").attr("data-value");
    }

    /** Money and prices in the tables are grouped as {@code %,.Nf} groups them (the format the report used before). */
    @Test
    void amountsAreGroupedAsFormatGroupsThem() {
        java.util.Random random = new java.util.Random(5);
        for (int i = 0; i < 50_000; i++) {
            java.math.BigDecimal v = java.math.BigDecimal.valueOf(random.nextLong() >> random.nextInt(64), random.nextInt(12) - 3);
            for (String currency : new String[] {"KRW", "BTC"}) {
                int scale = currency.equals("BTC") ? 8 : 2;
                assertEquals(String.format(java.util.Locale.ROOT, "%,." + scale + "f", v.setScale(scale,
                        java.math.RoundingMode.HALF_EVEN)) + " " + currency, HtmlReport.money(v, currency), v.toPlainString());
            }
            java.math.BigDecimal plain = v.stripTrailingZeros();
            assertEquals(String.format(java.util.Locale.ROOT, "%," + (plain.scale() > 0 ? "." + plain.scale() : ".0") + "f",
                    plain), HtmlReport.grouped(v), v.toPlainString());
        }
        assertEquals("11,467,000", HtmlReport.grouped(new java.math.BigDecimal("11467000.0")));
        assertEquals("-1,234.50 KRW", HtmlReport.money(new java.math.BigDecimal("-1234.5"), "KRW"));
    }
}
