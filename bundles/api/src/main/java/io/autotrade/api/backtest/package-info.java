/**
 * Running a backtest: a strategy on historical candles through the whole pipeline, and its report.
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("5.0.0")
package io.autotrade.api.backtest;
