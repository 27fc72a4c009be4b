package io.autotrade.deploy.internal;

import io.autotrade.api.config.BundleOperation;
import io.autotrade.api.config.ConfigGate;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.jar.JarFile;
import java.util.jar.Manifest;
import java.util.stream.Stream;
import org.apache.felix.fileinstall.ArtifactInstaller;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.log.Logger;
import org.osgi.service.log.LoggerFactory;

/**
 * Bundle jars in the runtime's watched folders ({@code deploy/}, Felix FileInstall) become trade-safe
 * bundle changes through the core's {@link ConfigGate}, instead of FileInstall installing, updating
 * and uninstalling them itself (it would do so at once, whatever is in flight). Ranked above
 * FileInstall's own jar handling, which it asks last.
 *
 * <ul>
 *   <li>A jar whose {@code Bundle-SymbolicName} no installed bundle has is installed and started at once.</li>
 *   <li>A jar whose symbolic name an installed bundle has, whether installed from this folder or by the
 *       feature, replaces that bundle ({@code Bundle.update} from the jar): held while any order is in
 *       flight. Dropping {@code io.autotrade.strategy.rsi-2.jar} replaces the running RSI strategy.</li>
 *   <li>A jar removed uninstalls the bundle it installed, held the same way; a feature bundle it had
 *       replaced goes back to the feature's jar. A jar removed while another jar here has the same
 *       symbolic name (a replacement under a new file name) changes nothing.</li>
 * </ul>
 * A file that is not a bundle is refused with the reason in the log.
 */
@Component(service = ArtifactInstaller.class, property = Constants.SERVICE_RANKING + ":Integer=100")
public class JarInstaller implements ArtifactInstaller {
    private final BundleContext context;
    private final ConfigGate gate;
    private final Logger logger;
    /** The bundle each jar of the folder installed or replaced, by the jar's {@code file:} URI: its location. */
    private final Map<String, String> replaced = new ConcurrentHashMap<>();
    /** The SHA-256 of the content last handed to the gate, by the jar's URI: FileInstall may report one change twice. */
    private final Map<String, String> requested = new ConcurrentHashMap<>();

    /**
     * @param context       the installed bundles
     * @param gate          the core's gate
     * @param loggerFactory for refused, held and done changes
     */
    @Activate
    public JarInstaller(BundleContext context, @Reference ConfigGate gate, @Reference LoggerFactory loggerFactory) {
        this.context = context;
        this.gate = gate;
        this.logger = loggerFactory.getLogger(JarInstaller.class);
    }

    @Override
    public boolean canHandle(File artifact) {
        return artifact.getName().endsWith(".jar");
    }

    @Override
    public void install(File artifact) throws IOException {
        deploy(artifact);
    }

    @Override
    public void update(File artifact) throws IOException {
        deploy(artifact);
    }

    @Override
    public void uninstall(File artifact) {
        String uri = artifact.toPath().toUri().toString();
        requested.remove(uri);
        String location = replaced.remove(uri);
        Bundle bundle = location == null ? context.getBundle(uri) : context.getBundle(location);
        if (bundle == null) {
            logger.info("{} was removed; no bundle came from it", artifact.getName());
            return;
        }
        Optional<File> other = sameNameIn(artifact.getParentFile(), bundle.getSymbolicName(), artifact);
        if (other.isPresent()) {
            logger.info("{} was removed; {} stays, from {}", artifact.getName(), bundle.getSymbolicName(), other.get().getName());
            return;
        }
        String source = "deploy/" + artifact.getName();
        Path original = bundle.getLocation().startsWith("file:") ? Path.of(URI.create(bundle.getLocation())) : null;
        // a feature bundle the jar had replaced goes back to the feature's jar (the removed jar itself is gone)
        ConfigGate.Result r = original != null && Files.isRegularFile(original)
                ? gate.requestBundle(BundleOperation.UPDATE, bundle.getLocation(), original.toUri().toString(), ConfigGate.Mode.WAIT, source)
                : gate.requestBundle(BundleOperation.UNINSTALL, bundle.getLocation(), null, ConfigGate.Mode.WAIT, source);
        report(artifact, r);
    }

    private void deploy(File artifact) throws IOException {
        String uri = artifact.toPath().toUri().toString();
        String digest = digest(artifact);
        if (digest.equals(requested.get(uri))) {
            logger.info("{}: this content was handed to the gate already", artifact.getName());
            return;
        }
        String name = symbolicName(artifact);
        String source = "deploy/" + artifact.getName();
        Bundle current = Arrays.stream(context.getBundles())
                .filter(b -> name.equals(b.getSymbolicName()) && b.getState() != Bundle.UNINSTALLED)
                .max((a, b) -> a.getVersion().compareTo(b.getVersion())).orElse(null);
        ConfigGate.Result r;
        if (current == null) {
            r = gate.requestBundle(BundleOperation.INSTALL, uri, uri, ConfigGate.Mode.WAIT, source);
        } else if (current.getLocation().equals(uri) && current.getLastModified() >= artifact.lastModified()) {
            logger.info("{} is installed from {} already", name, artifact.getName());
            return;
        } else {
            r = gate.requestBundle(BundleOperation.UPDATE, current.getLocation(), uri, ConfigGate.Mode.WAIT, source);
        }
        requested.put(uri, digest);
        replaced.put(uri, current == null ? uri : current.getLocation());
        report(artifact, r);
    }

    private void report(File artifact, ConfigGate.Result r) {
        if (r.applied()) {
            logger.info("deploy/{}: done [change {}]", artifact.getName(), r.changeId());
        } else {
            logger.warn("deploy/{}: held until no order is in flight (orders: {}) [change {}]", artifact.getName(),
                    r.waitingFor(), r.changeId());
        }
    }

    private static String digest(File artifact) throws IOException {
        try (InputStream in = Files.newInputStream(artifact.toPath())) {
            java.security.MessageDigest sha = java.security.MessageDigest.getInstance("SHA-256");
            byte[] buffer = new byte[65536];
            for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
                sha.update(buffer, 0, n);
            }
            return java.util.HexFormat.of().formatHex(sha.digest());
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK has no SHA-256", e);
        }
    }

    /** @return the jar's symbolic name, without directives; @throws IOException if it is not a bundle */
    static String symbolicName(File artifact) throws IOException {
        try (JarFile jar = new JarFile(artifact)) {
            Manifest m = jar.getManifest();
            String name = m == null ? null : m.getMainAttributes().getValue(Constants.BUNDLE_SYMBOLICNAME);
            if (name == null || name.isBlank()) {
                throw new IOException(artifact + " is not an OSGi bundle: its manifest has no Bundle-SymbolicName");
            }
            return name.split(";")[0].strip();
        }
    }

    private static Optional<File> sameNameIn(File folder, String symbolicName, File except) {
        if (folder == null || !folder.isDirectory()) {
            return Optional.empty();
        }
        try (Stream<Path> files = Files.list(folder.toPath())) {
            return files.map(Path::toFile).filter(f -> f.getName().endsWith(".jar") && !f.equals(except)).filter(f -> {
                try {
                    return symbolicName.equals(symbolicName(f));
                } catch (IOException e) {
                    return false;
                }
            }).findFirst();
        } catch (IOException e) {
            return Optional.empty();
        }
    }
}
