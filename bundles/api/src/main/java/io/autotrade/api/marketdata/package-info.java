/**
 * The market-data source SPI: reading historical candles and replaying them through the bus.
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("2.1.0")
package io.autotrade.api.marketdata;
