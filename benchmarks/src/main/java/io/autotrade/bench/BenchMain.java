package io.autotrade.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.Options;
import org.openjdk.jmh.runner.options.OptionsBuilder;

/**
 * Runs every benchmark in one run on this machine and writes {@code bench-results.json}: a list of
 * {@code {name, value, unit, baseline, baseline_value, ratio}}, where ratio = ours / baseline (for
 * throughput higher is better, for latency lower is better). Prints the same as a table, with the
 * targets of the event-bus issue.
 */
public final class BenchMain {
    private BenchMain() {
    }

    /** One line of the results file. */
    record Row(String name, double value, String unit, String baseline, Double baselineValue, Double ratio) {
    }

    public static void main(String[] args) throws Exception {
        String bundles = System.getProperty("bench.bundles");
        int forks = Integer.getInteger("bench.forks", 2);
        String only = System.getProperty("bench.include", "");
        Options options = new OptionsBuilder()
                .include(only.isBlank() ? DispatchBenchmark.class.getSimpleName() : only)
                .include(only.isBlank() ? LatencyBenchmark.class.getSimpleName() : only)
                .include(only.isBlank() ? DurableBenchmark.class.getSimpleName() : only)
                .forks(forks)
                .warmupIterations(Integer.getInteger("bench.warmups", 3))
                .warmupTime(org.openjdk.jmh.runner.options.TimeValue.seconds(2))
                .measurementIterations(Integer.getInteger("bench.iterations", 5))
                .measurementTime(org.openjdk.jmh.runner.options.TimeValue.seconds(3))
                .jvmArgs("-Xms2g", "-Xmx2g", "-XX:+AlwaysPreTouch", "--enable-native-access=ALL-UNNAMED",
                        "-Dbench.bundles=" + bundles, "-Dbench.store.bundles=" + System.getProperty("bench.store.bundles"))
                .shouldFailOnError(true)
                .build();
        Collection<RunResult> results = "Recovery".equals(only) || "Backtest".equals(only) ? List.of()
                : new Runner(options).run();

        Map<String, Double> throughput = new LinkedHashMap<>();
        Map<String, Map<Double, Double>> latency = new LinkedHashMap<>();
        for (RunResult r : results) {
            String method = r.getParams().getBenchmark().substring(r.getParams().getBenchmark().lastIndexOf('.') + 1);
            if (r.getParams().getMode() == org.openjdk.jmh.annotations.Mode.Throughput) {
                String subscribers = r.getParams().getParam("subscribers");
                throughput.put(subscribers == null ? method : method + "/" + subscribers, r.getPrimaryResult().getScore());
            } else {
                String key = "true".equals(r.getParams().getParam("flood")) ? "flood" : "quiet";
                Map<Double, Double> p = new LinkedHashMap<>();
                for (double q : new double[] {50.0, 99.0, 99.9}) {
                    p.put(q, r.getPrimaryResult().getStatistics().getPercentile(q));
                }
                latency.put(key, p);
            }
        }
        List<Row> rows = new ArrayList<>();
        List<String> targets = new ArrayList<>();
        Double send = throughput.get("eventAdminSendEvent");
        Double post = throughput.get("eventAdminPostEvent");
        Double ours = throughput.get("busCriticalLane");
        if (send != null && post != null && ours != null) {
            rows.add(new Row("eventadmin.sendEvent throughput", send, "events/s", null, null, null));
            rows.add(new Row("eventadmin.postEvent throughput", post, "events/s", null, null, null));
            rows.add(new Row("bus critical lane throughput", ours, "events/s", "eventadmin.sendEvent throughput", send,
                    ours / send));
            rows.add(new Row("bus critical lane throughput vs postEvent", ours, "events/s",
                    "eventadmin.postEvent throughput", post, ours / post));
            targets.add("bus >= 2,000,000 events/s: " + met(ours >= 2_000_000));
            targets.add("bus >= 0.4 x sendEvent: " + met(ours / send >= 0.4));
        }
        if (latency.containsKey("flood") && latency.containsKey("quiet")) {
            for (double q : new double[] {50.0, 99.0, 99.9}) {
                String label = q == 99.9 ? "p99.9" : "p" + (int) q;
                double flooded = latency.get("flood").get(q);
                double quiet = latency.get("quiet").get(q);
                rows.add(new Row("bus critical latency " + label + " under logging flood", flooded, "us",
                        "bus critical latency " + label + " without flood", quiet, flooded / quiet));
            }
            targets.add("critical p99 under flood <= 50 us: " + met(latency.get("flood").get(99.0) <= 50));
        }
        for (String subscribers : new String[] {"0", "1"}) {
            Double durable = throughput.get("journaledPublishAll/" + subscribers);
            Double rawInsert = throughput.get("rawBatchedInsert/" + subscribers);
            if (durable == null || rawInsert == null) {
                continue;
            }
            String what = subscribers.equals("0") ? "no subscriber" : "1 durable subscriber";
            String baseline = "raw sqlite-jdbc batched insert, same rows (" + what + ", 1000/tx, synchronous=FULL)";
            rows.add(new Row(baseline, rawInsert, "events/s", null, null, null));
            rows.add(new Row("durable publishAll, ack after commit (" + what + ")", durable, "events/s", baseline,
                    rawInsert, durable / rawInsert));
            targets.add("durable (" + what + ") >= 150,000 events/s: " + met(durable >= 150_000));
            targets.add("durable (" + what + ") >= 0.75 x raw insert: " + met(durable / rawInsert >= 0.75));
        }
        if (only.isBlank() || "Recovery".equals(only)) {
            double[] recovery = RecoveryBenchmark.run();
            rows.add(new Row("start on an empty database, JVM start to handler registered", recovery[1], "ms", null, null,
                    null));
            rows.add(new Row("recovery after kill -9, JVM start to 100,000 pending events redelivered", recovery[0], "ms",
                    "start on an empty database, JVM start to handler registered", recovery[1], recovery[0] / recovery[1]));
            rows.add(new Row("raw read and decode of the same 100,000 rows (JDBC + Jackson, fresh JVM)", recovery[2], "ms", null, null,
                    null));
            targets.add(String.format(java.util.Locale.ROOT, "recovery of 100,000 pending events <= empty start + 1.5 x raw read and decode"
                    + " (%,.0f ms): %s", recovery[1] + 1.5 * recovery[2], met(recovery[0] <= recovery[1] + 1.5 * recovery[2])));
        }
        Path launcher = Paths.get(System.getProperty("bench.launcher", "../launcher/target/autotrade.jar"));
        if ((only.isBlank() || "Backtest".equals(only)) && !java.nio.file.Files.exists(launcher)) {
            System.out.println("backtest benchmark skipped: " + launcher + " is not built (mvn -B -DskipTests package first)");
        } else if (only.isBlank() || "Backtest".equals(only)) {
            int candles = Integer.getInteger("bench.backtest.candles", 1_000_000);
            BacktestBenchmark.Result[] b = BacktestBenchmark.run(launcher,
                    Paths.get(System.getProperty("bench.samples")).resolve("binance/BTCUSDT_1m_2023-03-01_2023-03-10.csv"),
                    candles);
            String name = String.format(Locale.ROOT, "backtest of %,d candles (bundled 1m file repeated)", candles);
            rows.add(new Row(name + ", replay rate", b[0].replayRate(), "candles/s", null, null, null));
            rows.add(new Row(name + ", end to end with JVM start", b[0].candles() / b[0].wallSeconds(), "candles/s", null,
                    null, null));
            rows.add(new Row("backtest of 10,000 candles, peak RSS", b[1].peakRssKiB() / 1024.0, "MiB", null, null, null));
            rows.add(new Row(name + ", peak RSS", b[0].peakRssKiB() / 1024.0, "MiB", "backtest of 10,000 candles, peak RSS",
                    b[1].peakRssKiB() / 1024.0, (double) b[0].peakRssKiB() / b[1].peakRssKiB()));
            rows.add(new Row(name + ", bytes written per candle", b[0].bytesPerCandle(), "bytes", null, null, null));
            rows.add(new Row("start-up: JVM start to a finished 100-candle backtest", b[2].wallSeconds() * 1000, "ms", null,
                    null, null));
            rows.add(new Row("start-up: JVM start to the strategy ready for the first candle (100-candle run)",
                    b[2].readySeconds() * 1000, "ms", null, null, null));
            targets.add("backtest replay >= 200,000 candles/s: " + met(b[0].replayRate() >= 200_000));
            targets.add("backtest RSS <= 1.2 x the 10,000-candle run: " + met(b[0].peakRssKiB() <= 1.2 * b[1].peakRssKiB()));
            targets.add("backtest <= 200 bytes written per candle: " + met(b[0].bytesPerCandle() <= 200));
            targets.add("start-up to the first candle <= 1,000 ms: " + met(b[2].readySeconds() <= 1.0));
            String backtrader = System.getProperty("bench.backtrader", "");
            if (!backtrader.isBlank()) {
                double peer = BacktestBenchmark.backtrader(Paths.get(backtrader), Paths.get(System.getProperty("bench.backtrader.script")),
                        BacktestBenchmark.file(Paths.get(System.getProperty("bench.samples"))
                                .resolve("binance/BTCUSDT_1m_2023-03-01_2023-03-10.csv"), candles));
                rows.add(new Row(name + ", end to end with JVM start, wall", b[0].wallSeconds(), "s",
                        "backtrader 1.9 bar by bar (runonce=False), same file and rules", peer, b[0].wallSeconds() / peer));
                targets.add("backtest end to end >= 10 x faster than backtrader: " + met(peer >= 10 * b[0].wallSeconds()));
            }
        }
        Path out = Paths.get(System.getProperty("bench.results", "target/bench-results.json"));
        List<Map<String, Object>> json = new ArrayList<>();
        for (Row r : rows) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("name", r.name());
            m.put("value", round(r.value()));
            m.put("unit", r.unit());
            m.put("baseline", r.baseline());
            m.put("baseline_value", r.baselineValue() == null ? null : round(r.baselineValue()));
            m.put("ratio", r.ratio() == null ? null : Math.round(r.ratio() * 1000) / 1000.0);
            json.add(m);
        }
        new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(out.toFile(), json);

        System.out.println();
        System.out.println("| benchmark | value | unit | baseline | baseline value | ratio |");
        System.out.println("|---|---:|---|---|---:|---:|");
        for (Row r : rows) {
            System.out.printf(Locale.ROOT, "| %s | %,.1f | %s | %s | %s | %s |%n", r.name(), r.value(), r.unit(),
                    r.baseline() == null ? "-" : r.baseline(),
                    r.baselineValue() == null ? "-" : String.format(Locale.ROOT, "%,.1f", r.baselineValue()),
                    r.ratio() == null ? "-" : String.format(Locale.ROOT, "%.3f", r.ratio()));
        }
        System.out.printf(Locale.ROOT, "%ntargets: %s%nwritten to %s%n", String.join("; ", targets), out.toAbsolutePath());
    }

    private static String met(boolean met) {
        return met ? "met" : "NOT met";
    }

    private static double round(double v) {
        return Math.round(v * 10) / 10.0;
    }
}
