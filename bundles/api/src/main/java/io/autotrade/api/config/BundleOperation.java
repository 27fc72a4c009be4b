package io.autotrade.api.config;

/** What a {@link BundleChangeRequested} does to a bundle (OSGi Core chapter 4, bundle life cycle). */
public enum BundleOperation {
    /** Install a new bundle from an artifact and start it. */
    INSTALL,
    /** Replace an installed bundle's content with an artifact ({@code Bundle.update}), then refresh its wiring. */
    UPDATE,
    /** Stop and remove an installed bundle, then refresh the wiring. */
    UNINSTALL
}
