package io.autotrade.report.html.internal;

import io.autotrade.api.backtest.BacktestReport;
import io.autotrade.api.backtest.ClosedTrade;
import io.autotrade.api.backtest.ExitSummary;
import io.autotrade.api.backtest.Metrics;
import io.autotrade.api.backtest.Rejection;
import io.autotrade.api.backtest.Tearsheet;
import io.autotrade.api.backtest.Trade;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The page: inputs, metrics, the chart (inline SVG), the round trips, the fills, the refused orders and
 * links to related pages. Self-contained: no script, no external file. Every figure also carries its
 * exact value in a {@code data-value} attribute, equal to the JSON report's.
 */
final class HtmlReport {
    private HtmlReport() {
    }

    static String render(BacktestReport r, Map<String, String> links) {
        String quote = r.market().substring(0, r.market().indexOf('-'));
        String base = r.market().substring(r.market().indexOf('-') + 1);
        // the main chart is drawn on another thread while the tables are written: the longest part of the page
        java.util.concurrent.CompletableFuture<String> chart = java.util.concurrent.CompletableFuture.supplyAsync(
                () -> Charts.svg(r));
        StringBuilder h = new StringBuilder(200_000);
        h.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n<title>")
                .append(esc("Backtest " + r.strategyId() + " on " + r.market())).append("</title>\n<style>")
                .append("body{font-family:system-ui,-apple-system,'Segoe UI',sans-serif;margin:24px;color:#222;max-width:1160px}")
                .append("h1{font-size:22px;margin:0 0 4px}h2{font-size:17px;margin:28px 0 8px;border-bottom:1px solid #ddd}")
                .append("table{border-collapse:collapse;font-size:13px}td,th{padding:3px 10px;text-align:right;border-bottom:1px solid #eee}")
                .append("th{background:#f5f5f5}td.l,th.l{text-align:left}.pos{color:#1a7f37}.neg{color:#c62828}")
                .append(".grid{display:grid;grid-template-columns:1fr 1fr;gap:24px}figure{margin:0}")
                .append("small{color:#666}td.m{min-width:58px}")
                .append("</style></head><body>\n");
        h.append("<h1>").append(esc(r.strategyId() + " on " + r.market())).append("</h1>\n<p>")
                .append(esc(r.firstOpen() + " .. " + r.lastClose() + ", " + r.candles() + " candles")).append("</p>\n");

        metrics(h, r, quote);
        inputs(h, r, quote, base);
        h.append("<h2>Price, fills, equity and drawdown</h2>\n<figure id=\"chart\">");
        String top = h.toString(); // the page up to the chart; the rest is written meanwhile
        h.setLength(0);
        h.append("<figcaption>Close price with buys (green &#9650;) and sells at their fill prices, marked by why they"
                        + " sold: the strategy's signal (red &#9660;), stop-loss (purple &#10005;), take-profit (blue &#9670;),"
                        + " trailing stop (orange &#9660;), time exit (grey &#9632;);"
                        + " equity (after fees) marked at each candle close, with the buy-and-hold benchmark (the initial cash all"
                        + " bought at the first open, before fees, dashed); drawdown from the running equity peak.</figcaption></figure>\n");

        tearsheet(h, r, quote);
        tradeTables(h, r, quote);
        if (!links.isEmpty()) {
            h.append("<h2>Related</h2>\n<ul id=\"links\">\n");
            links.forEach((label, href) -> h.append("<li><a href=\"").append(esc(href)).append("\">").append(esc(label))
                    .append("</a></li>\n"));
            h.append("</ul>\n");
        }
        h.append("</body></html>\n");
        return top + joined(chart) + h;
    }

    /** @return the chart drawn on the other thread; its failure as it was thrown there */
    private static String joined(java.util.concurrent.CompletableFuture<String> chart) {
        try {
            return chart.join();
        } catch (java.util.concurrent.CompletionException e) {
            if (e.getCause() instanceof RuntimeException runtime) {
                throw runtime;
            }
            if (e.getCause() instanceof Error error) {
                throw error;
            }
            throw e;
        }
    }

