/**
 * Upbit's market rules that the exchange adapters share: the published price units (tick sizes) by quote
 * currency and price band. The paper exchange simulates them; the live adapter uses them where Upbit's
 * {@code orderbook/instruments} says nothing. Everything else asks an exchange service
 * ({@code Exchange.tickSize}, {@code Exchange.rules}), not this package.
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.0.0")
package io.autotrade.exchange.rules;
