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
 * @param maxDrawdown         largest peak-to-trough fall of equity marked at each candle close, a fraction
 * @param buyAndHoldReturn    last close / first open - 1
 * @param totalReturn         finalEquity / initialCash - 1
 * @param rejectedOrders      number of orders refused
 * @param trades              every fill, in time order
 * @param rejections          every refused order with its rule or error, in time order
 * @param feeRate             the exchange's fee rate, a fraction of each fill's notional
 * @param riskSettings        the risk limits set for the run (empty: the risk manager's defaults)
 * @param equityCurve         the account marked at every candle close, in time order
 * @param closedTrades        the round trips, in time order
 * @param metrics             the performance figures
 */
public record BacktestReport(String market, String dataFile, String strategyId, Map<String, String> strategySettings,
        int candles, Instant firstOpen, Instant lastClose, BigDecimal initialCash, BigDecimal finalCash,
        BigDecimal finalPositionVolume, BigDecimal lastPrice, BigDecimal finalEquity, BigDecimal realizedPnl,
        BigDecimal unrealizedPnl, BigDecimal feesPaid, BigDecimal maxDrawdown, BigDecimal buyAndHoldReturn,
        BigDecimal totalReturn, int rejectedOrders, List<Trade> trades, List<Rejection> rejections, BigDecimal feeRate,
        Map<String, String> riskSettings, List<EquityPoint> equityCurve, List<ClosedTrade> closedTrades, Metrics metrics) {

    /** Scale of the ratio fields ({@code maxDrawdown}, {@code buyAndHoldReturn}, {@code totalReturn}), half-even. */
    public static final int RATIO_SCALE = 10;

    /** Copies the lists and map so the report is immutable. */
    public BacktestReport {
        strategySettings = Map.copyOf(strategySettings);
        trades = List.copyOf(trades);
        rejections = List.copyOf(rejections);
        riskSettings = Map.copyOf(riskSettings);
        equityCurve = List.copyOf(equityCurve);
        closedTrades = List.copyOf(closedTrades);
    }

    /** @return the number of completed round trips (sells that closed the position) */
    public long roundTrips() {
        return trades.stream().filter(t -> t.side() == io.autotrade.api.trading.Side.ASK).count();
    }
}
