package io.autotrade.launcher;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code --check-lookahead} and {@code --check-warmup}: bias checks of a strategy's settings (and of each {@code --compare}
 * combination), after freqtrade's lookahead analysis.
 * <ul>
 *   <li>Look-ahead: the whole file is backtested; then, at up to {@code --check-points} of its signals spread over the run,
 *   the file is backtested again cut right after that signal's candle (no candle opening at or after the signal's time).
 *   A strategy that decides only on what it has seen signals the same up to there; each signal that appears, vanishes
 *   or changes is flagged: it used candles that had not happened yet.</li>
 *   <li>Warm-up: trading starts a quarter into the file, once with no warm-up and once warmed up on everything before;
 *   signals after the start that differ say the indicators depend on how much history they saw (give a longer warm-up,
 *   or prefer indicators that forget their start).</li>
 * </ul>
 * The exit code is 3 when a check flags something, 4 when one had no signal to compare (not a pass), 0 when all pass.
 */
final class BiasCheck {
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    /** The exit code when a check flags a bias. */
    static final int FLAGGED = 3;
    /** The exit code when a check had nothing to compare (no signal): not a pass. */
    static final int UNCHECKED = 4;

    private BiasCheck() {
    }

    /** A signal as the reports list it: time, side, reason. */
    record Signal(String time, String side, String reason) {
        static List<Signal> of(JsonNode report) {
            List<Signal> out = new ArrayList<>();
            for (JsonNode s : report.get("signals")) {
                out.add(new Signal(s.get("time").asText(), s.get("side").asText(), s.get("reason").asText()));
            }
            return out;
        }
    }

    /**
     * @param full      the whole run's signals
     * @param cut       the run cut at {@code at}: its signals
     * @param at        where the data was cut (the first open not replayed)
     * @return the first difference between the whole run's signals up to {@code at} and the cut run's, or null
     */
    static String difference(List<Signal> full, List<Signal> cut, Instant at) {
        List<Signal> upTo = full.stream().filter(s -> !Instant.parse(s.time()).isAfter(at)).toList();
        for (int i = 0; i < Math.max(upTo.size(), cut.size()); i++) {
            Signal a = i < upTo.size() ? upTo.get(i) : null;
            Signal b = i < cut.size() ? cut.get(i) : null;
            if (a == null || !a.equals(b)) {
                return "with the whole file: " + (a == null ? "no signal" : a.side() + " at " + a.time() + " (" + a.reason() + ")")
                        + "; cut at " + at + ": " + (b == null ? "no signal" : b.side() + " at " + b.time() + " (" + b.reason() + ")");
            }
        }
        return null;
    }

