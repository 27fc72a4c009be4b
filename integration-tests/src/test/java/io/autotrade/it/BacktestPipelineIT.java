package io.autotrade.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.autotrade.launcher.Feature;
import io.autotrade.launcher.Runtime;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Boots Felix with the real bundles of the resolved {@code backtest} feature, runs backtests on the real
 * sample data through the shell, and checks the event store, the positions and the report.
 */
class BacktestPipelineIT {
    private static final Path SAMPLES = Paths.get(System.getProperty("autotrade.samples", "../data"));
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    private static Map<String, String> properties(Path db) {
        Map<String, String> p = new HashMap<>();
        p.put("org.osgi.framework.storage", db.resolve("felix-cache").toString());
        p.put("autotrade.data.dir", db.toString());
        return p;
    }

    private static String run(Path db, String command) throws Exception {
        try (Runtime runtime = Runtime.start(Feature.load("backtest"), properties(db))) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            Object result = runtime.execute(command, new PrintStream(out, true, StandardCharsets.UTF_8));
            return out.toString(StandardCharsets.UTF_8) + (result == null ? "" : result);
        }
    }

    private JsonNode backtest(Path db, String data, String extra) throws Exception {
        Path report = db.resolve("report.json");
        run(db, "trade:backtest --data '" + SAMPLES.resolve(data).toAbsolutePath() + "' --report '" + report + "' " + extra);
        return JSON.readTree(report.toFile());
    }

    private static BigDecimal d(JsonNode node, String field) {
        return new BigDecimal(node.get(field).asText());
    }

    private static void assertBooksBalance(JsonNode r) {
        BigDecimal fromPnl = d(r, "initial_cash").add(d(r, "realized_pnl")).add(d(r, "unrealized_pnl")).subtract(d(r, "fees_paid"));
        BigDecimal fromCash = d(r, "final_cash").add(d(r, "final_position_volume").multiply(d(r, "last_price")));
        assertEquals(0, fromPnl.compareTo(d(r, "final_equity")), "initial + realized + unrealized - fees == equity");
        assertEquals(0, fromCash.compareTo(d(r, "final_equity")), "cash + volume * last price == equity");
    }

    private static List<Map<String, String>> rows(Path db, String sql) throws Exception {
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db.resolve("backtest.db"));
                Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            List<Map<String, String>> rows = new ArrayList<>();
            while (rs.next()) {
                Map<String, String> row = new HashMap<>();
                for (int i = 1; i <= rs.getMetaData().getColumnCount(); i++) {
                    row.put(rs.getMetaData().getColumnLabel(i), rs.getString(i));
                }
                rows.add(row);
            }
            return rows;
        }
    }

    @Test
    void rsiRoundTripsOnRealKrwBtcCandlesAreStoredAsCausalChains() throws Exception {
        Path db = dir.resolve("db");
        JsonNode report = backtest(db, "upbit/KRW-BTC_day_2024-10-15_2025-10-14.csv", "");
        assertEquals("KRW-BTC", report.get("market").asText());
        assertEquals(365, report.get("candles").asInt());
        assertBooksBalance(report);
        assertTrue(report.get("round_trip_count").asInt() >= 1, "at least one round trip on the default data");
        assertEquals(report.get("round_trip_count").asInt(), report.get("round_trips").size());
        // the tearsheet's monthly returns, from the equity series (every close of the year is in it)
        Map<String, BigDecimal> monthEnd = new java.util.LinkedHashMap<>();
        for (JsonNode p : report.get("equity_curve")) {
            monthEnd.put(p.get("time").asText().substring(0, 7), d(p, "equity"));
        }
        assertEquals(365, report.get("equity_curve").size());
        BigDecimal before = d(report, "initial_cash");
        int m = 0;
        for (Map.Entry<String, BigDecimal> e : monthEnd.entrySet()) {
            JsonNode month = report.get("monthly_returns").get(m++);
            assertEquals(e.getKey(), month.get("month").asText());
            assertEquals(e.getValue().divide(before, 10, java.math.RoundingMode.HALF_EVEN).subtract(BigDecimal.ONE),
                    d(month, "return_after_fees"), e.getKey());
            before = e.getValue();
        }
        assertEquals(monthEnd.size(), report.get("monthly_returns").size());
        assertEquals(d(report.get("metrics"), "max_drawdown"), d(report.get("drawdowns").get(0), "depth"),
                "the deepest of the worst drawdowns is the max drawdown");
        assertEquals(report.get("equity_curve").size(), report.get("benchmark").size());

        List<Map<String, String>> fills = rows(db, "SELECT * FROM events WHERE type = 'order.filled' ORDER BY seq");
        assertEquals(report.get("trades").size(), fills.size(), "every reported trade is a stored fill");
        // the candles go by reference: no row each, one checkpoint naming the file, its SHA-256 and the last candle
        assertEquals(List.of(), rows(db, "SELECT event_id FROM events WHERE type LIKE 'candle.%'"), "no candle is journaled");
        List<Map<String, String>> checkpoints = rows(db, "SELECT payload FROM events WHERE type = 'market.replay_checkpoint'");
        assertEquals(1, checkpoints.size(), "one commit, one checkpoint: " + checkpoints);
        JsonNode checkpoint = JSON.readTree(checkpoints.get(0).get("payload"));
        Path file = SAMPLES.resolve("upbit/KRW-BTC_day_2024-10-15_2025-10-14.csv");
        assertEquals(java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256")
                .digest(Files.readAllBytes(file))), checkpoint.get("sha256").asText());
        assertEquals(file.getFileName().toString(), checkpoint.get("source").asText());
        assertEquals(365, checkpoint.get("candles").asInt());
        assertEquals(report.get("last_close").asText(), checkpoint.get("through").asText());
        assertEquals("0", rows(db, "SELECT count(*) AS n FROM pending").get(0).get("n"), "no delivery is left unfinished");
        assertTrue(Integer.parseInt(rows(db, "SELECT count(*) AS n FROM processed").get(0).get("n")) > 0,
                "the processing log records the handlers' work");
        for (Map<String, String> fill : fills) {
            // the fill's correlation chain holds signal -> request -> submit -> accept -> fill -> position, causally linked
            List<Map<String, String>> chain = rows(db, "SELECT * FROM events WHERE correlation_id = '"
                    + fill.get("correlation_id") + "' ORDER BY seq");
            List<String> types = chain.stream().map(r -> r.get("type")).toList();
            // the order path, exactly and each once (docs/architecture.md, "The order path"); the trading-state
            // tracker's four changes (strategy and global scope, TRADING then IDLE) run beside it on the safety lane
            assertEquals(List.of("signal.generated", "order.requested", "order.submitted", "order.accepted",
                    "order.filled", "position.updated"),
                    types.stream().filter(t -> !t.equals("trading.state_changed") && !t.equals("protection.updated")).toList(),
                    types.toString());
            assertEquals(4, types.stream().filter(t -> t.equals("trading.state_changed")).count(), types.toString());
            assertEquals(1, types.stream().filter(t -> t.equals("protection.updated")).count(), "the protection notes the fill: "
                    + types);
            Map<String, String> byId = new HashMap<>();
            chain.forEach(r -> byId.put(r.get("event_id"), r.get("type")));
            Map<String, String> request = chain.stream().filter(r -> r.get("type").equals("order.requested")).findFirst().orElseThrow();
            assertEquals("order.requested", byId.get(fill.get("causation_id")), "a fill is caused by its order request");
            assertEquals("signal.generated", byId.get(request.get("causation_id")), "a request is caused by a signal");
            // and the signal by a candle's close, not journaled: its id carries the candle's open time (Candle.eventId)
            Map<String, String> signal = chain.stream().filter(r -> r.get("type").equals("signal.generated")).findFirst().orElseThrow();
            long candleOpen = java.util.UUID.fromString(signal.get("causation_id")).getMostSignificantBits() >>> 16;
            assertEquals(signal.get("correlation_id"), signal.get("causation_id"), "the candle's close starts the chain");
            assertEquals(candleOpen + java.time.Duration.ofDays(1).toMillis(), Long.parseLong(signal.get("occurred_at")),
                    "the signal comes at that candle's close");
            assertEquals(fill.get("aggregate_id"), request.get("aggregate_id"), "fill and request share the order id");
        }
        List<Map<String, String>> positions = rows(db, "SELECT payload FROM events WHERE type = 'position.updated' ORDER BY seq");
        JsonNode lastPosition = JSON.readTree(positions.get(positions.size() - 1).get("payload")).get("position");
        assertEquals(0, new BigDecimal(lastPosition.get("volume").asText()).compareTo(d(report, "final_position_volume")));
        assertEquals(0, new BigDecimal(lastPosition.get("realizedPnl").asText()).compareTo(d(report, "realized_pnl")));

        // a restart on the same database rebuilds positions and orders from the stored events
        String shown = run(db, "trade:positions");
        assertTrue(shown.contains("KRW-BTC"), shown);
        assertTrue(shown.contains(d(report, "realized_pnl").setScale(2, java.math.RoundingMode.HALF_EVEN).toPlainString()), shown);
        String orders = run(db, "trade:orders");
        assertEquals(fills.size(), orders.lines().filter(l -> l.contains("FILLED")).count(), orders);
    }

    /** One row of the Binance minute file: open time, open, high, low. */
    private record Bar(java.time.Instant openTime, BigDecimal open, BigDecimal high, BigDecimal low) {
    }

    private static List<Bar> binanceBars() throws Exception {
        List<Bar> bars = new ArrayList<>();
        for (String line : Files.readAllLines(SAMPLES.resolve("binance/BTCUSDT_1m_2023-03-01_2023-03-10.csv")).subList(1, 14_401)) {
            String[] f = line.split(",");
            bars.add(new Bar(java.time.OffsetDateTime.parse(f[0].replace(' ', 'T')).toInstant(), new BigDecimal(f[1]),
                    new BigDecimal(f[2]), new BigDecimal(f[3])));
        }
        return bars;
    }

    /**
     * Issue 19's acceptance: the RSI strategy with a stop-loss and a take-profit on the Binance minute file. An
     * independent check walks the candles from each round trip's entry: the first candle that opens beyond a level
     * exits at its open, else the first whose low reaches the stop exits at the stop, else whose high reaches the
     * target at the target (the stop first when both); a strategy's sell fills at a candle's open before any level
     * was reached. Levels are on USDT's 0.01 price unit (Upbit, prices of 10 USDT and more), toward the entry.
     */
    @ParameterizedTest(name = "stop.loss={0} take.profit={1}")
    @CsvSource({"0.01, 0.02", "0.01, 0.004"})
    void exitsOnTheBinanceMinuteFileFollowTheSemanticsCandleByCandle(String stopLoss, String takeProfit) throws Exception {
        Path db = dir.resolve("exits");
        JsonNode report = backtest(db, "binance/BTCUSDT_1m_2023-03-01_2023-03-10.csv",
                "--market USDT-BTC stop.loss=" + stopLoss + " take.profit=" + takeProfit);
        assertBooksBalance(report);
        List<Bar> bars = binanceBars();
        Map<java.time.Instant, Integer> index = new HashMap<>();
        for (int i = 0; i < bars.size(); i++) {
            index.put(bars.get(i).openTime(), i);
        }
        BigDecimal down = BigDecimal.ONE.subtract(new BigDecimal(stopLoss));
        BigDecimal up = BigDecimal.ONE.add(new BigDecimal(takeProfit));
        Map<String, Integer> reasons = new HashMap<>();
        for (JsonNode trip : report.get("round_trips")) {
            BigDecimal entry = d(trip, "entry_price");
            // MAE and MFE: the lows and highs of the candles held at their close (opened from the entry on, before the exit)
            BigDecimal low = entry.min(d(trip, "exit_price"));
            BigDecimal high = entry.max(d(trip, "exit_price"));
            for (Bar b : bars) {
                if (!b.openTime().isBefore(java.time.Instant.parse(trip.get("entry_time").asText()))
                        && b.openTime().isBefore(java.time.Instant.parse(trip.get("exit_time").asText()))) {
                    low = low.min(b.low());
                    high = high.max(b.high());
                }
            }
            assertEquals(low.divide(entry, 10, java.math.RoundingMode.HALF_EVEN).subtract(BigDecimal.ONE).min(BigDecimal.ZERO)
                    .compareTo(d(trip, "mae")), 0, "MAE of " + trip);
            assertEquals(high.divide(entry, 10, java.math.RoundingMode.HALF_EVEN).subtract(BigDecimal.ONE).max(BigDecimal.ZERO)
                    .compareTo(d(trip, "mfe")), 0, "MFE of " + trip);
            assertEquals(d(trip, "pnl_after_fees").add(d(trip, "fees")), d(trip, "pnl"), "PnL before fees");
            BigDecimal stop = entry.multiply(down).setScale(2, java.math.RoundingMode.CEILING);
            BigDecimal target = entry.multiply(up).setScale(2, java.math.RoundingMode.FLOOR);
            String reason = trip.get("exit_reason").asText();
            java.time.Instant exitTime = java.time.Instant.parse(trip.get("exit_time").asText());
            String expected = null;
            for (int k = index.get(java.time.Instant.parse(trip.get("entry_time").asText())); k < bars.size() && expected == null; k++) {
                Bar b = bars.get(k);
                if (reason.equals("signal") && b.openTime().equals(exitTime)) {
                    expected = "signal " + b.open().stripTrailingZeros().toPlainString() + " " + b.openTime();
                } else if (b.open().compareTo(stop) <= 0) {
                    expected = "stop_loss " + b.open().stripTrailingZeros().toPlainString() + " " + b.openTime();
                } else if (b.open().compareTo(target) >= 0) {
                    expected = "take_profit " + b.open().stripTrailingZeros().toPlainString() + " " + b.openTime();
                } else if (b.low().compareTo(stop) <= 0) {
                    expected = "stop_loss " + stop.stripTrailingZeros().toPlainString() + " " + b.openTime();
                } else if (b.high().compareTo(target) >= 0) {
                    expected = "take_profit " + target.stripTrailingZeros().toPlainString() + " " + b.openTime();
                }
            }
            assertEquals(expected, reason + " " + d(trip, "exit_price").stripTrailingZeros().toPlainString() + " " + exitTime,
                    "round trip entered " + trip.get("entry_time").asText() + " at " + entry);
            reasons.merge(reason, 1, Integer::sum);
        }
        assertTrue(reasons.getOrDefault("stop_loss", 0) > 0, "stops were hit: " + reasons);
        if (takeProfit.equals("0.004")) {
            assertTrue(reasons.getOrDefault("take_profit", 0) > 0, "targets were hit: " + reasons);
        }
        for (JsonNode trade : report.get("trades")) {
            assertEquals(trade.get("side").asText().equals("ask"), trade.has("exit_reason") && !trade.get("exit_reason").isNull(),
                    "each sell carries its exit reason: " + trade);
        }
        for (JsonNode x : report.get("exit_reasons")) {
            assertEquals(reasons.get(x.get("reason").asText()).intValue(), x.get("round_trips").asInt(), x.toString());
        }
    }

    @Test
    void theMovingAverageCrossoverStrategyTradesTheSameCandlesThroughTheSamePipeline() throws Exception {
        Path db = dir.resolve("macross");
        JsonNode report = backtest(db, "upbit/KRW-BTC_day_2024-10-15_2025-10-14.csv",
                "--strategy macross fast.period=5 slow.period=20 ma.type=EMA");
        assertEquals("macross-KRW-BTC", report.get("strategy").asText());
        assertEquals("EMA", report.get("strategy_settings").get("ma.type").asText());
        assertBooksBalance(report);
        assertTrue(report.get("round_trip_count").asInt() >= 1, "a year of daily BTC has crossovers");
        List<Map<String, String>> signals = rows(db, "SELECT payload FROM events WHERE type = 'signal.generated' ORDER BY seq");
        assertEquals(report.get("trades").size(), signals.size(), "every signal became a fill");
        for (Map<String, String> signal : signals) {
            JsonNode payload = JSON.readTree(signal.get("payload"));
            assertEquals("macross-KRW-BTC", payload.get("strategyId").asText());
            assertTrue(payload.get("reason").asText().matches("(golden|death) cross: EMA\\(5\\) .*"), payload.toString());
        }
        assertEquals("0", rows(db, "SELECT count(*) AS n FROM pending").get(0).get("n"));
    }

    @Test
    void aRiskLimitForTheRunRefusesTheStrategysOrdersAndTheReportNamesTheRule() throws Exception {
        Path db = dir.resolve("risk");
        JsonNode report = backtest(db, "upbit/KRW-BTC_day_2024-10-15_2025-10-14.csv", "risk.max.order.notional=500000");
        assertEquals(0, report.get("trades").size(), "every 1,000,000 KRW buy is over the limit");
        assertTrue(report.get("rejected_orders").asInt() >= 1);
        assertEquals(report.get("rejected_orders").asInt(), report.get("rejections").size());
        for (JsonNode rejection : report.get("rejections")) {
            assertEquals("risk:max.order.notional", rejection.get("code").asText());
            assertEquals("max.order.notional", rejection.get("rule").asText());
            assertTrue(rejection.get("reason").asText().contains("over max.order.notional 500000"));
        }
        assertBooksBalance(report);
        assertEquals(0, d(report, "final_equity").compareTo(d(report, "initial_cash")), "nothing traded, nothing lost");
        List<Map<String, String>> breaches = rows(db, "SELECT payload FROM events WHERE type = 'risk.breached'");
        assertEquals(report.get("rejected_orders").asInt(), breaches.size(), "each refusal is stored as risk.breached");
    }

    @Test
    void twoRunsOnTheSameInputGiveIdenticalReports() throws Exception {
        JsonNode first = backtest(dir.resolve("a"), "upbit/KRW-BTC_1m_2020-02-20.csv", "period=7");
        JsonNode second = backtest(dir.resolve("b"), "upbit/KRW-BTC_1m_2020-02-20.csv", "period=7");
        assertEquals(Files.readString(dir.resolve("a/report.json")), Files.readString(dir.resolve("b/report.json")),
                "byte for byte, the settings in the same order too");
        // the strategy saw every candle from the first: its first signal is where RSI(7) over all 240 closes crosses
        // (a strategy that missed the first four would buy at 08:14, RSI 25.62 -> 36.36)
        assertEquals("2020-02-20T08:26:00Z", first.get("signals").get(0).get("time").asText());
        assertEquals("RSI(7) crossed up through 30: 25.35 -> 39.40", first.get("signals").get(0).get("reason").asText());
        assertTrue(first.get("trades").size() > 0, "the minute data trades with period 7");
        assertBooksBalance(first);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({
        "upbit/KRW-BTC_day_2022-10-12_2023-04-29.csv, '', KRW-BTC, 200",
        "upbit/KRW-BTC_day_2024-01-02_2024-07.csv, '', KRW-BTC, 200",
        "upbit/KRW-NEO_day_2024-01-01_2024-07.csv, '', KRW-NEO, 200",
        "upbit/KRW-BTC_1m_2020-02-20.csv, '', KRW-BTC, 240",
        "upbit-api/smtm_candles_minutes3_KRW-BTC_20200220_0000-1000.json, '', KRW-BTC, 200",
        "binance/BTCUSDT_1m_2023-03-01_2023-03-10.csv, --market USDT-BTC, USDT-BTC, 14400"})
    void backtestsEverySampleFile(String file, String options, String market, int candles) throws Exception {
        JsonNode report = backtest(dir.resolve("db"), file, options);
        assertEquals(market, report.get("market").asText());
        assertEquals(candles, report.get("candles").asInt());
        assertBooksBalance(report);
    }

    @Test
    void aMalformedFileIsAnErrorNamingFileAndLine() throws Exception {
        Path bad = dir.resolve("KRW-BTC_bad.csv");
        Files.writeString(bad, "Date,Open,High,Low,Close,Volume\n2024-01-02,10,11,9,10,1\n2024-01-03,10,11,9,,1\n");
        Path db = dir.resolve("db");
        Exception error = assertThrows(Exception.class, () -> run(db, "trade:backtest --data '" + bad + "'"));
        assertTrue(error.getMessage().contains(bad + ":3 column 5 (close): empty value"), error.getMessage());
        assertEquals(0, rows(db, "SELECT * FROM events").size(), "nothing was traded");
    }
}
