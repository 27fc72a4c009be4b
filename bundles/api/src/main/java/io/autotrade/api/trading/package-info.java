/**
 * Trading value types (markets, sides, order specs, candles, positions) and the domain-event
 * payloads of the trading pipeline: market data &rarr; signal &rarr; order &rarr; fill &rarr; position.
 *
 * <p>Money is {@link java.math.BigDecimal}, never floating point: prices and amounts in the quote
 * currency (KRW on KRW markets), volumes in the base currency. Names follow Upbit's API where one
 * exists ({@code bid}/{@code ask}, {@code ord_type} {@code limit}/{@code price}/{@code market}).
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("2.3.0")
package io.autotrade.api.trading;
