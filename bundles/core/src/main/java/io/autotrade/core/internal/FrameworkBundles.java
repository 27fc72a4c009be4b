package io.autotrade.core.internal;

import io.autotrade.api.config.BundleOperation;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleException;
import org.osgi.framework.Constants;
import org.osgi.framework.wiring.FrameworkWiring;

/** {@link BundleOps} on the running framework, through the core bundle's context. */
final class FrameworkBundles implements BundleOps {
    /** How long a wiring refresh may take before the operation is reported as failed. */
    private static final long REFRESH_SECONDS = 60;

    private final BundleContext context;

    FrameworkBundles(BundleContext context) {
        this.context = context;
    }

    @Override
    public Installed at(String location) {
        Bundle b = context.getBundle(location);
        return b == null ? null : installed(b);
    }

    @Override
    public Installed apply(BundleOperation operation, String location, String artifact) throws Exception {
        switch (operation) {
            case INSTALL -> {
                Bundle b;
                try (InputStream in = Files.newInputStream(Path.of(URI.create(artifact)))) {
                    b = context.installBundle(location, in);
                }
                if (b.getHeaders().get(Constants.FRAGMENT_HOST) == null) {
                    b.start();
                }
                return installed(b);
            }
            case UPDATE -> {
                Bundle b = existing(location);
                try (InputStream in = Files.newInputStream(Path.of(URI.create(artifact)))) {
                    b.update(in);
                }
                refresh(b);
                return installed(b);
            }
            case UNINSTALL -> {
                Bundle b = existing(location);
                b.uninstall();
                refresh(b);
                return null;
            }
            default -> throw new IllegalArgumentException("unknown bundle operation " + operation);
        }
    }

    private Bundle existing(String location) throws BundleException {
        Bundle b = context.getBundle(location);
        if (b == null) {
            throw new BundleException("no bundle is installed from " + location);
        }
        return b;
    }

    /** Drops the old revision and rewires its dependents (OSGi Core 10.3.3.2); the listener hears PACKAGES_REFRESHED at the end. */
    private void refresh(Bundle b) throws InterruptedException, BundleException {
        CountDownLatch done = new CountDownLatch(1);
        context.getBundle(Constants.SYSTEM_BUNDLE_LOCATION).adapt(FrameworkWiring.class)
                .refreshBundles(List.of(b), e -> done.countDown());
        if (!done.await(REFRESH_SECONDS, TimeUnit.SECONDS)) {
            throw new BundleException("the wiring refresh after changing " + b.getSymbolicName() + " did not end within "
                    + REFRESH_SECONDS + " s");
        }
    }

    private static Installed installed(Bundle b) {
        return new Installed(b.getSymbolicName(), b.getLocation(), b.getVersion().toString());
    }
}
