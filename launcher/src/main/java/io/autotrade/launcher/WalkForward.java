package io.autotrade.launcher;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code --walk-forward train=P30D,test=P7D[,step=P7D][,anchored][,warmup=P30D]} with {@code --compare} ranges: for each
 * window, every combination runs on the train span and the best by the objective ({@code --objective}) runs on the test
 * span that follows; the report gives per window the chosen settings and the in-sample and out-of-sample figures, the
 * out-of-sample equity stitched from the test runs, and the walk-forward efficiency. Every run warms its strategy up on
 * the candles before its span (by default as long as the train span; never trading them).
 */
final class WalkForward {
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    /** Most backtests one walk-forward may run. */
    static final int MAX_RUNS = 400;

    private WalkForward() {
    }

    /**
     * The windows' shape.
     *
     * @param train    the train span's length
     * @param test     the test span's length
     * @param step     how far each window moves on
     * @param anchored whether every train span starts at the data's start (growing) instead of moving
     * @param warmUp   the candles each run replays before its span to warm the strategy up, without trading them
     */
    record Spec(Duration train, Duration test, Duration step, boolean anchored, Duration warmUp) {
        /**
         * @param text {@code train=P30D,test=P7D[,step=P7D][,anchored][,warmup=P30D]}
         * @return the spec
         * @throws IllegalArgumentException naming the part that is wrong
         */
        static Spec parse(String text) {
            Duration train = null;
            Duration test = null;
            Duration step = null;
            Duration warmUp = null;
            boolean anchored = false;
            for (String part : text.split(",")) {
                String p = part.strip();
                if (p.equals("anchored")) {
                    anchored = true;
                    continue;
                }
                int eq = p.indexOf('=');
                if (eq <= 0) {
                    throw new IllegalArgumentException("--walk-forward " + text + ": '" + p + "' is not key=DURATION or anchored");
                }
                Duration d = duration(p.substring(0, eq), p.substring(eq + 1));
                switch (p.substring(0, eq)) {
                    case "train" -> train = d;
                    case "test" -> test = d;
                    case "step" -> step = d;
                    case "warmup" -> warmUp = d;
                    default -> throw new IllegalArgumentException("--walk-forward " + text + ": unknown part '" + p.substring(0, eq)
                            + "' (train, test, step, warmup, anchored)");
                }
            }
            if (train == null || test == null) {
                throw new IllegalArgumentException("--walk-forward needs train=DURATION and test=DURATION, e.g. train=P30D,test=P7D");
            }
            return new Spec(train, test, step == null ? test : step, anchored, warmUp == null ? train : warmUp);
        }

        private static Duration duration(String key, String value) {
            try {
                Duration d = Duration.parse(value.strip());
                if (d.isNegative() || d.isZero()) {
                    throw new IllegalArgumentException("--walk-forward " + key + " must be longer than zero, was " + value);
                }
                return d;
            } catch (DateTimeParseException e) {
                throw new IllegalArgumentException("--walk-forward " + key + "=" + value + " is not an ISO-8601 duration such as P3D or PT12H");
            }
        }
    }

    /** One window: the train span [trainFrom, trainTo) and the test span [testFrom, testTo) that follows it. */
    record Window(int number, Instant trainFrom, Instant trainTo, Instant testFrom, Instant testTo) {
    }

    /**
     * @param spec  the windows' shape
     * @param first the data's first open
     * @param end   the data's last close
     * @return the windows, in order: each test span starts where its train span ends; the last test span ends at the
     *         data's end at the latest
     * @throws IllegalArgumentException when the data is too short for one window
     */
    static List<Window> windows(Spec spec, Instant first, Instant end) {
        List<Window> out = new ArrayList<>();
        for (int k = 0;; k++) {
            Instant trainTo = first.plus(spec.train()).plus(spec.step().multipliedBy(k));
            Instant trainFrom = spec.anchored() ? first : trainTo.minus(spec.train());
            if (!trainTo.isBefore(end)) {
                break;
            }
            Instant testTo = trainTo.plus(spec.test());
            out.add(new Window(k + 1, trainFrom, trainTo, trainTo, testTo.isAfter(end) ? end : testTo));
        }
        if (out.isEmpty()) {
            throw new IllegalArgumentException("the data spans " + Duration.between(first, end) + " (" + first + " to " + end
                    + "): too short for a train span of " + spec.train() + " and a test span after it");
        }
        return out;
    }

