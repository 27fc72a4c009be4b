package io.autotrade.api.backtest;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * The outcome of a backtest. Amounts are exact, in the quote currency; volumes in the base currency.
 * It always holds that
 * {@code initialCash + realizedPnl + unrealizedPnl - feesPaid == finalEquity == finalCash + finalPositionVolume * lastPrice}.
 *
 * @param market              market code
 * @param dataFile            the candle file
 * @param strategyId          the strategy instance that ran
 * @param strategySettings    its effective settings
 * @param candles             number of candles replayed
 * @param firstOpen           open time of the first candle, UTC
 * @param lastClose           close time of the last candle, UTC
 * @param initialCash         starting cash
 * @param finalCash           cash at the end (available + locked)
 * @param finalPositionVolume base currency held at the end
 * @param lastPrice           last candle's close
 * @param finalEquity         finalCash + finalPositionVolume * lastPrice
 * @param realizedPnl         realized PnL, gross of fees
 * @param unrealizedPnl       unrealized PnL at the last close
 * @param feesPaid            all fees
 * @param trades              every fill, in time order
 * @param rejections          every refused order with its rule or error, in time order
 * @param feeRate             the exchange's fee rate, a fraction of each fill's notional
 * @param riskSettings        the risk limits set for the run (empty: the risk manager's defaults)
 * @param equityCurve         the account marked at candle closes, in time order: every close up to 10,000 of them;
 *                            a longer run keeps every 2^k-th close (k growing with the run) and the last one. The
 *                            metrics are computed from every close.
 * @param closedTrades        the round trips, in time order
 * @param metrics             the performance figures (returns, drawdown, ratios; see {@link Metrics})
 * @param parameters          every default and limit the run used, by name, each value with its currency
 *                            or unit and where it came from (e.g. {@code order.amount} = {@code 1000 USDT
 *                            (10% of the initial cash)}), in the order shown
 * @param gaps                places where the candles skip one or more intervals (minute data has them
 *                            where nothing traded)
 * @param missingCandles      the intervals skipped at those places, in all
 * @param signals             every signal of the run, in time order (a bias check compares them between runs)
 * @param tearsheet           the research figures: monthly returns, the worst drawdowns, rolling Sharpe, trade
 *                            statistics, the buy-and-hold benchmark and, when asked, the Monte Carlo of the trades
 */
public record BacktestReport(String market, String dataFile, String strategyId, Map<String, String> strategySettings,
        int candles, Instant firstOpen, Instant lastClose, BigDecimal initialCash, BigDecimal finalCash,
        BigDecimal finalPositionVolume, BigDecimal lastPrice, BigDecimal finalEquity, BigDecimal realizedPnl,
        BigDecimal unrealizedPnl, BigDecimal feesPaid, List<Trade> trades, List<Rejection> rejections, BigDecimal feeRate,
        Map<String, String> riskSettings, List<EquityPoint> equityCurve, List<ClosedTrade> closedTrades, Metrics metrics,
        Map<String, String> parameters, int gaps, long missingCandles, List<BacktestSignal> signals, Tearsheet tearsheet) {

    /** Scale of the ratios ({@link Metrics}), half-even. */
    public static final int RATIO_SCALE = 10;

    /** Copies the lists and maps so the report is immutable; the maps keep their order, so equal runs write equal bytes. */
    public BacktestReport {
        strategySettings = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(strategySettings));
        trades = List.copyOf(trades);
        rejections = List.copyOf(rejections);
        riskSettings = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(riskSettings));
        equityCurve = List.copyOf(equityCurve);
        closedTrades = List.copyOf(closedTrades);
        signals = List.copyOf(signals);
        parameters = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(parameters));
    }

    /** @return finalEquity / initialCash - 1, a fraction ({@link Metrics#totalReturn()}) */
    public BigDecimal totalReturn() {
        return metrics.totalReturn();
    }

    /** @return last close / first open - 1, a fraction ({@link Metrics#buyAndHoldReturn()}) */
    public BigDecimal buyAndHoldReturn() {
        return metrics.buyAndHoldReturn();
    }

    /** @return the largest fall of equity from a peak, a fraction of the peak ({@link Metrics#maxDrawdown()}) */
    public BigDecimal maxDrawdown() {
        return metrics.maxDrawdown();
    }

    /**
     * @return per exit reason that closed a round trip (in {@link io.autotrade.api.trading.ExitReason} order), how
     *         many and their PnL net of fees
     */
    public List<ExitSummary> exitReasons() {
        Map<io.autotrade.api.trading.ExitReason, ExitSummary> by = new java.util.EnumMap<>(io.autotrade.api.trading.ExitReason.class);
        for (ClosedTrade t : closedTrades) {
            io.autotrade.api.trading.ExitReason reason = t.exitReason() == null ? io.autotrade.api.trading.ExitReason.SIGNAL
                    : t.exitReason();
            ExitSummary before = by.getOrDefault(reason, new ExitSummary(reason, 0, BigDecimal.ZERO));
            by.put(reason, new ExitSummary(reason, before.roundTrips() + 1, before.pnl().add(t.pnl())));
        }
        return List.copyOf(by.values());
    }

    /** @return the number of refused orders */
    public int rejectedOrders() {
        return rejections.size();
    }

    /**
     * @return the buy-and-hold benchmark at each point of the equity curve: the initial cash all bought at the first
     *         open, before fees ({@link Tearsheet#benchmarkEquity}); {@code position} is that volume
     */
    public List<EquityPoint> benchmark() {
        BigDecimal volume = initialCash.divide(tearsheet.firstPrice(), 8, java.math.RoundingMode.HALF_EVEN);
        return equityCurve.stream().map(p -> new EquityPoint(p.time(), p.close(),
                tearsheet.benchmarkEquity(initialCash, p.close()), volume)).toList();
    }

    /** @return the number of round trips, flat to flat ({@link #closedTrades()}) */
    public int roundTrips() {
        return closedTrades.size();
    }
}
