/**
 * The exchange SPI: what an exchange adapter (paper, Upbit live) offers the order manager.
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("3.2.0")
package io.autotrade.api.exchange;
