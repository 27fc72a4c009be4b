package io.autotrade.shell.internal;

import io.autotrade.api.backtest.BacktestReport;
import io.autotrade.api.backtest.Rejection;
import io.autotrade.api.backtest.Trade;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.List;

/** The console form of a backtest report. */
final class ReportText {
    /** Fills printed from each end of a long list; the reports have them all. */
    static final int SHOWN_AT_EACH_END = 20;

    private ReportText() {
    }

    static String format(BacktestReport r) {
        String quote = r.market().substring(0, r.market().indexOf('-'));
        String base = r.market().substring(r.market().indexOf('-') + 1);
        StringBuilder out = new StringBuilder();
        String nl = System.lineSeparator();
        out.append("Backtest ").append(r.strategyId()).append(" on ").append(r.market()).append(nl);
        out.append("  data       ").append(r.dataFile()).append(nl);
        out.append("  period     ").append(r.firstOpen()).append(" .. ").append(r.lastClose()).append(" (")
                .append(r.candles()).append(" candles")
                .append(r.gaps() == 0 ? "" : "; " + r.gaps() + " gaps, " + r.missingCandles() + " intervals without a candle")
                .append(")").append(nl);
        out.append("  settings   ").append(new java.util.TreeMap<>(r.strategySettings())).append(nl);
        r.parameters().forEach((name, value) -> out.append("  ").append(String.format("%-28s ", name)).append(value).append(nl));
        out.append(nl);
        Table summary = new Table("", "");
        summary.row("initial cash", money(r.initialCash(), quote));
        summary.row("final cash", money(r.finalCash(), quote));
        summary.row("position", r.finalPositionVolume().toPlainString() + " " + base + " @ " + money(r.lastPrice(), quote));
        summary.row("final equity", money(r.finalEquity(), quote));
        summary.row("realized PnL", money(r.realizedPnl(), quote));
        summary.row("unrealized PnL", money(r.unrealizedPnl(), quote));
        summary.row("fees paid", money(r.feesPaid(), quote));
        summary.row("total return", percent(r.totalReturn()));
        summary.row("buy and hold", percent(r.buyAndHoldReturn()));
        summary.row("max drawdown", percent(r.maxDrawdown()));
        summary.row("CAGR", percent(r.metrics().cagr()));
        summary.row("sharpe / sortino", number(r.metrics().sharpe()) + " / " + number(r.metrics().sortino()));
        if (r.metrics().annualizedNote() != null) {
            summary.row("  (CAGR, sharpe, sortino)", r.metrics().annualizedNote());
        }
        summary.row("win rate", percent(r.metrics().winRate()) + " of " + trips(r.metrics().closedTrades()));
        summary.row("exposure", percent(r.metrics().exposure()));
        summary.row("fills / round trips", r.trades().size() + " / " + r.roundTrips());
        summary.row("rejected orders", r.rejectedOrders());
        for (io.autotrade.api.backtest.ExitSummary x : r.exitReasons()) {
            summary.row("  closed by " + x.reason().code(), trips(x.roundTrips()) + ", PnL after fees "
                    + money(x.pnl(), quote));
        }
        out.append(summary).append(nl);
        Table research = new Table("", "");
        io.autotrade.api.backtest.Tearsheet sheet = r.tearsheet();
        if (sheet.expectancy() != null) {
            research.row("expectancy", money(sheet.expectancy(), quote) + " per round trip, after fees");
            research.row("streaks", "longest " + sheet.longestWinStreak() + (sheet.longestWinStreak() == 1 ? " win, " : " wins, ")
                    + sheet.longestLossStreak() + (sheet.longestLossStreak() == 1 ? " loss" : " losses") + " in a row; average holding " + holding(sheet.averageHolding()));
        }
        for (io.autotrade.api.backtest.Tearsheet.Drawdown d : sheet.drawdowns()) {
            research.row("  drawdown", percent(d.depth()) + " from " + d.peak() + ", trough " + d.trough() + ", "
                    + (d.recovery() == null ? "not recovered" : "recovered " + d.recovery()));
        }
        io.autotrade.api.backtest.Tearsheet.MonteCarlo mc = sheet.monteCarlo();
        if (mc != null) {
            research.row("Monte Carlo", mc.runs() + " bootstrap sequences of " + trips(mc.tradesPerRun()) + ", seed " + mc.seed());
            research.row("  final equity 5/50/95%", money(mc.finalEquity().p5(), quote) + " / " + money(mc.finalEquity().p50(), quote)
                    + " / " + money(mc.finalEquity().p95(), quote) + " (after fees)");
            research.row("  max drawdown 5/50/95%", percent(mc.maxDrawdown().p5()) + " / " + percent(mc.maxDrawdown().p50())
                    + " / " + percent(mc.maxDrawdown().p95()));
        }
        if (!research.isEmpty()) {
            out.append(research).append(nl);
        }
        Table trades = new Table("time (UTC)", "side", "price", "volume", "fee", "exit");
        List<Trade> all = r.trades();
        boolean cut = all.size() > 2 * SHOWN_AT_EACH_END;
        fills(trades, cut ? all.subList(0, SHOWN_AT_EACH_END) : all);
        if (cut) {
            trades.row("...", "", "", "", "", "");
            fills(trades, all.subList(all.size() - SHOWN_AT_EACH_END, all.size()));
        }
        out.append(trades.isEmpty() ? "no trades" + nl : trades.toString());
        if (cut) {
            out.append("(the first and last " + SHOWN_AT_EACH_END + " of " + all.size() + " fills: every one is in the JSON and"
                    + " HTML reports)").append(nl);
        }
        if (!r.rejections().isEmpty()) {
            Table rejected = new Table("rejected (UTC)", "order id", "code", "reason");
            for (Rejection x : r.rejections()) {
                rejected.row(x.time(), x.orderId(), x.code(), x.reason());
            }
            out.append(nl).append(rejected);
        }
        return out.toString();
    }

    private static void fills(Table table, List<Trade> fills) {
        for (Trade t : fills) {
            table.row(t.time(), t.side().upbitName(), t.price().toPlainString(), t.volume().toPlainString(),
                    t.fee().setScale(2, RoundingMode.HALF_EVEN).toPlainString(), t.exitReason() == null ? "" : t.exitReason().code());
        }
    }

    static String money(BigDecimal amount, String currency) {
        int scale = currency.equals("KRW") || currency.equals("USDT") ? 2 : 8;
        return amount.setScale(scale, RoundingMode.HALF_EVEN).toPlainString() + " " + currency;
    }

    static String percent(BigDecimal fraction) {
        return fraction == null ? "n/a" : fraction.movePointRight(2).setScale(2, RoundingMode.HALF_EVEN).toPlainString() + " %";
    }

    static String number(BigDecimal value) {
        return value == null ? "n/a" : value.setScale(2, RoundingMode.HALF_EVEN).toPlainString();
    }

    /** @return e.g. {@code 2d 4h}, {@code 3h 10m} */
    static String holding(java.time.Duration d) {
        return d.toDays() > 0 ? d.toDays() + "d " + d.toHoursPart() + "h" : d.toHours() > 0 ? d.toHours() + "h " + d.toMinutesPart() + "m"
                : d.toMinutes() + "m";
    }

    private static String trips(int n) {
        return n + (n == 1 ? " round trip" : " round trips");
    }
}
