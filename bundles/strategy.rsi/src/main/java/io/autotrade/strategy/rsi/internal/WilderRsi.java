package io.autotrade.strategy.rsi.internal;

import java.math.BigDecimal;
import java.math.MathContext;
import java.util.Optional;

/**
 * Wilder's Relative Strength Index over closes (J. Welles Wilder, "New Concepts in Technical Trading
 * Systems", 1978). With {@code n = period}: the first average gain and loss are the simple means of
 * the first {@code n} changes; after that {@code avg = (prev * (n - 1) + current) / n}.
 * {@code RSI = 100 - 100 / (1 + avgGain / avgLoss)}, and 100 when the average loss is 0.
 *
 * <p>Computed here rather than with ta4j because the seeding must be exactly the simple mean above;
 * whether ta4j's {@code RSIIndicator} seeds the same way has not been checked yet. Computed in
 * {@link MathContext#DECIMAL128}, so a result does not depend on floating-point rounding.
 */
final class WilderRsi {
    private static final MathContext MC = MathContext.DECIMAL128;
    private static final BigDecimal HUNDRED = BigDecimal.valueOf(100);

    private final int period;
    private final BigDecimal n;
    private BigDecimal previousClose;
    private int changes;
    private BigDecimal avgGain = BigDecimal.ZERO;
    private BigDecimal avgLoss = BigDecimal.ZERO;
    /** The same averages in floating point, for {@link Reading}'s estimate only. */
    private double avgGainEstimate;
    private double avgLossEstimate;

    /**
     * @param period number of changes averaged, &ge; 1
     * @throws IllegalArgumentException if the period is below 1
     */
    WilderRsi(int period) {
        if (period < 1) {
            throw new IllegalArgumentException("RSI period must be >= 1, was " + period);
        }
        this.period = period;
        this.n = BigDecimal.valueOf(period);
    }

    /**
     * Takes the next close. The RSI is worked out only when asked ({@link Reading}): a strategy that compares it with
     * its thresholds needs the exact value only near them.
     *
     * @param close the next close
     * @return the reading after this close, or empty while fewer than {@code period} changes are known
     */
    Optional<Reading> next(BigDecimal close) {
        if (previousClose == null) {
            previousClose = close;
            return Optional.empty();
        }
        BigDecimal change = close.subtract(previousClose);
        previousClose = close;
        BigDecimal gain = change.signum() > 0 ? change : BigDecimal.ZERO;
        BigDecimal loss = change.signum() < 0 ? change.negate() : BigDecimal.ZERO;
        double gainEstimate = gain.doubleValue();
        double lossEstimate = loss.doubleValue();
        changes++;
        if (changes < period) {
            avgGain = avgGain.add(gain);
            avgLoss = avgLoss.add(loss);
            avgGainEstimate += gainEstimate;
            avgLossEstimate += lossEstimate;
            return Optional.empty();
        }
        if (changes == period) {
            avgGain = avgGain.add(gain).divide(n, MC);
            avgLoss = avgLoss.add(loss).divide(n, MC);
            avgGainEstimate = (avgGainEstimate + gainEstimate) / period;
            avgLossEstimate = (avgLossEstimate + lossEstimate) / period;
        } else {
            BigDecimal keep = n.subtract(BigDecimal.ONE);
            avgGain = avgGain.multiply(keep).add(gain).divide(n, MC);
            avgLoss = avgLoss.multiply(keep).add(loss).divide(n, MC);
            avgGainEstimate = (avgGainEstimate * (period - 1) + gainEstimate) / period;
            avgLossEstimate = (avgLossEstimate * (period - 1) + lossEstimate) / period;
        }
        return Optional.of(new Reading(avgGain, avgLoss, avgGainEstimate, avgLossEstimate));
    }

    /**
     * One RSI: the exact value ({@link MathContext#DECIMAL128}, as documented above) is worked out on first use; a
     * comparison with a threshold uses a floating-point estimate of the same averages when it is decided by far
     * more than that estimate's error, and the exact value otherwise, so it always agrees with the exact value's.
     */
    static final class Reading {
        /** Far more than the estimate's error (about 1e-12 on the 0..100 scale), far less than any threshold's step. */
        private static final double MARGIN = 1e-6;
        private final BigDecimal avgGain;
        private final BigDecimal avgLoss;
        private final double estimate;
        private BigDecimal value;

        private Reading(BigDecimal avgGain, BigDecimal avgLoss, double gainEstimate, double lossEstimate) {
            this.avgGain = avgGain;
            this.avgLoss = avgLoss;
            this.estimate = avgLoss.signum() == 0 ? 100 : 100 * gainEstimate / (gainEstimate + lossEstimate);
        }

        /** @return the RSI, 0..100, exact in DECIMAL128 */
        BigDecimal value() {
            BigDecimal v = value;
            if (v == null) {
                if (avgLoss.signum() == 0) {
                    v = HUNDRED;
                } else {
                    BigDecimal rs = avgGain.divide(avgLoss, MC);
                    v = HUNDRED.subtract(HUNDRED.divide(BigDecimal.ONE.add(rs), MC));
                }
                value = v;
            }
            return v;
        }

        /**
         * @param threshold an RSI level, 0..100
         * @return the sign of {@code value().compareTo(threshold)}
         */
        int compareTo(BigDecimal threshold) {
            double t = threshold.doubleValue();
            if (estimate > t + MARGIN) {
                return 1;
            }
            if (estimate < t - MARGIN) {
                return -1;
            }
            return Integer.signum(value().compareTo(threshold));
        }
    }

    int period() {
        return period;
    }
}
