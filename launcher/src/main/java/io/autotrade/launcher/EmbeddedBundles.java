package io.autotrade.launcher;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.List;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.jar.JarInputStream;
import java.util.jar.Manifest;
import java.util.stream.Stream;
import org.osgi.framework.Version;

/** The bundle jars embedded in the launcher under {@code bundles/}, indexed by symbolic name and version. */
final class EmbeddedBundles {
    /** One embedded bundle. */
    record Embedded(String resource, String symbolicName, Version version) {
    }

    private final List<Embedded> bundles = new ArrayList<>();

    EmbeddedBundles() {
        try {
            Path origin = Paths.get(EmbeddedBundles.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            if (Files.isDirectory(origin)) {
                try (Stream<Path> files = Files.list(origin.resolve("bundles"))) {
                    for (Path file : files.filter(f -> f.toString().endsWith(".jar")).sorted().toList()) {
                        index("bundles/" + file.getFileName());
                    }
                }
            } else {
                try (JarFile jar = new JarFile(origin.toFile())) {
                    for (Enumeration<JarEntry> e = jar.entries(); e.hasMoreElements();) {
                        String name = e.nextElement().getName();
                        if (name.startsWith("bundles/") && name.endsWith(".jar")) {
                            index(name);
                        }
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list the launcher's embedded bundles", e);
        } catch (URISyntaxException e) {
            throw new IllegalStateException("cannot locate the launcher jar", e);
        }
    }

    private void index(String resource) throws IOException {
        try (InputStream in = open(resource); JarInputStream jar = new JarInputStream(in)) {
            Manifest manifest = jar.getManifest();
            if (manifest == null) {
                return;
            }
            Attributes main = manifest.getMainAttributes();
            String bsn = main.getValue("Bundle-SymbolicName");
            if (bsn != null) {
                String version = main.getValue("Bundle-Version");
                bundles.add(new Embedded(resource, bsn.split(";")[0].strip(),
                        version == null ? Version.emptyVersion : Version.parseVersion(version.strip())));
            }
        }
    }

    /**
     * The embedded bundles as files, so that Felix installs them by reference ({@code reference:file:}, Felix framework
     * "reference:" URLs) instead of copying every jar into its cache at each start: extracted once per launcher jar
     * (keyed by its size and time) to {@code <java.io.tmpdir>/autotrade-bundles-<key>/}, atomically (a folder written
     * whole, then moved into place), and left unchanged after. Folders of other launcher jars untouched for 7 days are
     * removed.
     *
     * @return the folder holding every embedded bundle under its resource name, or null when the launcher does not run
     *         from a jar or the folder cannot be written (the bundles are then installed from the jar's streams)
     */
    static Path extracted() {
        try {
            Path origin = Paths.get(EmbeddedBundles.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            if (Files.isDirectory(origin)) {
                return origin;
            }
            String key = Long.toHexString(Files.size(origin)) + "-" + Long.toHexString(Files.getLastModifiedTime(origin).toMillis());
            Path tmp = Paths.get(System.getProperty("java.io.tmpdir"));
            Path dir = tmp.resolve("autotrade-bundles-" + key);
            if (Files.isDirectory(dir.resolve("bundles"))) {
                return dir;
            }
            Path partial = Files.createTempDirectory(tmp, "autotrade-bundles-partial-");
            try (JarFile jar = new JarFile(origin.toFile())) {
                Files.createDirectories(partial.resolve("bundles"));
                for (Enumeration<JarEntry> e = jar.entries(); e.hasMoreElements();) {
                    JarEntry entry = e.nextElement();
                    if (entry.getName().startsWith("bundles/") && entry.getName().endsWith(".jar")) {
                        try (InputStream in = jar.getInputStream(entry)) {
                            Files.copy(in, partial.resolve(entry.getName()));
                        }
                    }
                }
            }
            try {
                Files.move(partial, dir, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
            } catch (IOException raced) {
                RunFolder.deleteTree(partial); // another launch of the same jar moved its copy first
            }
            prune(tmp, dir);
            return Files.isDirectory(dir.resolve("bundles")) ? dir : null;
        } catch (IOException | URISyntaxException | RuntimeException e) {
            return null;
        }
    }

    /**
     * Points sqlite-jdbc at its native library extracted once beside the bundles ({@code org.sqlite.lib.path} and
     * {@code org.sqlite.lib.name}, sqlite-jdbc's own settings), so that a start neither extracts it again nor runs
     * {@code uname} to find the platform. Only for the platforms whose folder name is plain (Linux and macOS on x86_64 or
     * aarch64, Windows on x86_64); elsewhere, or when the user set them, sqlite-jdbc finds its library itself, and it
     * also does when the library here does not load. Only a JVM's first runtime uses the copy (see the body).
     *
     * @param dir the extracted bundles' folder ({@link #extracted})
     */
    /** Whether this JVM's first runtime was pointed at the shared copy of sqlite-jdbc's native library. */
    private static boolean pointedAtSqlite;

    static void sqliteNativeLibrary(Path dir) {
        if (pointedAtSqlite) {
            // a second runtime in this JVM: its sqlite bundle cannot load a library another class loader has loaded
            // (the JVM refuses), so it extracts its own copy as sqlite-jdbc always did
            return;
        }
        if (dir == null || System.getProperty("org.sqlite.lib.path") != null) {
            return;
        }
        String os = System.getProperty("os.name", "");
        String arch = System.getProperty("os.arch", "");
        String osFolder = os.startsWith("Linux") ? "Linux" : os.startsWith("Mac") ? "Mac" : os.startsWith("Windows") ? "Windows" : null;
        String archFolder = arch.equals("amd64") || arch.equals("x86_64") ? "x86_64" : arch.equals("aarch64") ? "aarch64" : null;
        if (osFolder == null || archFolder == null) {
            return;
        }
        String name = osFolder.equals("Windows") ? "sqlitejdbc.dll" : osFolder.equals("Mac") ? "libsqlitejdbc.dylib" : "libsqlitejdbc.so";
        Path lib = dir.resolve("native").resolve(osFolder).resolve(archFolder);
        try {
            if (!Files.isRegularFile(lib.resolve(name))) {
                Path sqlite;
                try (Stream<Path> jars = Files.list(dir.resolve("bundles"))) {
                    sqlite = jars.filter(j -> j.getFileName().toString().startsWith("sqlite-jdbc")).findFirst().orElse(null);
                }
                if (sqlite == null) {
                    return;
                }
                try (JarFile jar = new JarFile(sqlite.toFile())) {
                    JarEntry entry = jar.getJarEntry("org/sqlite/native/" + osFolder + "/" + archFolder + "/" + name);
                    if (entry == null) {
                        return;
                    }
                    Files.createDirectories(lib);
                    Path partial = Files.createTempFile(lib, name, ".partial");
                    try (InputStream in = jar.getInputStream(entry)) {
                        Files.copy(in, partial, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
                    }
                    try {
                        Files.move(partial, lib.resolve(name), java.nio.file.StandardCopyOption.ATOMIC_MOVE);
                    } catch (IOException raced) {
                        Files.deleteIfExists(partial); // another launch put it there first
                    }
                }
            }
            System.setProperty("org.sqlite.lib.path", lib.toString());
            System.setProperty("org.sqlite.lib.name", name);
            pointedAtSqlite = true;
        } catch (IOException | RuntimeException e) {
            // sqlite-jdbc extracts its library itself, as it always did
        }
    }

    /**
     * After the first runtime has started (its store has loaded the library): clears the settings again, so that any
     * other sqlite-jdbc in this JVM (a second runtime, or the class path's in a test) extracts its own copy instead of
     * failing on one already loaded by another class loader.
     */
    static void releaseSqliteNativeLibrary() {
        if (pointedAtSqlite) {
            System.clearProperty("org.sqlite.lib.path");
            System.clearProperty("org.sqlite.lib.name");
        }
    }

    private static void prune(Path tmp, Path keep) {
        try (Stream<Path> dirs = Files.list(tmp)) {
            long weekAgo = System.currentTimeMillis() - java.util.concurrent.TimeUnit.DAYS.toMillis(7);
            for (Path d : dirs.filter(d -> d.getFileName().toString().startsWith("autotrade-bundles-") && !d.equals(keep)).toList()) {
                if (Files.getLastModifiedTime(d).toMillis() < weekAgo) {
                    RunFolder.deleteTree(d);
                }
            }
        } catch (IOException e) {
            // an old folder left behind costs disk space, nothing else
        }
    }

    static InputStream open(String resource) throws IOException {
        InputStream in = EmbeddedBundles.class.getClassLoader().getResourceAsStream(resource);
        if (in == null) {
            throw new IOException("resource " + resource + " is missing from the launcher");
        }
        return in;
    }

    /**
     * @param spec a bundle named by a feature
     * @return the highest embedded version within the spec's range
     * @throws IllegalStateException if none is embedded
     */
    Embedded find(Feature.BundleSpec spec) {
        return bundles.stream()
                .filter(b -> b.symbolicName().equals(spec.symbolicName()) && spec.range().includes(b.version()))
                .max((a, b) -> a.version().compareTo(b.version()))
                .orElseThrow(() -> new IllegalStateException("bundle " + spec.symbolicName() + " " + spec.range()
                        + " is not embedded in the launcher"));
    }
}