    /** How runs are ranked on their train span. */
    enum Objective {
        SHARPE, SORTINO, CALMAR, TOTAL_RETURN, PROFIT_FACTOR;

        static Objective of(String name) {
            try {
                return valueOf(name.strip().toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("--objective must be sharpe, sortino, calmar, total_return or profit_factor, was '"
                        + name + "'");
            }
        }

        String label() {
            return name().toLowerCase(Locale.ROOT);
        }

        /**
         * @param report a run's JSON report
         * @return its score, higher is better: Sharpe and Sortino of the returns between consecutive equity marks (not
         *         annualized: the runs of one window span the same candles), Calmar as total return over max drawdown,
         *         total return, profit factor; a figure without a denominator (no variation, no drawdown, no loss) is
         *         +infinity when the run gained and 0 otherwise
         */
        double score(JsonNode report) {
            double total = report.get("total_return").asDouble();
            return switch (this) {
                case TOTAL_RETURN -> total;
                case CALMAR -> ratio(total, report.get("metrics").get("max_drawdown").asDouble(), total);
                case PROFIT_FACTOR -> {
                    JsonNode pf = report.get("metrics").get("profit_factor");
                    yield pf == null || pf.isNull() ? (total > 0 ? Double.POSITIVE_INFINITY : 0) : pf.asDouble();
                }
                case SHARPE, SORTINO -> {
                    List<Double> returns = new ArrayList<>();
                    double before = report.get("initial_cash").asDouble();
                    for (JsonNode p : report.get("equity_curve")) {
                        double e = p.get("equity").asDouble();
                        returns.add(e / before - 1);
                        before = e;
                    }
                    double mean = returns.stream().mapToDouble(Double::doubleValue).average().orElse(0);
                    double deviation = this == SHARPE
                            ? Math.sqrt(returns.stream().mapToDouble(r -> (r - mean) * (r - mean)).sum() / Math.max(1, returns.size() - 1))
                            : Math.sqrt(returns.stream().mapToDouble(r -> r < 0 ? r * r : 0).sum() / Math.max(1, returns.size()));
                    yield ratio(mean, deviation, total);
                }
            };
        }

        private static double ratio(double numerator, double denominator, double total) {
            return denominator > 0 ? numerator / denominator : total > 0 ? Double.POSITIVE_INFINITY : 0;
        }
    }

    /** A window's outcome: every train run's settings and score, the chosen one, and the test run. */
    record Outcome(Window window, List<Map<String, String>> combos, List<JsonNode> trainReports, List<Double> scores, int chosen,
            JsonNode testReport) {
        JsonNode chosenTrain() {
            return trainReports.get(chosen);
        }
    }

