package io.autotrade.strategy.macross.internal;

import java.math.BigDecimal;
import java.math.MathContext;
import java.util.ArrayDeque;
import java.util.Optional;

/**
 * A moving average of closes over {@code period} candles, in {@link MathContext#DECIMAL128} (no
 * floating-point rounding):
 * <ul>
 *   <li>{@code SMA}: the mean of the last {@code period} closes;</li>
 *   <li>{@code EMA}: seeded with the SMA of the first {@code period} closes, then
 *       {@code ema = prev + k * (close - prev)} with {@code k = 2 / (period + 1)} (the usual definition,
 *       e.g. StockCharts ChartSchool, "Moving Averages - Simple and Exponential").</li>
 * </ul>
 * No value until {@code period} closes have been added. Computed here, like the RSI, so the seeding is
 * exactly the one documented; ta4j's {@code EMAIndicator} seeds with the first close instead.
 */
final class MovingAverage {
    private static final MathContext MC = MathContext.DECIMAL128;

    /** The kind of average. */
    enum Type {
        /** Simple: the plain mean of the window. */
        SMA,
        /** Exponential, SMA-seeded. */
        EMA
    }

    private final Type type;
    private final int period;
    private final BigDecimal n;
    private final BigDecimal k;
    private final ArrayDeque<BigDecimal> window = new ArrayDeque<>();
    private BigDecimal sum = BigDecimal.ZERO;
    private BigDecimal ema;

    /**
     * @param type   SMA or EMA
     * @param period candles averaged, &ge; 1
     * @throws IllegalArgumentException if the period is below 1
     */
    MovingAverage(Type type, int period) {
        if (period < 1) {
            throw new IllegalArgumentException(type + " period must be >= 1, was " + period);
        }
        this.type = type;
        this.period = period;
        this.n = BigDecimal.valueOf(period);
        this.k = BigDecimal.valueOf(2).divide(BigDecimal.valueOf(period + 1L), MC);
    }

    /**
     * @param close the next close, quote currency
     * @return the average including it, once {@code period} closes were added
     */
    Optional<BigDecimal> add(BigDecimal close) {
        if (type == Type.EMA && ema != null) {
            ema = ema.add(k.multiply(close.subtract(ema, MC), MC), MC);
            return Optional.of(ema);
        }
        window.addLast(close);
        sum = sum.add(close, MC);
        if (window.size() > period) {
            sum = sum.subtract(window.removeFirst(), MC);
        }
        if (window.size() < period) {
            return Optional.empty();
        }
        BigDecimal mean = sum.divide(n, MC);
        if (type == Type.EMA) {
            ema = mean;
            window.clear();
        }
        return Optional.of(mean);
    }

    /** @return e.g. {@code SMA(10)} */
    @Override
    public String toString() {
        return type + "(" + period + ")";
    }
}
