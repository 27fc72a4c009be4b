package io.autotrade.backtest.internal;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.autotrade.api.backtest.BacktestException;
import io.autotrade.api.backtest.BacktestReport;
import io.autotrade.api.backtest.Rejection;
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
        m.put("round_trips", r.roundTrips());
        List<Map<String, Object>> trades = r.trades().stream().map(ReportJson::trade).toList();
        m.put("trades", trades);
        m.put("rejections", r.rejections().stream().map(ReportJson::rejection).toList());
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
        return m;
    }

    private static String s(BigDecimal value) {
        return value.toPlainString();
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
