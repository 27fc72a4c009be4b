/**
 * The strategy service: the marker every strategy component registers, with its id and market, and the
 * rule of its instance id. The base class strategies extend is in {@code io.autotrade.strategy.support}.
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("2.2.0")
package io.autotrade.api.strategy;
