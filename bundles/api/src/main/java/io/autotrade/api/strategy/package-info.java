/**
 * The strategy service: the marker every strategy component registers, with its id and market, and
 * {@link io.autotrade.api.strategy.LongOnlyBook}, the position, order and signal keeping a long-only
 * single-market strategy shares with the others.
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.1.0")
package io.autotrade.api.strategy;
