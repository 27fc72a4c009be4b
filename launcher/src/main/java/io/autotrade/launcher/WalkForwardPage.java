package io.autotrade.launcher;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** The walk-forward's page (self-contained HTML, the stitched equity as inline SVG) and its console table. */
final class WalkForwardPage {
    private static final int WIDTH = 1000;
    private static final int HEIGHT = 280;

    private WalkForwardPage() {
    }

    @SuppressWarnings("unchecked")
    static String html(Map<String, Object> s) {
        List<Map<String, Object>> windows = (List<Map<String, Object>>) s.get("windows");
        StringBuilder h = new StringBuilder("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>Walk-forward "
                + esc(String.valueOf(s.get("market"))) + "</title><style>body{font-family:system-ui,sans-serif;margin:24px;max-width:1100px;color:#222}"
                + "table{border-collapse:collapse;font-size:13px}td,th{padding:3px 10px;border-bottom:1px solid #eee;text-align:right}"
                + "th{background:#f5f5f5}td.l,th.l{text-align:left}.pos{color:#1a7f37}.neg{color:#c62828}small{color:#666}</style></head><body>\n");
        h.append("<h1>Walk-forward optimisation of ").append(esc(String.valueOf(s.get("market")))).append("</h1>\n");
        h.append("<p>Each window optimises on its <b>train</b> span (").append(words(s.get("train")))
                .append(s.get("anchored").equals(Boolean.TRUE) ? ", anchored at the data's start" : ", rolling").append(") by <b>")
                .append(esc(String.valueOf(s.get("objective")))).append("</b>, then runs the winner on the <b>test</b> span that follows (")
                .append(words(s.get("test"))).append(", windows ").append(words(s.get("step")))
                .append(" apart). No test span overlaps its train span. Every run warms its strategy up on the ")
                .append(words(s.get("warm_up"))).append(" before its span without trading them. Returns are after fees.</p>\n");
        h.append("<table id=\"summary\">\n");
        row(h, "Out-of-sample equity, stitched", money(s.get("initial_cash")) + " &rarr; " + money(s.get("stitched_final_equity")), null);
        row(h, "Out-of-sample return, stitched", percent(s.get("stitched_return")), s.get("stitched_return"));
        row(h, "In-sample return, annualized (mean of the winners)", percent(s.get("in_sample_annualized_return")),
                s.get("in_sample_annualized_return"));
        row(h, "Out-of-sample return, annualized (mean)", percent(s.get("out_of_sample_annualized_return")),
                s.get("out_of_sample_annualized_return"));
        Object wfe = s.get("walk_forward_efficiency");
        row(h, "Walk-forward efficiency (out-of-sample / in-sample)", efficiency(wfe), wfe);
        h.append("</table>\n<p><small>Annualized simply: the return &times; 365 days / the span. An efficiency near 1 says the"
                + " out-of-sample runs kept what the optimisation found; near 0 or below, that it was fitted to noise.</small></p>\n");

        h.append("<h2>Out-of-sample equity, stitched</h2>\n<figure id=\"stitched\">").append(svg((List<Map<String, Object>>) s.get("stitched_equity")))
                .append("<figcaption>The test runs one after another: each starts from the initial cash, and its gain or loss adds to"
                        + " where the ones before it ended.</figcaption></figure>\n");

        h.append("<h2>Windows</h2>\n<table id=\"windows\"><tr><th>#</th><th class=\"l\">train (UTC)</th><th class=\"l\">test (UTC)</th>"
                + "<th class=\"l\">chosen settings</th><th>in-sample ").append(esc(String.valueOf(s.get("objective"))))
                .append(" <small>(per candle)</small></th><th>in-sample return</th><th>out-of-sample return</th><th>out-of-sample max drawdown</th>"
                        + "<th>round trips</th><th class=\"l\">test report</th></tr>\n");
        for (Map<String, Object> w : windows) {
            Map<String, Object> is = (Map<String, Object>) w.get("in_sample");
            Map<String, Object> oos = (Map<String, Object>) w.get("out_of_sample");
            h.append("<tr data-window=\"").append(w.get("window")).append("\"><td>").append(w.get("window")).append("</td><td class=\"l\">")
                    .append(span(w.get("train_from"), w.get("train_to"))).append("</td><td class=\"l\">")
                    .append(span(w.get("test_from"), w.get("test_to"))).append("</td><td class=\"l\">").append(esc(String.valueOf(w.get("chosen"))))
                    .append("</td><td>").append(number(is.get(String.valueOf(s.get("objective"))))).append("</td>")
                    .append(cell(is.get("total_return"))).append(cell(oos.get("total_return")))
                    .append("<td>").append(percent(oos.get("max_drawdown"))).append("</td><td>").append(oos.get("round_trips"))
                    .append("</td><td class=\"l\"><a href=\"").append(esc(String.valueOf(w.get("test_report")))).append("\">window ")
                    .append(w.get("window")).append("</a></td></tr>\n");
        }
        h.append("</table>\n<h2>Every candidate per window</h2>\n");
        for (Map<String, Object> w : windows) {
            h.append("<details><summary>window ").append(w.get("window")).append(": ").append(span(w.get("train_from"), w.get("train_to")))
                    .append("</summary><table><tr><th class=\"l\">settings</th><th>").append(esc(String.valueOf(s.get("objective"))))
                    .append("</th><th>return</th></tr>\n");
            for (Map<String, Object> c : (List<Map<String, Object>>) w.get("candidates")) {
                boolean chosen = c.get("settings").equals(w.get("chosen"));
                h.append("<tr><td class=\"l\">").append(chosen ? "<b>" : "").append(esc(String.valueOf(c.get("settings"))))
                        .append(chosen ? "</b> (chosen)" : "").append("</td><td>").append(number(c.get("score"))).append("</td>")
                        .append(cell(c.get("total_return"))).append("</tr>\n");
            }
            h.append("</table></details>\n");
        }
        return h.append("</body></html>\n").toString();
    }

