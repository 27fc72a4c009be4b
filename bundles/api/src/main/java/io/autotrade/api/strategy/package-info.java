/**
 * The strategy service: the marker every strategy component registers, with its id and market.
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.0.0")
package io.autotrade.api.strategy;
