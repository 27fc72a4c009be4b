package io.autotrade.backtest.internal;

import io.autotrade.api.backtest.BacktestReport;
import java.math.BigDecimal;
import java.math.RoundingMode;

/**
 * Tracks the largest peak-to-trough fall of equity, as a fraction of the peak, over equity values
 * marked at each candle close. Ratios are rounded half-even to {@link BacktestReport#RATIO_SCALE} places.
 */
final class EquityCurve {
    private BigDecimal peak;
    private BigDecimal maxDrawdown = BigDecimal.ZERO.setScale(BacktestReport.RATIO_SCALE);

    void mark(BigDecimal equity) {
        if (peak == null || equity.compareTo(peak) > 0) {
            peak = equity;
            return;
        }
        if (peak.signum() > 0) {
            BigDecimal drawdown = peak.subtract(equity).divide(peak, BacktestReport.RATIO_SCALE, RoundingMode.HALF_EVEN);
            if (drawdown.compareTo(maxDrawdown) > 0) {
                maxDrawdown = drawdown;
            }
        }
    }

    BigDecimal maxDrawdown() {
        return maxDrawdown;
    }
}