    private static void metrics(StringBuilder h, BacktestReport r, String quote) {
        h.append("<div class=\"grid\"><section><h2>Metrics</h2>\n<table id=\"metrics\">\n");
        Metrics m = r.metrics();
        metric(h, "total_return", "Total return (after fees)", m.totalReturn(), percent(m.totalReturn()));
        metric(h, "buy_and_hold_return", "Buy and hold (before fees)", m.buyAndHoldReturn(), percent(m.buyAndHoldReturn()));
        metric(h, "cagr", "CAGR", m.cagr(), percent(m.cagr()));
        metric(h, "max_drawdown", "Max drawdown", m.maxDrawdown(), percent(m.maxDrawdown())
                + (m.maxDrawdownPeak() == null ? "" : " (" + m.maxDrawdownPeak() + " to " + m.maxDrawdownTrough() + ")"));
        metric(h, "sharpe", "Sharpe (daily, &times;&radic;" + m.annualizationDays() + ")", m.sharpe(), number(m.sharpe()));
        metric(h, "sortino", "Sortino (daily, &times;&radic;" + m.annualizationDays() + ")", m.sortino(), number(m.sortino()));
        metric(h, "win_rate", "Win rate", m.winRate(), percent(m.winRate()));
        metric(h, "profit_factor", "Profit factor (after fees)", m.profitFactor(), number(m.profitFactor()));
        metric(h, "average_win", "Average win (after fees)", m.averageWin(), money(m.averageWin(), quote));
        metric(h, "average_loss", "Average loss (after fees)", m.averageLoss(), money(m.averageLoss(), quote));
        metric(h, "exposure", "Exposure time", m.exposure(), percent(m.exposure()));
        metric(h, "closed_trades", "Round trips", BigDecimal.valueOf(m.closedTrades()), String.valueOf(m.closedTrades()));
        metric(h, "fees_paid", "Fees paid", r.feesPaid(), money(r.feesPaid(), quote));
        metric(h, "final_equity", "Final equity (after fees)", r.finalEquity(), money(r.finalEquity(), quote));
        metric(h, "realized_pnl", "Realized PnL (before fees)", r.realizedPnl(), money(r.realizedPnl(), quote));
        metric(h, "unrealized_pnl", "Unrealized PnL", r.unrealizedPnl(), money(r.unrealizedPnl(), quote));
        h.append("</table></section>\n");

    }

    private static void inputs(StringBuilder h, BacktestReport r, String quote, String base) {
        Metrics m = r.metrics();
        h.append("<section><h2>Inputs</h2>\n<table id=\"inputs\">\n");
        input(h, "Data file", r.dataFile());
        input(h, "Market", r.market());
        input(h, "Period", r.firstOpen() + " .. " + r.lastClose() + " (" + r.candles() + " candles"
                + (r.gaps() == 0 ? "" : "; " + r.gaps() + " gaps, " + r.missingCandles() + " intervals without a candle") + ")");
        input(h, "Strategy", r.strategyId());
        input(h, "Strategy settings", new TreeMap<>(r.strategySettings()).toString());
        input(h, "Initial cash", money(r.initialCash(), quote));
        input(h, "Fee model", r.feeRate().movePointRight(2).stripTrailingZeros().toPlainString()
                + " % of each fill's notional, unrounded; bought volume rounded down to 8 decimals; fills at the"
                + " next candle's open (market orders) or at the limit when the range reaches it");
        input(h, "Risk limits", r.riskSettings().isEmpty() ? "risk manager defaults" : new TreeMap<>(r.riskSettings()).toString());
        r.parameters().forEach((name, value) -> input(h, name, value));
        if (m.annualizedNote() != null) {
            input(h, "CAGR, Sharpe, Sortino", m.annualizedNote());
        }
        input(h, "Final position", r.finalPositionVolume().toPlainString() + " " + base + " @ " + money(r.lastPrice(), quote));
        h.append("</table></section></div>\n");

    }

    /** Round trips by exit reason: how many and their PnL net of fees; nothing when every sell was the strategy's. */
    private static void exits(StringBuilder h, BacktestReport r, String quote) {
        List<ExitSummary> by = r.exitReasons();
        if (by.stream().allMatch(x -> x.reason() == io.autotrade.api.trading.ExitReason.SIGNAL)) {
            return;
        }
        h.append("<h2>Exits</h2>\n<table id=\"exits\"><tr><th class=\"l\">exit reason</th><th>round trips</th>"
                + "<th>PnL after fees</th></tr>\n");
        for (ExitSummary x : by) {
            h.append("<tr><td class=\"l\">").append(x.reason().code()).append("</td><td>").append(x.roundTrips())
                    .append("</td><td class=\"").append(x.pnl().signum() >= 0 ? "pos" : "neg").append("\" data-value=\"")
                    .append(x.pnl().toPlainString()).append("\">").append(money(x.pnl(), quote)).append("</td></tr>\n");
        }
        h.append("</table>\n<p>Exits happen inside a candle: at its open when it opened beyond a level, else at the"
                + " stop level when its low reached it, else at the target when its high did. A candle that reached both"
                + " counts as the stop: the pessimistic assumption.</p>\n");
    }

