package io.autotrade.api.backtest;

/**
 * Runs a strategy over historical candles through the real pipeline (replay, strategy, order
 * manager, paper exchange, position manager, event store) and reports the outcome.
 */
public interface BacktestRunner {

    /**
     * Runs a backtest to the end. Deterministic: the same request on the same data gives the same report.
     *
     * @param request what to run
     * @return the report (also written as JSON when the request names a file)
     * @throws io.autotrade.api.marketdata.CandleFormatException if the data file is malformed
     * @throws BacktestException if the pipeline cannot be set up or does not settle
     */
    BacktestReport run(BacktestRequest request);
}
