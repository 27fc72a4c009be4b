package io.autotrade.web.api.internal;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Writes the Prometheus text exposition format, version 0.0.4 (Prometheus docs, "Exposition formats"): per metric
 * family one {@code # HELP} and one {@code # TYPE} line, then its samples, label values escaped.
 */
final class Prometheus {
    private final StringBuilder text = new StringBuilder();
    private final Map<String, Boolean> declared = new LinkedHashMap<>();

    /** Content type of the format. */
    static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

    /**
     * Adds one sample, declaring its family the first time.
     *
     * @param name   metric name, e.g. {@code autotrade_bus_published_total}
     * @param type   {@code counter}, {@code gauge} or {@code summary}
     * @param help   what it measures, with its unit
     * @param value  the value
     * @param labels label name, value pairs
     * @return this
     */
    Prometheus sample(String name, String type, String help, double value, String... labels) {
        String family = type.equals("summary") ? name.replaceFirst("_(sum|count)$", "") : name;
        if (declared.putIfAbsent(family, Boolean.TRUE) == null) {
            text.append("# HELP ").append(family).append(' ').append(help.replace("\\", "\\\\").replace("\n", "\\n")).append('\n');
            text.append("# TYPE ").append(family).append(' ').append(type).append('\n');
        }
        text.append(name);
        if (labels.length > 0) {
            text.append('{');
            for (int i = 0; i < labels.length; i += 2) {
                if (i > 0) {
                    text.append(',');
                }
                text.append(labels[i]).append("=\"").append(escape(labels[i + 1])).append('"');
            }
            text.append('}');
        }
        text.append(' ').append(format(value)).append('\n');
        return this;
    }

    private static String escape(String value) {
        return value.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n");
    }

    private static String format(double value) {
        if (Double.isNaN(value)) {
            return "NaN";
        }
        if (Double.isInfinite(value)) {
            return value > 0 ? "+Inf" : "-Inf";
        }
        return value == Math.rint(value) && Math.abs(value) < 1e15 ? Long.toString((long) value) : Double.toString(value);
    }

    @Override
    public String toString() {
        return text.toString();
    }
}
