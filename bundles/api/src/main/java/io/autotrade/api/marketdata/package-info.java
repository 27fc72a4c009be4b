/**
 * The market-data source SPI: reading historical candles and replaying them through the bus.
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("2.0.0")
package io.autotrade.api.marketdata;
