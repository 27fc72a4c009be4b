package io.autotrade.launcher;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.osgi.framework.VersionRange;

/**
 * A feature: the bundles and framework properties of a resolved {@code .bndrun} from {@code features/}.
 * The build resolves each feature with bnd-resolver-maven-plugin and the launcher embeds the result
 * ({@code features/<name>.bndrun}, holding {@code -runbundles}) next to its sources
 * ({@code features/source/*.bnd[run]}, holding {@code -include} and the {@code -runproperties.*} fragments).
 *
 * @param name          the feature name, e.g. {@code backtest}
 * @param bundles       the bundles to install, in resolver order
 * @param runProperties framework properties, merged from every {@code -runproperties*} key of the feature's files, and
 *                      {@value #SYSTEM_PACKAGES_EXTRA} from its {@code -runsystempackages*} keys
 */
public record Feature(String name, List<BundleSpec> bundles, Map<String, String> runProperties) {

    /**
     * A bundle named by the resolver.
     *
     * @param symbolicName the Bundle-SymbolicName
     * @param range        the acceptable versions
     */
    public record BundleSpec(String symbolicName, VersionRange range) {
    }

    /**
     * Copies the feature's bundles out of the launcher into a folder, for tools that install bundles
     * from files (the Pax Exam integration tests boot Felix with exactly these).
     *
     * @param folder where to write {@code <symbolic name>-<version>.jar}; created if missing
     * @return the written files, in resolver order
     * @throws UncheckedIOException  if a file cannot be written
     * @throws IllegalStateException if a bundle is not embedded in the launcher
     */
    public List<java.nio.file.Path> extractBundles(java.nio.file.Path folder) {
        EmbeddedBundles embedded = new EmbeddedBundles();
        List<java.nio.file.Path> files = new ArrayList<>();
        try {
            java.nio.file.Files.createDirectories(folder);
            for (BundleSpec spec : bundles) {
                EmbeddedBundles.Embedded bundle = embedded.find(spec);
                java.nio.file.Path file = folder.resolve(bundle.symbolicName() + "-" + bundle.version() + ".jar");
                try (InputStream in = EmbeddedBundles.open(bundle.resource())) {
                    java.nio.file.Files.copy(in, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
                }
                files.add(file);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot extract the bundles of feature " + name + " to " + folder, e);
        }
        return files;
    }

    /**
     * @param name a feature name
     * @return the feature, read from the launcher's class path
     * @throws IllegalArgumentException if there is no such feature
     */
    public static Feature load(String name) {
        if (!name.matches("[a-z][a-z0-9-]*")) {
            throw new IllegalArgumentException("feature name must be lower-case letters, digits and '-', was '" + name + "'");
        }
        Properties resolved = read("features/" + name + ".bndrun");
        if (resolved == null) {
            throw new IllegalArgumentException("no feature '" + name + "' in this launcher (try backtest or paper)");
        }
        List<BundleSpec> bundles = new ArrayList<>();
        for (String clause : Clauses.split(resolved.getProperty("-runbundles", ""))) {
            String[] parts = clause.split(";");
            String range = "0";
            for (int i = 1; i < parts.length; i++) {
                String attribute = parts[i].strip();
                if (attribute.startsWith("version=")) {
                    range = Clauses.unquote(attribute.substring("version=".length()));
                }
            }
            bundles.add(new BundleSpec(parts[0].strip(), new VersionRange(range)));
        }
        if (bundles.isEmpty()) {
            throw new IllegalStateException("feature '" + name + "' has no -runbundles: the build did not resolve it");
        }
        Map<String, String> properties = new LinkedHashMap<>();
        List<String> systemPackages = new ArrayList<>();
        collectRunProperties(name + ".bndrun", properties, systemPackages, new ArrayList<>());
        if (!systemPackages.isEmpty()) {
            // packages the launcher's class path provides (-runsystempackages): the system bundle exports them
            properties.put(SYSTEM_PACKAGES_EXTRA, String.join(",", systemPackages));
        }
        return new Feature(name, List.copyOf(bundles), Map.copyOf(properties));
    }

    /**
     * @param value a manifest-style list, e.g. of {@value #SYSTEM_PACKAGES_EXTRA}
     * @return its clauses, split at the commas outside quotes
     */
    public static String[] splitClauses(String value) {
        return Clauses.split(value).toArray(String[]::new);
    }

    /** Framework property (OSGi Core R8, 4.2.2): packages the system bundle exports besides the JDK's. */
    static final String SYSTEM_PACKAGES_EXTRA = "org.osgi.framework.system.packages.extra";

    private static void collectRunProperties(String file, Map<String, String> into, List<String> systemPackages, List<String> seen) {
        if (seen.contains(file)) {
            return;
        }
        seen.add(file);
        Properties p = read("features/source/" + file);
        if (p == null) {
            throw new IllegalStateException("feature file features/source/" + file + " is missing from the launcher");
        }
        for (String include : Clauses.split(p.getProperty("-include", ""))) {
            String path = Clauses.unquote(include).replaceFirst("^[~-]", "");
            collectRunProperties(path.substring(path.lastIndexOf('/') + 1), into, systemPackages, seen);
        }
        for (String key : p.stringPropertyNames()) {
            if (key.equals("-runsystempackages") || key.startsWith("-runsystempackages.")) {
                systemPackages.addAll(Clauses.split(p.getProperty(key)));
            }
            if (key.equals("-runproperties") || key.startsWith("-runproperties.")) {
                for (String clause : Clauses.split(p.getProperty(key))) {
                    int eq = clause.indexOf('=');
                    if (eq <= 0) {
                        throw new IllegalStateException(file + ": " + key + " clause '" + clause + "' is not key=value");
                    }
                    into.put(clause.substring(0, eq).strip(), Clauses.unquote(clause.substring(eq + 1)));
                }
            }
        }
    }

    private static Properties read(String resource) {
        try (InputStream in = Feature.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                return null;
            }
            Properties p = new Properties();
            p.load(in);
            return p;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + resource, e);
        }
    }
}
