/**
 * Trade-safe configuration: changes to a component's configuration go through the core's
 * {@link io.autotrade.api.config.ConfigGate}, which holds them while an order they could affect is in
 * flight and applies them, in arrival order, when the state they touch returns to IDLE. Requests and
 * applications are stored as events, so pending changes survive a restart. Bundle updates and removals
 * ({@link io.autotrade.api.config.BundleChangeRequested}) and changes other bundles make through the
 * ConfigAdmin API are held the same way. Database profile switches
 * ({@link io.autotrade.api.config.DatabaseProfiles}) go through the same gate.
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("2.1.0")
package io.autotrade.api.config;
