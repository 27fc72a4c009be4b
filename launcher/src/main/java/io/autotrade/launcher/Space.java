package io.autotrade.launcher;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The settings a comparison or a search ranges over: per key its values, from {@code key=v1,v2,...} or a range
 * {@code key=FROM..TO[:STEP]} (inclusive, step 1 unless given; decimals step exactly, e.g. {@code stop.loss=0.01..0.05:0.01}).
 *
 * @param keys   the keys, in the order given
 * @param values each key's values, in order
 */
record Space(List<String> keys, List<List<String>> values) {
    /** Most values one range may have. */
    static final int MAX_VALUES = 10_000;

    /**
     * @param entries {@code key=...} entries, as given to {@code --compare}
     * @return the space
     * @throws IllegalArgumentException naming the entry that is malformed
     */
    static Space parse(List<String> entries) {
        Map<String, List<String>> dims = new LinkedHashMap<>();
        for (String entry : entries) {
            int eq = entry.indexOf('=');
            String key = entry.substring(0, eq).strip();
            String spec = entry.substring(eq + 1).strip();
            if (dims.containsKey(key)) {
                throw new IllegalArgumentException("--compare names " + key + " twice");
            }
            dims.put(key, spec.contains("..") ? range(entry, spec) : list(entry, spec));
        }
        return new Space(List.copyOf(dims.keySet()), List.copyOf(dims.values()));
    }

    private static List<String> list(String entry, String spec) {
        List<String> out = new ArrayList<>();
        for (String v : spec.split(",")) {
            if (v.isBlank()) {
                throw new IllegalArgumentException("--compare " + entry + " has an empty value");
            }
            out.add(v.strip());
        }
        return out;
    }

    private static List<String> range(String entry, String spec) {
        String[] bounds = spec.split("\\.\\.", 2);
        String[] toAndStep = bounds[1].split(":", 2);
        BigDecimal from;
        BigDecimal to;
        BigDecimal step;
        try {
            from = new BigDecimal(bounds[0].strip());
            to = new BigDecimal(toAndStep[0].strip());
            step = toAndStep.length == 2 ? new BigDecimal(toAndStep[1].strip()) : BigDecimal.ONE;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--compare " + entry + ": a range is FROM..TO[:STEP] with numbers, e.g. period=5..30 or"
                    + " stop.loss=0.01..0.05:0.01");
        }
        if (step.signum() <= 0 || to.compareTo(from) < 0) {
            throw new IllegalArgumentException("--compare " + entry + ": the range must go up by a step above zero");
        }
        List<String> out = new ArrayList<>();
        for (BigDecimal v = from; v.compareTo(to) <= 0; v = v.add(step)) {
            if (out.size() == MAX_VALUES) {
                throw new IllegalArgumentException("--compare " + entry + " has more than " + MAX_VALUES + " values");
            }
            out.add(v.stripTrailingZeros().toPlainString());
        }
        return out;
    }

    /** @return how many combinations the space holds */
    long size() {
        long n = 1;
        for (List<String> v : values) {
            n = Math.multiplyExact(n, v.size());
        }
        return n;
    }

    /** @return the combination of the values at these indexes, one per key */
    Map<String, String> at(int[] indexes) {
        Map<String, String> combo = new LinkedHashMap<>();
        for (int k = 0; k < keys.size(); k++) {
            combo.put(keys.get(k), values.get(k).get(indexes[k]));
        }
        return combo;
    }

    /** @return every combination, the first key varying slowest */
    List<Map<String, String>> grid() {
        List<Map<String, String>> combos = new ArrayList<>(List.of(new LinkedHashMap<>()));
        for (int k = 0; k < keys.size(); k++) {
            List<Map<String, String>> next = new ArrayList<>();
            for (Map<String, String> combo : combos) {
                for (String value : values.get(k)) {
                    Map<String, String> extended = new LinkedHashMap<>(combo);
                    extended.put(keys.get(k), value);
                    next.add(extended);
                }
            }
            combos = next;
        }
        return combos;
    }
}
