package io.autotrade.launcher;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.OutputStream;
import java.io.PrintStream;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * {@code --compare}: backtests every combination of a small grid of strategy settings on the same
 * data, each in its own folder with its own JSON and HTML report, and ranks them by total return.
 */
final class Compare {
    static final int MAX_RUNS = 50;
    /** Earlier comparisons kept in {@code DIR/backups/} when a new one replaces {@code DIR/compare/}. */
    static final int KEPT_COMPARISONS = 2;
    private static final ObjectMapper JSON = new ObjectMapper();

    private Compare() {
    }

    /** One finished run. */
    record Run(int number, Map<String, String> settings, JsonNode report, String html, Double score) {
        Run(int number, Map<String, String> settings, JsonNode report, String html) {
            this(number, settings, report, html, null);
        }

        BigDecimal totalReturn() {
            return new BigDecimal(report.get("total_return").asText());
        }
    }

    /**
     * @param grids {@code key=v1,v2,...} or {@code key=FROM..TO[:STEP]} entries ({@link Space})
     * @return every combination, the first key varying slowest
     * @throws IllegalArgumentException if an entry is malformed or the grid has more than {@value #MAX_RUNS} runs
     */
    static List<Map<String, String>> grid(List<String> grids) {
        Space space = Space.parse(grids);
        if (space.size() > MAX_RUNS) {
            throw new IllegalArgumentException("--compare asks for " + space.size() + " runs; at most " + MAX_RUNS
                    + " (--search N draws N of them)");
        }
        return space.grid();
    }

