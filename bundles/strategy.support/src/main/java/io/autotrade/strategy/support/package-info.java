/**
 * Support for writing strategies: {@link io.autotrade.strategy.support.LongOnlyStrategy}, the base of a long-only
 * single-market strategy instance (position, own order in flight, order options, signals, registration and the
 * warm-up from the processing log). A strategy bundle extends it; nothing else depends on it.
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.0.0")
package io.autotrade.strategy.support;