    @SuppressWarnings("unchecked")
    static String text(Map<String, Object> s) {
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[] {"window", "train (UTC)", "test (UTC)", "chosen", "IS " + s.get("objective"), "IS return", "OOS return",
            "OOS max dd", "round trips"});
        for (Map<String, Object> w : (List<Map<String, Object>>) s.get("windows")) {
            Map<String, Object> is = (Map<String, Object>) w.get("in_sample");
            Map<String, Object> oos = (Map<String, Object>) w.get("out_of_sample");
            rows.add(new String[] {String.valueOf(w.get("window")), w.get("train_from") + " .. " + w.get("train_to"),
                w.get("test_from") + " .. " + w.get("test_to"), String.valueOf(w.get("chosen")),
                number(is.get(String.valueOf(s.get("objective")))).replace("&infin;", "inf"), percent(is.get("total_return")),
                percent(oos.get("total_return")),
                percent(oos.get("max_drawdown")), String.valueOf(oos.get("round_trips"))});
        }
        StringBuilder out = new StringBuilder(TextTable.render(rows));
        Object wfe = s.get("walk_forward_efficiency");
        out.append(System.lineSeparator()).append("out-of-sample, stitched: ").append(money(s.get("initial_cash"))).append(" -> ")
                .append(money(s.get("stitched_final_equity"))).append(" (").append(percent(s.get("stitched_return")))
                .append("); walk-forward efficiency ").append(efficiency(wfe))
                .append(" (out-of-sample / in-sample annualized return)").append(System.lineSeparator());
        return out.toString();
    }

    /** @return the stitched equity as an SVG polyline with its first and last value and time labelled */
    static String svg(List<Map<String, Object>> points) {
        if (points.isEmpty()) {
            return "<p>No out-of-sample equity.</p>";
        }
        double[] x = new double[points.size()];
        double[] y = new double[points.size()];
        double minY = Double.MAX_VALUE;
        double maxY = -Double.MAX_VALUE;
        for (int i = 0; i < points.size(); i++) {
            x[i] = Instant.parse(String.valueOf(points.get(i).get("time"))).toEpochMilli();
            y[i] = Double.parseDouble(String.valueOf(points.get(i).get("equity")));
            minY = Math.min(minY, y[i]);
            maxY = Math.max(maxY, y[i]);
        }
        double spanX = Math.max(1, x[x.length - 1] - x[0]);
        double spanY = maxY - minY == 0 ? 1 : maxY - minY;
        StringBuilder line = new StringBuilder();
        for (int i = 0; i < x.length; i++) {
            line.append(String.format(Locale.ROOT, "%.1f,%.1f ", 70 + (x[i] - x[0]) / spanX * (WIDTH - 90),
                    20 + (maxY - y[i]) / spanY * (HEIGHT - 50)));
        }
        return String.format(Locale.ROOT, "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" viewBox=\"0 0 %d %d\">"
                + "<rect x=\"70\" y=\"20\" width=\"%d\" height=\"%d\" fill=\"none\" stroke=\"#ccc\"/>"
                + "<polyline fill=\"none\" stroke=\"#6f42c1\" stroke-width=\"1.5\" points=\"%s\"/>"
                + "<text x=\"66\" y=\"24\" font-size=\"11\" text-anchor=\"end\">%s</text>"
                + "<text x=\"66\" y=\"%d\" font-size=\"11\" text-anchor=\"end\">%s</text>"
                + "<text x=\"70\" y=\"%d\" font-size=\"11\">%s</text><text x=\"%d\" y=\"%d\" font-size=\"11\" text-anchor=\"end\">%s</text></svg>",
                WIDTH, HEIGHT, WIDTH, HEIGHT, WIDTH - 90, HEIGHT - 50, line.toString().strip(), short0(maxY), HEIGHT - 30, short0(minY),
                HEIGHT - 10, esc(String.valueOf(points.get(0).get("time"))), WIDTH - 20, HEIGHT - 10,
                esc(String.valueOf(points.get(points.size() - 1).get("time"))));
    }

    /** @return the efficiency with two decimals, or why there is none */
    static String efficiency(Object wfe) {
        return wfe == null ? "n/a (the in-sample return is not above zero: nothing to keep)" : String.format(Locale.ROOT, "%.2f", (Double) wfe);
    }

    /** @return an ISO-8601 duration in words: {@code PT72H} is {@code 3 days}, {@code PT90M} is {@code 90 minutes} */
    static String words(Object iso) {
        java.time.Duration d = java.time.Duration.parse(String.valueOf(iso));
        if (d.toSeconds() % 86_400 == 0) {
            return d.toDays() + (d.toDays() == 1 ? " day" : " days");
        }
        if (d.toSeconds() % 3_600 == 0) {
            return d.toHours() + (d.toHours() == 1 ? " hour" : " hours");
        }
        return d.toMinutes() + " minutes";
    }

    private static String short0(double v) {
        return String.format(Locale.ROOT, "%,.0f", v);
    }

    private static void row(StringBuilder h, String label, String shown, Object exact) {
        h.append("<tr><th class=\"l\">").append(label).append("</th><td").append(exact == null ? "" : " data-value=\"" + exact + "\"")
                .append(">").append(shown).append("</td></tr>\n");
    }

    private static String cell(Object fraction) {
        BigDecimal v = new BigDecimal(String.valueOf(fraction));
        return "<td class=\"" + (v.signum() >= 0 ? "pos" : "neg") + "\" data-value=\"" + fraction + "\">" + percent(fraction) + "</td>";
    }

    private static String span(Object from, Object to) {
        return esc(from + " .. " + to);
    }

    static String percent(Object fraction) {
        if (fraction == null) {
            return "n/a";
        }
        return new BigDecimal(String.valueOf(fraction)).movePointRight(2).setScale(2, RoundingMode.HALF_EVEN).toPlainString() + " %";
    }

    private static String number(Object value) {
        if (value == null) {
            return "n/a";
        }
        if (value instanceof String text) {
            return text.equals("Infinity") ? "&infin;" : text.equals("-Infinity") ? "-&infin;" : esc(text);
        }
        return String.format(Locale.ROOT, "%.4f", ((Number) value).doubleValue());
    }

    private static String money(Object amount) {
        return String.format(Locale.ROOT, "%,.2f", new BigDecimal(String.valueOf(amount)));
    }

    private static String esc(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