    static int run(Main.Options options, PrintStream out) throws Exception {
        List<Map<String, String>> combos = grid(options.compare);
        Path db = options.db.toAbsolutePath();
        // the runs go to compare-next/ and replace compare/ only when all of them succeeded
        Path root = db.resolve("compare-next");
        boolean created = !Files.exists(db);
        RunFolder.deleteTree(root);
        PrintStream discard = new PrintStream(OutputStream.nullOutputStream(), true, StandardCharsets.UTF_8);
        Path report = options.report;
        Path html = options.html;
        options.report = null;
        options.html = null;
        List<Run> runs = new ArrayList<>();
        int parallel = Math.min(combos.size(), java.lang.Runtime.getRuntime().availableProcessors());
        try {
            if (parallel > 1) {
                out.println(combos.size() + " runs, " + parallel + " at a time (one JVM each)");
                runs.addAll(forked(options, combos, root, parallel, out));
            }
            for (int i = 0; parallel <= 1 && i < combos.size(); i++) {
                Map<String, String> settings = combos.get(i);
                List<String> config = new ArrayList<>(options.strategyConfig);
                settings.forEach((k, v) -> config.add(k + "=" + v));
                out.println("run " + (i + 1) + "/" + combos.size() + ": " + settings);
                Path runDb = root.resolve("run-" + (i + 1));
                Path[] files = Main.backtest(options, runDb, config, discard);
                runs.add(new Run(i + 1, settings, JSON.readTree(files[0].toFile()),
                        root.relativize(files[1]).toString().replace('\\', '/')));
            }
        } catch (Exception | Error e) {
            RunFolder.deleteTree(created ? db : root);
            throw e;
        } finally {
            options.report = report;
            options.html = html;
        }
        runs.sort(Comparator.comparing(Run::totalReturn).reversed());
        Files.writeString(root.resolve("compare.html"), html(runs), StandardCharsets.UTF_8);
        Path done = db.resolve("compare");
        if (Files.exists(done)) {
            Path backups = db.resolve("backups");
            Files.createDirectories(backups);
            Files.move(done, backups.resolve("compare-" + LocalDateTime.now(java.time.ZoneOffset.UTC)
                    .format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss-SSS"))));
            RunFolder.prune(backups, "compare-*", KEPT_COMPARISONS);
        }
        Files.move(root, done);
        out.println();
        out.print(table(runs));
        out.println();
        out.println("Ranked comparison: " + done.resolve("compare.html"));
        return 0;
    }

    /**
     * Runs the combinations in child JVMs, {@code parallel} at a time ({@link ChildRuns}), each on its own folder
     * {@code run-N}.
     *
     * @return the runs in combination order
     * @throws IllegalStateException with the failed run's error lines, if one fails (the others are stopped)
     */
    private static List<Run> forked(Main.Options options, List<Map<String, String>> combos, Path root, int parallel,
            PrintStream out) throws Exception {
        Files.createDirectories(root);
        List<ChildRuns.Job> jobs = new ArrayList<>();
        for (int i = 0; i < combos.size(); i++) {
            jobs.add(new ChildRuns.Job("run " + (i + 1) + " " + combos.get(i), combos.get(i), List.of(), root.resolve("run-" + (i + 1))));
        }
        List<JsonNode> reports = ChildRuns.run(options, jobs, parallel, out);
        List<Run> runs = new ArrayList<>();
        for (int i = 0; i < combos.size(); i++) {
            runs.add(new Run(i + 1, combos.get(i), reports.get(i), "run-" + (i + 1) + "/backtest-report.html"));
        }
        return runs;
    }

    private static String[] row(int rank, Run r) {
        JsonNode m = r.report().get("metrics");
        return new String[] {String.valueOf(rank), "run-" + r.number(), r.settings().toString(),
            r.score() == null ? "" : Double.isInfinite(r.score()) ? (r.score() > 0 ? "inf" : "-inf") : String.format(java.util.Locale.ROOT, "%.4f", r.score()),
            percent(r.report().get("total_return")), percent(m.get("max_drawdown")), number(m.get("sharpe")),
            String.valueOf(m.get("closed_trades").asInt()), percent(m.get("win_rate")),
            money(r.report().get("fees_paid")), money(r.report().get("final_equity"))};
    }

    private static final String[] HEADER = {"rank", "run", "settings", "score", "total return", "max drawdown", "sharpe",
        "round trips", "win rate", "fees", "final equity"};

    /** @return the rows without the score column when no run has a score (a plain comparison) */
    private static List<String[]> drop(List<String[]> rows, boolean scored) {
        if (scored) {
            return rows;
        }
        List<String[]> out = new ArrayList<>();
        for (String[] r : rows) {
            String[] t = new String[r.length - 1];
            System.arraycopy(r, 0, t, 0, 3);
            System.arraycopy(r, 4, t, 3, r.length - 4);
            out.add(t);
        }
        return out;
    }

    static String table(List<Run> runs) {
        List<String[]> all = new ArrayList<>();
        all.add(HEADER);
        for (int i = 0; i < runs.size(); i++) {
            all.add(row(i + 1, runs.get(i)));
        }
        return TextTable.render(drop(all, runs.stream().anyMatch(r -> r.score() != null)));
    }

    static String html(List<Run> runs) {
        return html(runs, "Backtest comparison, ranked by total return");
    }

    /** @return the ranking page, under the title */
    static String html(List<Run> runs, String title) {
        StringBuilder h = new StringBuilder("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
                + "<title>" + escape(title) + "</title><style>body{font-family:system-ui,sans-serif;margin:24px}"
                + "table{border-collapse:collapse;font-size:13px}td,th{padding:3px 10px;border-bottom:1px solid #eee;"
                + "text-align:right}th{background:#f5f5f5}td:nth-child(3){text-align:left}</style></head><body>\n"
                + "<h1>" + escape(title) + "</h1>\n<table id=\"ranking\"><tr>");
        List<String[]> all = new ArrayList<>();
        all.add(HEADER);
        for (int i = 0; i < runs.size(); i++) {
            all.add(row(i + 1, runs.get(i)));
        }
        List<String[]> rows = drop(all, runs.stream().anyMatch(r -> r.score() != null));
        for (String head : rows.get(0)) {
            h.append("<th>").append(head).append("</th>");
        }
        h.append("</tr>\n");
        for (int i = 0; i < runs.size(); i++) {
            String[] cells = rows.get(i + 1);
            h.append("<tr>");
            for (int c = 0; c < cells.length; c++) {
                String text = escape(cells[c]);
                h.append("<td>").append(c == 1 ? "<a href=\"" + escape(runs.get(i).html()) + "\">" + text + "</a>" : text)
                        .append("</td>");
            }
            h.append("</tr>\n");
        }
        return h.append("</table>\n</body></html>\n").toString();
    }

    private static String escape(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }

    private static String percent(JsonNode value) {
        return value == null || value.isNull() ? "n/a"
                : new BigDecimal(value.asText()).movePointRight(2).setScale(2, RoundingMode.HALF_EVEN) + " %";
    }

    private static String number(JsonNode value) {
        return value == null || value.isNull() ? "n/a" : new BigDecimal(value.asText()).setScale(2, RoundingMode.HALF_EVEN).toString();
    }

    private static String money(JsonNode value) {
        return new BigDecimal(value.asText()).setScale(2, RoundingMode.HALF_EVEN).toPlainString();
    }
}