    static int run(Main.Options options, PrintStream out) throws Exception {
        Spec spec = Spec.parse(options.walkForward);
        Objective objective = Objective.of(options.objective == null ? "sharpe" : options.objective);
        // the candidates: every combination of the ranges, or --search N of them drawn with the seed (the same in every window)
        List<Map<String, String>> combos = options.search == null ? Compare.grid(options.compare)
                : Search.draw(Space.parse(options.compare), Integer.parseInt(options.search), options.seed == null ? 42 : Long.parseLong(options.seed));
        Path db = options.db.toAbsolutePath();
        Path root = db.resolve("walk-forward-next");
        RunFolder.deleteTree(root);
        Files.createDirectories(root);
        String[] span = span(options, root).split(" ");
        Instant first = Instant.parse(span[1]);
        Instant end = Instant.parse(span[2]);
        List<Window> windows = windows(spec, first, end);
        int total = windows.size() * (combos.size() + 1);
        if (total > MAX_RUNS) {
            throw new IllegalArgumentException("--walk-forward asks for " + total + " runs (" + windows.size() + " windows x ("
                    + combos.size() + " combinations + 1 test run)); at most " + MAX_RUNS);
        }
        int parallel = Math.min(total, java.lang.Runtime.getRuntime().availableProcessors());
        out.println("walk-forward over " + span[0] + " " + first + " .. " + end + ": " + windows.size() + " windows x "
                + combos.size() + " combinations, ranked by " + objective.label() + "; " + total + " runs, " + parallel
                + " at a time (one JVM each)");
        List<ChildRuns.Job> trainJobs = new ArrayList<>();
        for (Window w : windows) {
            for (int c = 0; c < combos.size(); c++) {
                trainJobs.add(new ChildRuns.Job("window " + w.number() + " train " + combos.get(c), combos.get(c),
                        span(w.trainFrom(), w.trainTo(), spec, first), root.resolve("window-" + w.number()).resolve("train-" + (c + 1))));
            }
        }
        List<JsonNode> trained = ChildRuns.run(options, trainJobs, parallel, out);
        List<Integer> chosen = new ArrayList<>();
        List<ChildRuns.Job> testJobs = new ArrayList<>();
        for (Window w : windows) {
            List<JsonNode> reports = trained.subList((w.number() - 1) * combos.size(), w.number() * combos.size());
            int best = best(reports, objective);
            chosen.add(best);
            testJobs.add(new ChildRuns.Job("window " + w.number() + " test " + combos.get(best), combos.get(best),
                    span(w.testFrom(), w.testTo(), spec, first), root.resolve("window-" + w.number()).resolve("test")));
        }
        List<JsonNode> tested = ChildRuns.run(options, testJobs, parallel, out);
        List<Outcome> outcomes = new ArrayList<>();
        for (Window w : windows) {
            List<JsonNode> reports = trained.subList((w.number() - 1) * combos.size(), w.number() * combos.size());
            outcomes.add(new Outcome(w, combos, List.copyOf(reports), reports.stream().map(objective::score).toList(),
                    chosen.get(w.number() - 1), tested.get(w.number() - 1)));
        }
        Map<String, Object> summary = summary(span[0], spec, objective, outcomes);
        Files.writeString(root.resolve("walk-forward.json"), JSON.writeValueAsString(summary), StandardCharsets.UTF_8);
        Files.writeString(root.resolve("walk-forward.html"), WalkForwardPage.html(summary), StandardCharsets.UTF_8);
        Path done = db.resolve("walk-forward");
        RunFolder.deleteTree(done);
        Files.move(root, done);
        out.println();
        out.print(WalkForwardPage.text(summary));
        out.println("Walk-forward report: " + done.resolve("walk-forward.html"));
        return 0;
    }

    /** @return the launcher options of a run trading [from, to), warmed up on the spec's warm-up before it */
    private static List<String> span(Instant from, Instant to, Spec spec, Instant first) {
        Instant warm = from.minus(spec.warmUp());
        return List.of("--warm-up-from", (warm.isBefore(first) ? first : warm).toString(), "--from", from.toString(), "--to", to.toString());
    }

    /** @return the index of the best report by the objective; ties go to the higher total return, then the first */
    static int best(List<JsonNode> reports, Objective objective) {
        int best = 0;
        for (int i = 1; i < reports.size(); i++) {
            int c = Double.compare(objective.score(reports.get(i)), objective.score(reports.get(best)));
            if (c > 0 || c == 0 && reports.get(i).get("total_return").asDouble() > reports.get(best).get("total_return").asDouble()) {
                best = i;
            }
        }
        return best;
    }

    /** @return the data's span, {@code MARKET FIRST_OPEN LAST_CLOSE CANDLES INTERVAL}, from a runtime's {@code trade:span} */
    static String span(Main.Options options, Path root) throws Exception {
        ByteArrayOutputStream text = new ByteArrayOutputStream();
        Path data = options.data != null ? options.data.toAbsolutePath() : Main.extractSample(root);
        String line = "trade:span " + (options.market == null ? "" : "--market " + Main.quote(options.market) + " ")
                + Main.quote(data.toString());
        Main.execute("backtest", root.resolve("span"), RunFolder.STAGING_PROFILE, line, new PrintStream(text, true, StandardCharsets.UTF_8),
                options.bundles);
        if (options.data == null) {
            options.data = data;
        }
        return text.toString(StandardCharsets.UTF_8).strip();
    }

