package io.autotrade.api.strategy;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Optional;
import java.util.TreeMap;

/**
 * A strategy instance's protective exits, from its settings (keys {@value #STOP_LOSS}, {@value #TAKE_PROFIT},
 * {@value #TRAILING_STOP}, {@value #MAX_HOLDING}, {@value #ROI}; a blank or missing key is off). Fractions are of
 * the entry price: {@code stop.loss=0.02} exits 2% below it. The protection ({@code manager.protection}) reads
 * them from the instance's {@link Strategy#settings()} and guards its position with them.
 *
 * @param stopLoss     exit when the price falls to entry &times; (1 &minus; this); in (0, 1), or null
 * @param takeProfit   exit when the price rises to entry &times; (1 + this); &gt; 0, or null
 * @param trailingStop exit when the price falls this fraction below the highest price since entry; in (0, 1), or null
 * @param maxHolding   exit at market after holding this long; positive, or null
 * @param roi          freqtrade's minimal ROI table: after N minutes held (key), take profit at entry &times; (1 +
 *                     value); empty for none
 */
public record ExitRules(BigDecimal stopLoss, BigDecimal takeProfit, BigDecimal trailingStop, Duration maxHolding,
        NavigableMap<Long, BigDecimal> roi) {
    /** Setting key of {@link #stopLoss()}. */
    public static final String STOP_LOSS = "stop.loss";
    /** Setting key of {@link #takeProfit()}. */
    public static final String TAKE_PROFIT = "take.profit";
    /** Setting key of {@link #trailingStop()}. */
    public static final String TRAILING_STOP = "trailing.stop";
    /** Setting key of {@link #maxHolding()} (ISO-8601 duration, e.g. {@code PT12H}). */
    public static final String MAX_HOLDING = "max.holding";
    /** Setting key of {@link #roi()}: {@code MINUTES:FRACTION,...}, e.g. {@code 0:0.05,30:0.02,60:0}. */
    public static final String ROI = "roi";
    /** Every key, in the order settings show them. */
    public static final List<String> KEYS = List.of(STOP_LOSS, TAKE_PROFIT, TRAILING_STOP, MAX_HOLDING, ROI);
    /** No exit rule at all. */
    public static final ExitRules NONE = new ExitRules(null, null, null, null, new TreeMap<>());

    /** @throws IllegalArgumentException naming the key, for a value out of its range */
    public ExitRules {
        fraction(STOP_LOSS, stopLoss, true);
        fraction(TAKE_PROFIT, takeProfit, false);
        fraction(TRAILING_STOP, trailingStop, true);
        if (maxHolding != null && (maxHolding.isNegative() || maxHolding.isZero())) {
            throw new IllegalArgumentException(MAX_HOLDING + " must be a positive duration, was " + maxHolding);
        }
        roi = Collections.unmodifiableNavigableMap(new TreeMap<>(roi == null ? Map.of() : roi));
        roi.forEach((minutes, fraction) -> {
            if (minutes < 0 || fraction.signum() < 0) {
                throw new IllegalArgumentException(ROI + " entries are MINUTES:FRACTION with both >= 0, had "
                        + minutes + ":" + fraction.toPlainString());
            }
        });
    }

    private static void fraction(String key, BigDecimal value, boolean belowOne) {
        if (value != null && (value.signum() <= 0 || belowOne && value.compareTo(BigDecimal.ONE) >= 0)) {
            throw new IllegalArgumentException(key + " must be a fraction " + (belowOne ? "in (0, 1)" : "> 0")
                    + " of the entry price (0.02 = 2%), was " + value.toPlainString());
        }
    }

    /**
     * @param settings an instance's settings (other keys are ignored)
     * @return the exit rules they give
     * @throws IllegalArgumentException naming the key, for a malformed or out-of-range value
     */
    public static ExitRules parse(Map<String, String> settings) {
        return new ExitRules(decimal(settings, STOP_LOSS), decimal(settings, TAKE_PROFIT), decimal(settings, TRAILING_STOP),
                duration(settings.get(MAX_HOLDING)), roiTable(settings.get(ROI)));
    }

    private static BigDecimal decimal(Map<String, String> settings, String key) {
        String text = settings.get(key);
        if (text == null || text.isBlank()) {
            return null;
        }
        try {
            return new BigDecimal(text.strip());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(key + " must be a fraction such as 0.02, was '" + text + "'");
        }
    }

    private static Duration duration(String text) {
        if (text == null || text.isBlank()) {
            return null;
        }
        try {
            return Duration.parse(text.strip());
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException(MAX_HOLDING + " must be an ISO-8601 duration such as PT12H or P2D, was '"
                    + text + "'");
        }
    }

    private static NavigableMap<Long, BigDecimal> roiTable(String text) {
        NavigableMap<Long, BigDecimal> table = new TreeMap<>();
        if (text == null || text.isBlank()) {
            return table;
        }
        for (String entry : text.split(",")) {
            String[] parts = entry.strip().split(":");
            try {
                if (parts.length != 2 || table.put(Long.parseLong(parts[0].strip()), new BigDecimal(parts[1].strip())) != null) {
                    throw new IllegalArgumentException("a repeated or malformed entry");
                }
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(ROI + " must be MINUTES:FRACTION,... such as 0:0.05,30:0.02,60:0, was '"
                        + text + "' ('" + entry.strip() + "')");
            }
        }
        return table;
    }

    /** @return {@code true} if no rule is on */
    public boolean isEmpty() {
        return stopLoss == null && takeProfit == null && trailingStop == null && maxHolding == null && roi.isEmpty();
    }

    /**
     * @param held how long the position has been held
     * @return the ROI table's fraction for the longest entry at or below {@code held} (whole minutes), or empty
     */
    public Optional<BigDecimal> roiAfter(Duration held) {
        Map.Entry<Long, BigDecimal> e = roi.floorEntry(held.toMinutes());
        return Optional.ofNullable(e).map(Map.Entry::getValue);
    }

    /** @return the rules that are on, by key, as settings text (the form {@link #parse} reads) */
    public Map<String, String> settings() {
        Map<String, String> out = new LinkedHashMap<>();
        if (stopLoss != null) {
            out.put(STOP_LOSS, stopLoss.toPlainString());
        }
        if (takeProfit != null) {
            out.put(TAKE_PROFIT, takeProfit.toPlainString());
        }
        if (trailingStop != null) {
            out.put(TRAILING_STOP, trailingStop.toPlainString());
        }
        if (maxHolding != null) {
            out.put(MAX_HOLDING, maxHolding.toString());
        }
        if (!roi.isEmpty()) {
            StringBuilder b = new StringBuilder();
            roi.forEach((m, f) -> b.append(b.isEmpty() ? "" : ",").append(m).append(':').append(f.toPlainString()));
            out.put(ROI, b.toString());
        }
        return out;
    }
}
