/**
 * The strategy service: the marker every strategy component registers, with its id and market, and
 * {@link io.autotrade.api.strategy.LongOnlyStrategy}, the base of a long-only single-market strategy
 * (position, own order in flight, signals, registration and warm-up).
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.1.0")
package io.autotrade.api.strategy;