    /** @return the walk-forward's figures: per window, the stitched out-of-sample equity, the efficiency */
    static Map<String, Object> summary(String market, Spec spec, Objective objective, List<Outcome> outcomes) {
        Map<String, Object> s = new LinkedHashMap<>();
        s.put("market", market);
        s.put("train", spec.train().toString());
        s.put("test", spec.test().toString());
        s.put("step", spec.step().toString());
        s.put("anchored", spec.anchored());
        s.put("warm_up", spec.warmUp().toString());
        s.put("objective", objective.label());
        List<Object> windows = new ArrayList<>();
        List<Object> stitched = new ArrayList<>();
        BigDecimal initial = new BigDecimal(outcomes.get(0).testReport().get("initial_cash").asText());
        BigDecimal base = initial;
        double inSampleAnnual = 0;
        double outOfSampleAnnual = 0;
        for (Outcome o : outcomes) {
            JsonNode is = o.chosenTrain();
            JsonNode oos = o.testReport();
            Map<String, Object> w = new LinkedHashMap<>();
            w.put("window", o.window().number());
            w.put("train_from", o.window().trainFrom().toString());
            w.put("train_to", o.window().trainTo().toString());
            w.put("test_from", o.window().testFrom().toString());
            w.put("test_to", o.window().testTo().toString());
            w.put("chosen", o.combos().get(o.chosen()));
            List<Object> candidates = new ArrayList<>();
            for (int c = 0; c < o.combos().size(); c++) {
                Map<String, Object> cand = new LinkedHashMap<>();
                cand.put("settings", o.combos().get(c));
                cand.put("score", finite(o.scores().get(c)));
                cand.put("total_return", o.trainReports().get(c).get("total_return").asText());
                candidates.add(cand);
            }
            w.put("candidates", candidates);
            w.put("in_sample", figures(is, objective));
            w.put("out_of_sample", figures(oos, objective));
            w.put("test_report", "window-" + o.window().number() + "/test/backtest-report.html");
            windows.add(w);
            inSampleAnnual += annualized(is);
            outOfSampleAnnual += annualized(oos);
            // stitch: each test run starts from the initial cash; its gains add to where the ones before ended
            BigDecimal offset = base.subtract(initial);
            for (JsonNode p : oos.get("equity_curve")) {
                Map<String, Object> point = new LinkedHashMap<>();
                point.put("time", p.get("time").asText());
                point.put("equity", new BigDecimal(p.get("equity").asText()).add(offset).toPlainString());
                stitched.add(point);
            }
            base = base.add(new BigDecimal(oos.get("final_equity").asText()).subtract(initial));
        }
        s.put("windows", windows);
        s.put("initial_cash", initial.toPlainString());
        s.put("stitched_final_equity", base.toPlainString());
        s.put("stitched_return", base.divide(initial, 10, RoundingMode.HALF_EVEN).subtract(BigDecimal.ONE).toPlainString());
        s.put("stitched_equity", stitched);
        double n = outcomes.size();
        s.put("in_sample_annualized_return", inSampleAnnual / n);
        s.put("out_of_sample_annualized_return", outOfSampleAnnual / n);
        // a ratio to an in-sample loss says nothing (two losses make a "good" positive ratio): none then
        s.put("walk_forward_efficiency", inSampleAnnual <= 0 ? null : outOfSampleAnnual / inSampleAnnual);
        return s;
    }

    private static Map<String, Object> figures(JsonNode report, Objective objective) {
        Map<String, Object> f = new LinkedHashMap<>();
        f.put("total_return", report.get("total_return").asText());
        f.put("annualized_return", annualized(report));
        f.put("max_drawdown", report.get("metrics").get("max_drawdown").asText());
        f.put("round_trips", report.get("round_trip_count").asInt());
        f.put("fees_paid", report.get("fees_paid").asText());
        f.put("final_equity", report.get("final_equity").asText());
        f.put(objective.label(), finite(objective.score(report)));
        f.put("candles", report.get("candles").asInt());
        return f;
    }

    /**
     * @return the run's total return scaled to a year, simply (not compounded: compounding a day's return over 365
     *         days says more about the exponent than the strategy): r x 365 days / span
     */
    static double annualized(JsonNode report) {
        double years = Duration.between(Instant.parse(report.get("first_open").asText()), Instant.parse(report.get("last_close").asText()))
                .toSeconds() / (365.0 * 86_400);
        return years <= 0 ? 0 : report.get("total_return").asDouble() / years;
    }

    private static Object finite(double value) {
        return Double.isFinite(value) ? value : value > 0 ? "Infinity" : "-Infinity";
    }
}