    /**
     * @param none the signals of the run without a warm-up
     * @param full the signals of the run warmed up on everything before
     * @return each place where they differ (the same signal: the same time and side; its reason quotes indicator values,
     *         which a warm-up shifts), in words
     */
    static List<String> warmUpDifferences(List<Signal> none, List<Signal> full) {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < Math.max(none.size(), full.size()); i++) {
            Signal a = i < none.size() ? none.get(i) : null;
            Signal b = i < full.size() ? full.get(i) : null;
            if (a == null || b == null || !a.time().equals(b.time()) || !a.side().equals(b.side())) {
                out.add("without warm-up: " + (a == null ? "no signal" : a.side() + " at " + a.time()) + "; warmed up: "
                        + (b == null ? "no signal" : b.side() + " at " + b.time()));
            }
        }
        return out;
    }

    /** @return the indexes of up to {@code n} of {@code size} signals, spread evenly, the last one included */
    static List<Integer> sample(int size, int n) {
        List<Integer> out = new ArrayList<>();
        for (int k = 1; k <= Math.min(n, size); k++) {
            int i = (int) Math.round((double) k * size / Math.min(n, size)) - 1;
            if (out.isEmpty() || out.get(out.size() - 1) != i) {
                out.add(i);
            }
        }
        return out;
    }

    static int run(Main.Options options, PrintStream out) throws Exception {
        List<Map<String, String>> combos = options.compare.isEmpty() ? List.of(Map.of()) : Compare.grid(options.compare);
        int points = options.checkPoints == null ? 10 : Integer.parseInt(options.checkPoints);
        Path db = options.db.toAbsolutePath();
        Path root = db.resolve("checks-next");
        RunFolder.deleteTree(root);
        Files.createDirectories(root);
        String[] span = WalkForward.span(options, root).split(" ");
        Instant first = Instant.parse(span[1]);
        Instant end = Instant.parse(span[2]);
        Instant start = first.plus(Duration.between(first, end).dividedBy(4));
        int parallel = java.lang.Runtime.getRuntime().availableProcessors();
        out.println("bias checks of " + options.strategy + " on " + span[0] + " " + first + " .. " + end + ", " + combos.size()
                + " setting(s): " + (options.checkLookahead ? "look-ahead at up to " + points + " signals each" : "")
                + (options.checkLookahead && options.checkWarmUp ? ", " : "")
                + (options.checkWarmUp ? "warm-up from " + start : "") + "; " + parallel + " at a time (one JVM each)");
        List<ChildRuns.Job> firstJobs = new ArrayList<>();
        for (int c = 0; c < combos.size(); c++) {
            Path dir = root.resolve("settings-" + (c + 1));
            if (options.checkLookahead) {
                firstJobs.add(new ChildRuns.Job("settings " + (c + 1) + " " + combos.get(c) + " whole file", combos.get(c), List.of(),
                        dir.resolve("whole")));
            }
            if (options.checkWarmUp) {
                firstJobs.add(new ChildRuns.Job("settings " + (c + 1) + " " + combos.get(c) + " no warm-up", combos.get(c),
                        List.of("--warm-up-from", start.toString(), "--from", start.toString()), dir.resolve("warm-up-none")));
                firstJobs.add(new ChildRuns.Job("settings " + (c + 1) + " " + combos.get(c) + " full warm-up", combos.get(c),
                        List.of("--from", start.toString()), dir.resolve("warm-up-full")));
            }
        }
        List<JsonNode> firstReports = ChildRuns.run(options, firstJobs, parallel, out);
        int per = (options.checkLookahead ? 1 : 0) + (options.checkWarmUp ? 2 : 0);
        List<ChildRuns.Job> cutJobs = new ArrayList<>();
        List<List<Instant>> cutsPerCombo = new ArrayList<>();
        for (int c = 0; c < combos.size(); c++) {
            List<Instant> cuts = new ArrayList<>();
            if (options.checkLookahead) {
                List<Signal> whole = Signal.of(firstReports.get(c * per));
                for (int i : sample(whole.size(), points)) {
                    Instant at = Instant.parse(whole.get(i).time());
                    if (!cuts.contains(at) && at.isAfter(first)) {
                        cuts.add(at);
                        cutJobs.add(new ChildRuns.Job("settings " + (c + 1) + " " + combos.get(c) + " cut at " + at, combos.get(c),
                                List.of("--to", at.toString()), root.resolve("settings-" + (c + 1)).resolve("cut-" + cuts.size())));
                    }
                }
            }
            cutsPerCombo.add(cuts);
        }
        List<JsonNode> cutReports = cutJobs.isEmpty() ? List.of() : ChildRuns.run(options, cutJobs, parallel, out);
        List<Object> results = new ArrayList<>();
        boolean flagged = false;
        boolean unchecked = false;
        int cutIndex = 0;
        StringBuilder text = new StringBuilder();
        for (int c = 0; c < combos.size(); c++) {
            Map<String, Object> r = new LinkedHashMap<>();
            r.put("settings", combos.get(c));
            String label = combos.get(c).isEmpty() ? options.strategy + " " + options.strategyConfig : options.strategy + " "
                    + combos.get(c);
            if (options.checkLookahead) {
                List<Signal> whole = Signal.of(firstReports.get(c * per));
                List<Object> changed = new ArrayList<>();
                for (Instant at : cutsPerCombo.get(c)) {
                    String diff = difference(whole, Signal.of(cutReports.get(cutIndex++)), at);
                    if (diff != null) {
                        changed.add(Map.of("cut_at", at.toString(), "difference", diff));
                    }
                }
                Map<String, Object> la = new LinkedHashMap<>();
                la.put("signals", whole.size());
                la.put("checked", cutsPerCombo.get(c).size());
                la.put("changed", changed);
                r.put("lookahead", la);
                flagged |= !changed.isEmpty();
                boolean nothing = cutsPerCombo.get(c).isEmpty();
                unchecked |= nothing;
                text.append(label).append(": look-ahead ").append(nothing
                        ? "NOT CHECKED: the whole run made no signal to check; give settings or data that trade"
                        : changed.isEmpty() ? "none: " + cutsPerCombo.get(c).size() + " of " + whole.size() + " signals checked, each the same with the later candles removed"
                        : "BIAS: " + changed.size() + " of " + cutsPerCombo.get(c).size() + " checked signals change when the later candles are removed;"
                                + " first: " + ((Map<?, ?>) changed.get(0)).get("difference")).append(System.lineSeparator());
            }
            if (options.checkWarmUp) {
                int base = c * per + (options.checkLookahead ? 1 : 0);
                List<Signal> none = Signal.of(firstReports.get(base));
                List<Signal> full = Signal.of(firstReports.get(base + 1));
                List<String> differences = warmUpDifferences(none, full);
                int differ = differences.size();
                String firstDiff = differences.isEmpty() ? null : differences.get(0);
                Map<String, Object> wu = new LinkedHashMap<>();
                wu.put("trading_from", start.toString());
                wu.put("signals_without_warm_up", none.size());
                wu.put("signals_warmed_up", full.size());
                wu.put("differing", differ);
                wu.put("first_difference", firstDiff);
                r.put("warm_up", wu);
                flagged |= differ > 0;
                boolean nothing = none.isEmpty() && full.isEmpty();
                unchecked |= nothing;
                text.append(label).append(": warm-up ").append(nothing
                        ? "NOT CHECKED: neither run made a signal from " + start + "; give settings or data that trade"
                        : differ == 0 ? "insensitive: the same " + full.size() + " signals from " + start + " with no warm-up and with everything before"
                        : "SENSITIVE: " + differ + " signal(s) differ from " + start + " between no warm-up (" + none.size()
                                + ") and a full one (" + full.size() + "); first: " + firstDiff).append(System.lineSeparator());
            }
            results.add(r);
        }
        Map<String, Object> summary = new LinkedHashMap<>();
        summary.put("market", span[0]);
        summary.put("strategy", options.strategy);
        summary.put("flagged", flagged);
        summary.put("unchecked", unchecked);
        summary.put("results", results);
        Files.writeString(root.resolve("checks.json"), JSON.writeValueAsString(summary), StandardCharsets.UTF_8);
        Path done = db.resolve("checks");
        RunFolder.deleteTree(done);
        Files.move(root, done);
        out.println();
        out.print(text);
        out.println("Bias checks: " + done.resolve("checks.json"));
        return flagged ? FLAGGED : unchecked ? UNCHECKED : 0;
    }
}