    /** The month names of the heatmap's columns. */
    private static final String[] MONTHS = {"Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};

    /** Monthly returns, the worst drawdowns, rolling Sharpe, trade statistics and the Monte Carlo. */
    private static void tearsheet(StringBuilder h, BacktestReport r, String quote) {
        Tearsheet t = r.tearsheet();
        h.append("<h2>Monthly returns</h2>\n<p><small>Each UTC month's last equity over the month before's (the first over the"
                + " initial cash), after fees.</small></p>\n<table id=\"monthly-returns\"><tr><th class=\"l\">year</th>");
        for (String m : MONTHS) {
            h.append("<th>").append(m).append("</th>");
        }
        h.append("</tr>\n");
        Map<Integer, Map<Integer, Tearsheet.MonthlyReturn>> byYear = new TreeMap<>();
        for (Tearsheet.MonthlyReturn m : t.monthlyReturns()) {
            byYear.computeIfAbsent(m.month().getYear(), y -> new TreeMap<>()).put(m.month().getMonthValue(), m);
        }
        byYear.forEach((year, months) -> {
            h.append("<tr><th class=\"l\">").append(year).append("</th>");
            for (int month = 1; month <= 12; month++) {
                Tearsheet.MonthlyReturn m = months.get(month);
                if (m == null) {
                    h.append("<td class=\"m\"></td>");
                } else {
                    h.append("<td class=\"m\" data-month=\"").append(m.month()).append("\" data-value=\"").append(m.ret().toPlainString())
                            .append("\" style=\"background:").append(heat(m.ret())).append("\">").append(percent(m.ret())).append("</td>");
                }
            }
            h.append("</tr>\n");
        });
        h.append("</table>\n");

        h.append("<h2>Worst drawdowns</h2>\n<table id=\"drawdowns\"><tr><th>#</th><th class=\"l\">peak</th><th class=\"l\">trough</th>"
                + "<th class=\"l\">recovered</th><th>depth</th><th>length</th></tr>\n");
        int rank = 1;
        for (Tearsheet.Drawdown d : t.drawdowns()) {
            h.append("<tr><td>").append(rank++).append("</td><td class=\"l\">").append(when(d.peak())).append("</td><td class=\"l\">")
                    .append(when(d.trough())).append("</td><td class=\"l\">").append(d.recovery() == null ? "not by the end" : when(d.recovery()))
                    .append("</td><td class=\"neg\" data-value=\"").append(d.depth().toPlainString()).append("\">").append(percent(d.depth()))
                    .append("</td><td>").append(holding(d.length())).append(d.recovery() == null ? " so far" : "").append("</td></tr>\n");
        }
        h.append("</table>\n").append(t.drawdowns().isEmpty() ? "<p>The equity never fell below a peak.</p>\n" : "");

        h.append("<h2>Rolling Sharpe</h2>\n");
        if (t.rollingSharpe().isEmpty()) {
            h.append("<p id=\"rolling-sharpe\">Needs at least ").append(t.rollingWindowDays()).append(" days of data.</p>\n");
        } else {
            h.append("<figure id=\"rolling-sharpe\">").append(Charts.rollingSharpeSvg(r)).append("<figcaption>Sharpe ratio of the last ")
                    .append(t.rollingWindowDays()).append(" daily returns (UTC days, after fees), annualized by &radic;")
                    .append(r.metrics().annualizationDays()).append(".</figcaption></figure>\n");
        }

        h.append("<h2>Trade statistics</h2>\n<table id=\"trade-stats\">\n");
        metric(h, "expectancy", "Expectancy per round trip (after fees)", t.expectancy(), money(t.expectancy(), quote));
        metric(h, "longest_win_streak", "Longest winning streak", BigDecimal.valueOf(t.longestWinStreak()),
                trips(t.longestWinStreak()));
        metric(h, "longest_loss_streak", "Longest losing streak", BigDecimal.valueOf(t.longestLossStreak()),
                trips(t.longestLossStreak()));
        metric(h, "average_holding", "Average holding", null, t.averageHolding() == null ? "n/a" : holding(t.averageHolding()));
        h.append("</table>\n<p><small>Average win and loss, profit factor and exposure are in the metrics above.</small></p>\n");

        Tearsheet.MonteCarlo mc = t.monteCarlo();
        if (mc != null) {
            h.append("<h2>Monte Carlo of the round trips</h2>\n<p><small>").append(mc.runs()).append(" sequences of ")
                    .append(trips(mc.tradesPerRun())).append(" drawn at random with replacement from this run's (seed ")
                    .append(mc.seed()).append("), each applied to the initial cash in turn.</small></p>\n<table id=\"monte-carlo\">"
                            + "<tr><th class=\"l\"></th><th>5th percentile</th><th>median</th><th>95th percentile</th></tr>\n");
            h.append("<tr><th class=\"l\">final equity (after fees)</th>").append(cell(mc.finalEquity().p5(), money(mc.finalEquity().p5(), quote)))
                    .append(cell(mc.finalEquity().p50(), money(mc.finalEquity().p50(), quote)))
                    .append(cell(mc.finalEquity().p95(), money(mc.finalEquity().p95(), quote))).append("</tr>\n");
            h.append("<tr><th class=\"l\">max drawdown</th>").append(cell(mc.maxDrawdown().p5(), percent(mc.maxDrawdown().p5())))
                    .append(cell(mc.maxDrawdown().p50(), percent(mc.maxDrawdown().p50())))
                    .append(cell(mc.maxDrawdown().p95(), percent(mc.maxDrawdown().p95()))).append("</tr>\n</table>\n");
        }
    }

    private static String trips(int n) {
        return n + (n == 1 ? " round trip" : " round trips");
    }

    private static String cell(BigDecimal exact, String shown) {
        return "<td data-value=\"" + exact.toPlainString() + "\">" + esc(shown) + "</td>";
    }

    /** @return a background for a return: green for gains, red for losses, deeper with size (full at 10%) */
    static String heat(BigDecimal ret) {
        double x = Math.min(1, Math.abs(ret.doubleValue()) / 0.10);
        int fade = (int) Math.round(255 - 130 * x);
        return ret.signum() >= 0 ? String.format(java.util.Locale.ROOT, "rgb(%d,255,%d)", fade, fade)
                : String.format(java.util.Locale.ROOT, "rgb(255,%d,%d)", fade, fade);
    }

    /** Seoul: the local time of Upbit's markets. */
    private static final java.time.ZoneId MARKET_ZONE = java.time.ZoneId.of("Asia/Seoul");
    private static final java.time.format.DateTimeFormatter MINUTE = java.time.format.DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm");

    /** @return the instant in UTC and in the market's local time (KST) */
    static String when(java.time.Instant t) {
        return MINUTE.format(t.atZone(java.time.ZoneOffset.UTC)) + " UTC <small>(" + MINUTE.format(t.atZone(MARKET_ZONE))
                + " KST)</small>";
    }

    /** Round trips, fills and refused orders, each a table. */
    private static void tradeTables(StringBuilder h, BacktestReport r, String quote) {
        exits(h, r, quote);
        h.append("<h2>Round trips</h2>\n<p><small>MAE / MFE: the lowest / highest price the position saw (candle lows and highs"
                + " while held, and the exit) against the entry price.</small></p>\n<table id=\"closed-trades\"><tr><th class=\"l\">entry</th>"
                + "<th class=\"l\">exit</th><th>entry price</th><th>exit price</th><th>volume</th><th>PnL before fees</th><th>fees</th>"
                + "<th>PnL after fees</th><th>MAE</th><th>MFE</th><th>duration</th><th class=\"l\">exit</th></tr>\n");
        for (ClosedTrade t : r.closedTrades()) {
            h.append("<tr><td class=\"l\">").append(when(t.entryTime())).append("</td><td class=\"l\">").append(when(t.exitTime()))
                    .append("</td><td>").append(grouped(t.entryPrice())).append("</td><td>").append(grouped(t.exitPrice()))
                    .append("</td><td>").append(plain(t.volume())).append("</td><td>").append(money(t.pnlBeforeFees(), quote))
                    .append("</td><td>").append(money(t.fees(), quote)).append("</td><td class=\"")
                    .append(t.pnl().signum() >= 0 ? "pos" : "neg").append("\" data-value=\"").append(t.pnl().toPlainString())
                    .append("\">").append(money(t.pnl(), quote)).append("</td><td data-value=\"")
                    .append(t.mae() == null ? "" : t.mae().toPlainString()).append("\">").append(percent(t.mae()))
                    .append("</td><td data-value=\"").append(t.mfe() == null ? "" : t.mfe().toPlainString()).append("\">")
                    .append(percent(t.mfe())).append("</td><td>").append(holding(t.holding())).append("</td><td class=\"l\">")
                    .append(t.exitReason() == null ? "" : t.exitReason().code()).append("</td></tr>\n");
        }
        h.append("</table>\n").append(r.closedTrades().isEmpty() ? "<p>No round trip.</p>\n" : "");

        h.append("<h2>Fills</h2>\n<table id=\"fills\"><tr><th class=\"l\">time (UTC)</th><th class=\"l\">side</th>"
                + "<th>price</th><th>volume</th><th>fee</th><th class=\"l\">exit</th></tr>\n");
        for (Trade t : r.trades()) {
            h.append("<tr><td class=\"l\">").append(t.time()).append("</td><td class=\"l\">").append(t.side().upbitName())
                    .append("</td><td>").append(plain(t.price())).append("</td><td>").append(plain(t.volume()))
                    .append("</td><td>").append(money(t.fee(), quote)).append("</td><td class=\"l\">")
                    .append(t.exitReason() == null ? "" : t.exitReason().code()).append("</td></tr>\n");
        }
        h.append("</table>\n");
        if (!r.rejections().isEmpty()) {
            h.append("<h2>Refused orders</h2>\n<table id=\"rejections\"><tr><th class=\"l\">time (UTC)</th>"
                    + "<th class=\"l\">order</th><th class=\"l\">code</th><th class=\"l\">reason</th></tr>\n");
            for (Rejection x : r.rejections()) {
                h.append("<tr><td class=\"l\">").append(x.time()).append("</td><td class=\"l\">").append(esc(x.orderId()))
                        .append("</td><td class=\"l\">").append(esc(x.code())).append("</td><td class=\"l\">")
                        .append(esc(x.reason())).append("</td></tr>\n");
            }
            h.append("</table>\n");
        }
    }

    private static void metric(StringBuilder h, String key, String label, BigDecimal exact, String shown) {
        // label is markup of this class's own (entities), never data
        h.append("<tr data-metric=\"").append(key).append("\"><th class=\"l\">").append(label).append("</th><td data-value=\"")
                .append(exact == null ? "" : exact.toPlainString()).append("\">").append(esc(shown)).append("</td></tr>\n");
    }

    private static void input(StringBuilder h, String label, String value) {
        h.append("<tr><th class=\"l\">").append(esc(label)).append("</th><td class=\"l\">").append(esc(value)).append("</td></tr>\n");
    }

    static String percent(BigDecimal fraction) {
        return fraction == null ? "n/a" : fraction.movePointRight(2).setScale(2, RoundingMode.HALF_EVEN).toPlainString() + " %";
    }

    static String number(BigDecimal value) {
        return value == null ? "n/a" : value.setScale(2, RoundingMode.HALF_EVEN).toPlainString();
    }

    /** @return the amount with thousands separators, two decimals (eight for a BTC quote), and the currency */
    static String money(BigDecimal amount, String currency) {
        if (amount == null) {
            return "n/a";
        }
        int scale = currency.equals("BTC") ? 8 : 2;
        return thousands(amount.setScale(scale, RoundingMode.HALF_EVEN).toPlainString()) + " " + currency;
    }

    /** @return a price with thousands separators and its own decimals */
    static String grouped(BigDecimal value) {
        BigDecimal plain = value.stripTrailingZeros();
        return thousands(plain.setScale(Math.max(plain.scale(), 0)).toPlainString());
    }

    /**
     * @param plain a decimal as {@code BigDecimal.toPlainString} writes it
     * @return it with a comma between each three digits of its whole part, as {@code %,f} groups (a report of a long
     *         run formats a few hundred thousand amounts: {@code String.format} parsed its pattern for each)
     */
    static String thousands(String plain) {
        int start = plain.startsWith("-") ? 1 : 0;
        int point = plain.indexOf('.');
        int end = point < 0 ? plain.length() : point;
        int digits = end - start;
        if (digits <= 3) {
            return plain;
        }
        StringBuilder out = new StringBuilder(plain.length() + digits / 3);
        out.append(plain, 0, start);
        for (int i = start; i < end; i++) {
            if (i > start && (end - i) % 3 == 0) {
                out.append(',');
            }
            out.append(plain.charAt(i));
        }
        return out.append(plain, end, plain.length()).toString();
    }

    private static String plain(BigDecimal value) {
        return value.stripTrailingZeros().toPlainString();
    }

    static String holding(Duration d) {
        long days = d.toDays();
        long hours = d.toHoursPart();
        long minutes = d.toMinutesPart();
        return days > 0 ? days + "d " + hours + "h" : hours > 0 ? hours + "h " + minutes + "m" : minutes + "m";
    }

    static String esc(String text) {
        StringBuilder out = new StringBuilder(text.length() + 16);
        for (char c : text.toCharArray()) {
            switch (c) {
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '&' -> out.append("&amp;");
                case '"' -> out.append("&quot;");
                case '\'' -> out.append("&#39;");
                default -> out.append(c);
            }
        }
        return out.toString();
    }
}
