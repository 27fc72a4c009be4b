/**
 * Read views of orders (the blotter) and positions (the book) kept by the managers.
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("2.0.0")
package io.autotrade.api.portfolio;
