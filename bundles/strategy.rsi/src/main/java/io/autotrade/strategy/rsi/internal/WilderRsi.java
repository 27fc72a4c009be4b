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
     * @param close the next close
     * @return the RSI (0..100) after this close, or empty while fewer than {@code period} changes are known
     */
    Optional<BigDecimal> add(BigDecimal close) {
        if (previousClose == null) {
            previousClose = close;
            return Optional.empty();
        }
        BigDecimal change = close.subtract(previousClose);
        previousClose = close;
        BigDecimal gain = change.signum() > 0 ? change : BigDecimal.ZERO;
        BigDecimal loss = change.signum() < 0 ? change.negate() : BigDecimal.ZERO;
        changes++;
        if (changes < period) {
            avgGain = avgGain.add(gain);
            avgLoss = avgLoss.add(loss);
            return Optional.empty();
        }
        if (changes == period) {
            avgGain = avgGain.add(gain).divide(n, MC);
            avgLoss = avgLoss.add(loss).divide(n, MC);
        } else {
            BigDecimal keep = n.subtract(BigDecimal.ONE);
            avgGain = avgGain.multiply(keep).add(gain).divide(n, MC);
            avgLoss = avgLoss.multiply(keep).add(loss).divide(n, MC);
        }
        if (avgLoss.signum() == 0) {
            return Optional.of(HUNDRED);
        }
        BigDecimal rs = avgGain.divide(avgLoss, MC);
        return Optional.of(HUNDRED.subtract(HUNDRED.divide(BigDecimal.ONE.add(rs), MC)));
    }

    int period() {
        return period;
    }
}
