package io.autotrade.backtest.internal;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.autotrade.api.backtest.BacktestException;
import io.autotrade.api.backtest.BacktestReport;
import io.autotrade.api.backtest.ClosedTrade;
import io.autotrade.api.backtest.EquityPoint;
import io.autotrade.api.backtest.ExitSummary;
import io.autotrade.api.backtest.Metrics;
import io.autotrade.api.backtest.Rejection;
import io.autotrade.api.backtest.Tearsheet;
import io.autotrade.api.backtest.Trade;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The JSON form of a report. Amounts are JSON strings holding the exact decimal (never a float);
 * times are ISO-8601 UTC; sides are Upbit's {@code bid}/{@code ask}.
 */
final class ReportJson {
    private static final ObjectMapper MAPPER = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private ReportJson() {
    }

    static Map<String, Object> toMap(BacktestReport r) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("market", r.market());
        m.put("data_file", r.dataFile());
        m.put("strategy", r.strategyId());
        m.put("strategy_settings", new LinkedHashMap<>(r.strategySettings()));
        m.put("candles", r.candles());
        m.put("first_open", r.firstOpen().toString());
        m.put("last_close", r.lastClose().toString());
        m.put("initial_cash", s(r.initialCash()));
        m.put("final_cash", s(r.finalCash()));
        m.put("final_position_volume", s(r.finalPositionVolume()));
        m.put("last_price", s(r.lastPrice()));
        m.put("final_equity", s(r.finalEquity()));
        m.put("realized_pnl", s(r.realizedPnl()));
        m.put("unrealized_pnl", s(r.unrealizedPnl()));
        m.put("fees_paid", s(r.feesPaid()));
        m.put("max_drawdown", s(r.maxDrawdown()));
        m.put("buy_and_hold_return", s(r.buyAndHoldReturn()));
        m.put("total_return", s(r.totalReturn()));
        m.put("rejected_orders", r.rejectedOrders());
        m.put("round_trip_count", r.roundTrips());
        List<Map<String, Object>> trades = r.trades().stream().map(ReportJson::trade).toList();
        m.put("trades", trades);
        m.put("rejections", r.rejections().stream().map(ReportJson::rejection).toList());
        m.put("signals", r.signals().stream().map(x -> {
            Map<String, Object> b = new LinkedHashMap<>();
            b.put("time", x.time().toString());
            b.put("strategy", x.strategy());
            b.put("side", x.side().upbitName());
            b.put("reason", x.reason());
            return b;
        }).toList());
        m.put("fee_rate", s(r.feeRate()));
        m.put("risk_settings", new LinkedHashMap<>(r.riskSettings()));
        m.put("parameters", new LinkedHashMap<>(r.parameters()));
        m.put("gaps", r.gaps());
        m.put("missing_candles", r.missingCandles());
        m.put("metrics", metrics(r.metrics()));
        m.put("round_trips", r.closedTrades().stream().map(ReportJson::closedTrade).toList());
        m.put("exit_reasons", r.exitReasons().stream().map(ReportJson::exitSummary).toList());
        m.put("equity_curve", r.equityCurve().stream().map(ReportJson::point).toList());
        Tearsheet t = r.tearsheet();
        m.put("benchmark", r.benchmark().stream().map(p -> {
            Map<String, Object> b = new LinkedHashMap<>();
            b.put("time", p.time().toString());
            b.put("equity_before_fees", s(p.equity()));
            return b;
        }).toList());
        m.put("monthly_returns", t.monthlyReturns().stream().map(x -> {
            Map<String, Object> b = new LinkedHashMap<>();
            b.put("month", x.month().toString());
            b.put("end_equity", s(x.endEquity()));
            b.put("return_after_fees", s(x.ret()));
            return b;
        }).toList());
        m.put("drawdowns", t.drawdowns().stream().map(d -> {
            Map<String, Object> b = new LinkedHashMap<>();
            b.put("peak", d.peak().toString());
            b.put("trough", d.trough().toString());
            b.put("recovery", d.recovery() == null ? null : d.recovery().toString());
            b.put("depth", s(d.depth()));
            b.put("length", d.length().toString());
            return b;
        }).toList());
        Map<String, Object> rolling = new LinkedHashMap<>();
        rolling.put("window_days", t.rollingWindowDays());
        rolling.put("values", t.rollingSharpe().stream().map(v -> {
            Map<String, Object> b = new LinkedHashMap<>();
            b.put("day", v.day().toString());
            b.put("sharpe", s(v.value()));
            return b;
        }).toList());
        m.put("rolling_sharpe", rolling);
        Map<String, Object> stats = new LinkedHashMap<>();
        stats.put("expectancy_after_fees", s(t.expectancy()));
        stats.put("longest_win_streak", t.longestWinStreak());
        stats.put("longest_loss_streak", t.longestLossStreak());
        stats.put("average_holding", t.averageHolding() == null ? null : t.averageHolding().toString());
        m.put("trade_stats", stats);
        Tearsheet.MonteCarlo mc = t.monteCarlo();
        if (mc == null) {
            m.put("monte_carlo", null);
        } else {
            Map<String, Object> b = new LinkedHashMap<>();
            b.put("runs", mc.runs());
            b.put("seed", mc.seed());
            b.put("trades_per_run", mc.tradesPerRun());
            b.put("final_equity_after_fees", percentiles(mc.finalEquity()));
            b.put("max_drawdown", percentiles(mc.maxDrawdown()));
            m.put("monte_carlo", b);
        }
        return m;
    }

    private static Map<String, Object> percentiles(Tearsheet.Percentiles p) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("p5", s(p.p5()));
        m.put("p50", s(p.p50()));
        m.put("p95", s(p.p95()));
        return m;
    }

    private static Map<String, Object> metrics(Metrics x) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("total_return", s(x.totalReturn()));
        m.put("buy_and_hold_return", s(x.buyAndHoldReturn()));
        m.put("cagr", s(x.cagr()));
        m.put("max_drawdown", s(x.maxDrawdown()));
        m.put("max_drawdown_peak", x.maxDrawdownPeak() == null ? null : x.maxDrawdownPeak().toString());
        m.put("max_drawdown_trough", x.maxDrawdownTrough() == null ? null : x.maxDrawdownTrough().toString());
        m.put("sharpe", s(x.sharpe()));
        m.put("sortino", s(x.sortino()));
        m.put("annualization_days", x.annualizationDays());
        m.put("annualized_note", x.annualizedNote());
        m.put("win_rate", s(x.winRate()));
        m.put("profit_factor", s(x.profitFactor()));
        m.put("average_win", s(x.averageWin()));
        m.put("average_loss", s(x.averageLoss()));
        m.put("exposure", s(x.exposure()));
        m.put("closed_trades", x.closedTrades());
        return m;
    }

    private static Map<String, Object> closedTrade(ClosedTrade t) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("entry_time", t.entryTime().toString());
        m.put("exit_time", t.exitTime().toString());
        m.put("entry_price", s(t.entryPrice()));
        m.put("exit_price", s(t.exitPrice()));
        m.put("volume", s(t.volume()));
        m.put("pnl", s(t.pnlBeforeFees()));
        m.put("pnl_after_fees", s(t.pnl()));
        m.put("fees", s(t.fees()));
        m.put("mae", s(t.mae()));
        m.put("mfe", s(t.mfe()));
        m.put("duration", t.holding().toString());
        m.put("exit_reason", t.exitReason() == null ? null : t.exitReason().code());
        return m;
    }

    private static Map<String, Object> exitSummary(ExitSummary x) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("reason", x.reason().code());
        m.put("round_trips", x.roundTrips());
        m.put("pnl_after_fees", s(x.pnl()));
        return m;
    }

    private static Map<String, Object> point(EquityPoint p) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("time", p.time().toString());
        m.put("close", s(p.close()));
        m.put("equity", s(p.equity()));
        m.put("position", s(p.position()));
        return m;
    }

    private static Map<String, Object> rejection(Rejection x) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("time", x.time().toString());
        m.put("order_id", x.orderId());
        m.put("code", x.code());
        m.put("rule", x.code().startsWith("risk:") ? x.code().substring("risk:".length()) : null);
        m.put("reason", x.reason());
        return m;
    }

    private static Map<String, Object> trade(Trade t) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("time", t.time().toString());
        m.put("side", t.side().upbitName());
        m.put("price", s(t.price()));
        m.put("volume", s(t.volume()));
        m.put("fee", s(t.fee()));
        if (t.side() == io.autotrade.api.trading.Side.ASK) {
            m.put("exit_reason", t.exitReason() == null ? null : t.exitReason().code());
        }
        return m;
    }

    /** @return the exact decimal as a string, or null (JSON null) for a figure that does not apply */
    private static String s(BigDecimal value) {
        return value == null ? null : value.toPlainString();
    }

    static void write(BacktestReport report, Path file) {
        try {
            Path parent = file.toAbsolutePath().getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
            MAPPER.writeValue(file.toFile(), toMap(report));
        } catch (IOException e) {
            throw new BacktestException("cannot write the report to " + file + ": " + e.getMessage(), e);
        }
    }
}
