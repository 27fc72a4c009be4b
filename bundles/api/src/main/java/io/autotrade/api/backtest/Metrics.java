package io.autotrade.api.backtest;

import java.math.BigDecimal;
import java.time.Instant;

/**
 * The performance figures of a backtest. Returns and ratios are fractions (0.05 = 5 %), half-even to
 * {@link BacktestReport#RATIO_SCALE} places; amounts are exact in the quote currency.
 *
 * <p>Daily returns are equity-to-equity changes between the last marks of consecutive UTC days.
 * Sharpe = mean / sample standard deviation &times; &radic;{@code annualizationDays}; Sortino = mean /
 * downside deviation (root mean square of the negative returns over all days) &times;
 * &radic;{@code annualizationDays}; both with a risk-free rate of 0. Crypto trades every day, so the
 * year has {@value #ANNUALIZATION_DAYS} days (for candles shorter than a day the returns are still daily,
 * the usual sampling for intraday equity). CAGR = (final / initial)^(365.25 days / period) - 1.
 *
 * <p>Annualized figures extrapolate: below {@value #MIN_ANNUALIZED_SPAN_DAYS} days of data CAGR, Sharpe
 * and Sortino are not given (null) and {@code annualizedNote} says why.
 *
 * @param totalReturn         final equity / initial cash - 1
 * @param buyAndHoldReturn    last close / first open - 1
 * @param cagr                compound annual growth rate, null for a period under one day
 * @param maxDrawdown         largest fall from a peak of equity, a fraction of the peak
 * @param maxDrawdownPeak     when that peak was marked, null when there was no fall
 * @param maxDrawdownTrough   when the lowest point after it was marked, null when there was no fall
 * @param sharpe              annualized Sharpe ratio of daily returns, null with fewer than 2 days or no variance
 * @param sortino             annualized Sortino ratio, null with fewer than 2 days or no losing day
 * @param annualizationDays   trading days per year used for Sharpe and Sortino
 * @param winRate             winning round trips / round trips, null with none
 * @param profitFactor        gross profit / gross loss of round trips, null when nothing was lost
 * @param averageWin          mean PnL of winning round trips, null with none
 * @param averageLoss         mean PnL of losing round trips (negative), null with none
 * @param exposure            share of the period with a position held, 0..1
 * @param closedTrades        number of round trips
 * @param annualizedNote      why CAGR, Sharpe and Sortino are not given (a span under
 *                            {@value #MIN_ANNUALIZED_SPAN_DAYS} days), or null when they are
 */
public record Metrics(BigDecimal totalReturn, BigDecimal buyAndHoldReturn, BigDecimal cagr, BigDecimal maxDrawdown,
        Instant maxDrawdownPeak, Instant maxDrawdownTrough, BigDecimal sharpe, BigDecimal sortino, int annualizationDays,
        BigDecimal winRate, BigDecimal profitFactor, BigDecimal averageWin, BigDecimal averageLoss, BigDecimal exposure,
        int closedTrades, String annualizedNote) {

    /** Shortest span of data, in days, over which annualized figures are given. */
    public static final int MIN_ANNUALIZED_SPAN_DAYS = 90;

    /** Days per year for annualizing daily Sharpe and Sortino ratios: crypto markets never close. */
    public static final int ANNUALIZATION_DAYS = 365;
}
