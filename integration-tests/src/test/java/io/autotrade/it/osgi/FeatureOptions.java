package io.autotrade.it.osgi;

import static org.ops4j.pax.exam.CoreOptions.bundle;
import static org.ops4j.pax.exam.CoreOptions.cleanCaches;
import static org.ops4j.pax.exam.CoreOptions.frameworkProperty;
import static org.ops4j.pax.exam.CoreOptions.junitBundles;
import static org.ops4j.pax.exam.CoreOptions.systemProperty;

import io.autotrade.launcher.Feature;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.ops4j.pax.exam.Option;

/**
 * Pax Exam options that boot Felix with exactly the bundles and framework properties of a resolved
 * feature, as embedded in the launcher jar, plus JUnit for the test probe.
 */
final class FeatureOptions {
    private FeatureOptions() {
    }

    /**
     * @param feature a feature name, e.g. {@code backtest}
     * @return the options; the runtime's data folder is a fresh folder under {@code target/}
     */
    static Option[] of(String feature) {
        return of(feature, Map.of());
    }

    /**
     * @param feature a feature name, e.g. {@code upbit-live}
     * @param etc     files written into the runtime's {@code etc/} before it starts, by name: content
     * @return the options; the runtime's data folder is a fresh folder under {@code target/}
     */
    static Option[] of(String feature, Map<String, String> etc) {
        Path target = Paths.get("target").toAbsolutePath();
        Feature f = Feature.load(feature);
        List<Option> options = new ArrayList<>();
        for (Path jar : f.extractBundles(target.resolve("pax-bundles/" + feature))) {
            options.add(bundle(jar.toUri().toString()));
        }
        for (Map.Entry<String, String> p : f.runProperties().entrySet()) {
            if (p.getKey().equals("org.osgi.framework.system.packages.extra")) {
                // added to Pax Exam's own (its probe invoker's packages), not in their place
                options.add(org.ops4j.pax.exam.CoreOptions.systemPackages(io.autotrade.launcher.Feature.splitClauses(p.getValue())));
            } else {
                options.add(frameworkProperty(p.getKey()).value(p.getValue()));
            }
        }
        Path data;
        try {
            data = Files.createTempDirectory(Files.createDirectories(target.resolve("pax-data")), feature);
            Files.createDirectories(data.resolve("etc"));
            for (Map.Entry<String, String> file : etc.entrySet()) {
                Files.writeString(data.resolve("etc").resolve(file.getKey()), file.getValue());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        options.add(frameworkProperty("autotrade.data.dir").value(data.toString()));
        options.add(frameworkProperty("autotrade.db.profile").value("pax"));
        options.add(frameworkProperty("felix.fileinstall.dir").value(data.resolve("etc").toString()));
        options.add(frameworkProperty("gosh.args").value("--nointeractive"));
        // the web feature's dashboard and API: loopback, on a port free now (never a fixed one another run may hold)
        options.add(frameworkProperty("org.apache.felix.http.host").value("127.0.0.1"));
        options.add(frameworkProperty("org.osgi.service.http.port").value(Integer.toString(freePort())));
        options.add(systemProperty("org.ops4j.pax.logging.DefaultServiceLog.level").value("WARN"));
        options.add(junitBundles());
        options.add(cleanCaches(true));
        return options.toArray(Option[]::new);
    }

    /** @return a TCP port that is free on the loopback address now */
    static int freePort() {
        try (java.net.ServerSocket s = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
