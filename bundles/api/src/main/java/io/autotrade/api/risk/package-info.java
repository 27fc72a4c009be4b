/**
 * Pre-trade risk: the gate every order request passes before it reaches an exchange, and the
 * operator's view of the limits.
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.1.0")
package io.autotrade.api.risk;
