package io.autotrade.core.internal;

import io.autotrade.api.config.BundleOperation;

/**
 * The bundle operations the configuration gate carries out: install, update or uninstall one bundle
 * and refresh the framework's wiring (OSGi Core 4.4 and 10.3, {@code FrameworkWiring.refreshBundles}).
 */
interface BundleOps {

    /** An installed bundle, as the gate reports it. */
    record Installed(String symbolicName, String location, String version) {
    }

    /**
     * @param location a bundle location
     * @return the bundle installed there, or {@code null}
     */
    Installed at(String location);

    /**
     * Carries an operation out and waits for the wiring refresh.
     *
     * @param operation install (then start), update or uninstall
     * @param location  the bundle's location
     * @param artifact  the jar's {@code file:} URI, or {@code null} for an uninstall
     * @return the bundle afterwards, or {@code null} after an uninstall
     * @throws Exception the framework's error (a bad jar, an unresolvable bundle, an activation failure)
     */
    Installed apply(BundleOperation operation, String location, String artifact) throws Exception;
}
