package io.autotrade.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.jar.JarFile;
import java.util.stream.Stream;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleException;
import org.osgi.framework.Constants;
import org.osgi.framework.launch.Framework;
import org.osgi.framework.launch.FrameworkFactory;

/**
 * One Felix framework for a benchmark: SCR, EventAdmin (Timeout 0, as the platform feature sets it),
 * the OSGi log and the autotrade core bundle. The autotrade API and the EventAdmin API come from the
 * class path through the system bundle, so the benchmark's handlers and events are the bundles' types.
 */
final class BenchFelix implements AutoCloseable {
    private final Framework framework;
    private final Path storage;

    BenchFelix() {
        this(Map.of(), false);
    }

    /**
     * @param extra     more framework properties
     * @param withStore also install the SQLite event store and its bundles ({@code bench.store.bundles}):
     *                  the durable benchmarks; the others register journal and dead-letter stand-ins
     */
    BenchFelix(Map<String, String> extra, boolean withStore) {
        try {
            storage = Files.createTempDirectory("autotrade-bench-felix");
            Map<String, String> props = new HashMap<>();
            props.put(Constants.FRAMEWORK_STORAGE, storage.toString());
            props.put(Constants.FRAMEWORK_STORAGE_CLEAN, Constants.FRAMEWORK_STORAGE_CLEAN_ONFIRSTINIT);
            props.put(Constants.FRAMEWORK_SYSTEMPACKAGES_EXTRA, "org.osgi.service.event;version=1.4.1,"
                    + apiExports() + (withStore ? ",org.sqlite;version=3.54.1" : ""));
            props.put("org.apache.felix.eventadmin.Timeout", "0");
            props.put("org.apache.felix.eventadmin.ThreadPoolSize", "2");
            props.put("felix.log.level", "1");
            props.putAll(extra);
            framework = ServiceLoader.load(FrameworkFactory.class).findFirst().orElseThrow().newFramework(props);
            framework.start();
            List<Bundle> installed = new ArrayList<>();
            List<Path> folders = new ArrayList<>(List.of(Paths.get(System.getProperty("bench.bundles", "target/bench-bundles"))));
            if (withStore) {
                folders.add(Paths.get(System.getProperty("bench.store.bundles", "target/bench-store-bundles")));
            }
            for (Path folder : folders) {
                try (Stream<Path> jars = Files.list(folder)) {
                    for (Path jar : jars.filter(p -> p.toString().endsWith(".jar")).sorted().toList()) {
                        installed.add(framework.getBundleContext().installBundle(jar.toUri().toString()));
                    }
                }
            }
            for (Bundle b : installed) {
                if (b.getHeaders().get(Constants.FRAGMENT_HOST) == null) {
                    b.start();
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (BundleException e) {
            throw new IllegalStateException("cannot start the benchmark framework: " + e.getMessage(), e);
        }
    }

    /** @return the api bundle's own Export-Package (every api package at its version), read from its jar on the class path */
    private static String apiExports() throws IOException {
        Class<?> api = io.autotrade.api.event.DomainEvent.class;
        try (JarFile jar = new JarFile(Paths.get(URI.create(api.getProtectionDomain().getCodeSource().getLocation()
                .toString())).toFile())) {
            String exports = jar.getManifest().getMainAttributes().getValue(Constants.EXPORT_PACKAGE);
            if (exports == null) {
                throw new IllegalStateException("the api jar " + jar.getName() + " exports nothing");
            }
            return exports;
        }
    }

    BundleContext context() {
        return framework.getBundleContext();
    }

    <T> T await(Class<T> type) throws InterruptedException {
        for (int i = 0; i < 200; i++) {
            var ref = context().getServiceReference(type);
            if (ref != null) {
                return context().getService(ref);
            }
            Thread.sleep(25);
        }
        throw new IllegalStateException(type.getName() + " did not appear in the benchmark framework");
    }

    @Override
    public void close() throws Exception {
        framework.stop();
        framework.waitForStop(10_000);
        try (Stream<Path> files = Files.walk(storage)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }
}
