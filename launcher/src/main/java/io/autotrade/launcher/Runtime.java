package io.autotrade.launcher;

import java.io.InputStream;
import java.io.PrintStream;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleException;
import org.osgi.framework.Constants;
import org.osgi.framework.FrameworkUtil;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.framework.ServiceReference;
import org.osgi.framework.launch.Framework;
import org.osgi.framework.launch.FrameworkFactory;
import org.osgi.util.tracker.ServiceTracker;

/**
 * A running Felix framework with a feature's bundles (OSGi Core R8, 4.2.2 "Launching a Framework").
 * Shell commands run through the Gogo {@code CommandProcessor} service, reached by reflection so that
 * the launcher shares no classes with the bundles.
 */
public final class Runtime implements AutoCloseable {
    private static final String COMMAND_PROCESSOR = "org.apache.felix.service.command.CommandProcessor";
    private static final String CONSOLE = "org.apache.felix.gogo.shell";
    private static final String TRADE_COMMANDS = "(osgi.command.scope=trade)";
    private static final String FILE_INSTALL = "org.apache.felix.fileinstall";
    private static final String DEPLOY = "io.autotrade.deploy";
    private static final String ETC_INSTALLER = "(&(objectClass=org.apache.felix.fileinstall.ArtifactInstaller)"
            + "(component.name=io.autotrade.deploy.internal.EtcInstaller))";
    private static final long COMMAND_WAIT_MS = 30_000;
    /**
     * Standard error as the JVM started with it: once Gogo runs, {@code System.err} is Gogo's per-thread
     * stream, which writes to the session's error stream; handing it to a session would loop.
     */
    private static final PrintStream STANDARD_ERROR = System.err;
    private final Framework framework;

    private Runtime(Framework framework) {
        this.framework = framework;
    }

    /** FileInstall's watched folder (framework property). */
    static final String WATCHED_DIR = "felix.fileinstall.dir";

    /**
     * Starts Felix with the feature's bundles.
     *
     * @param feature    the feature
     * @param properties framework properties added to (and overriding) the feature's
     * @return the running runtime
     * @throws BundleException if the framework or a bundle cannot start
     */
    public static Runtime start(Feature feature, Map<String, String> properties) throws BundleException {
        return start(feature, properties, List.of());
    }

    /**
     * Starts Felix with the feature's bundles and more.
     *
     * @param feature    the feature
     * @param properties framework properties added to (and overriding) the feature's
     * @param extra      bundle files installed after the feature's and started with them (e.g. a strategy of the user's)
     * @return the running runtime
     * @throws BundleException if the framework or a bundle cannot start, naming the bundle file
     */
    public static Runtime start(Feature feature, Map<String, String> properties, List<java.nio.file.Path> extra) throws BundleException {
        Map<String, String> config = new HashMap<>(feature.runProperties());
        config.putAll(properties);
        if (config.containsKey("autotrade.data.dir")) {
            // the folder FileInstall watches for .cfg files: <data folder>/etc
            config.putIfAbsent(WATCHED_DIR, Paths.get(config.get("autotrade.data.dir")).resolve("etc").toString());
        }
        if (config.containsKey(WATCHED_DIR)) {
            try {
                java.nio.file.Files.createDirectories(Paths.get(config.get(WATCHED_DIR)));
            } catch (java.io.IOException e) {
                throw new IllegalStateException("cannot create the watched folder " + config.get(WATCHED_DIR) + ": "
                        + e.getMessage(), e);
            }
        }
        FrameworkFactory factory = ServiceLoader.load(FrameworkFactory.class, Runtime.class.getClassLoader())
                .findFirst().orElseThrow(() -> new IllegalStateException("no OSGi FrameworkFactory on the class path"));
        Framework framework = factory.newFramework(config);
        framework.init();
        try {
            List<Bundle> installed = install(feature, framework.getBundleContext());
            for (java.nio.file.Path file : extra) {
                try {
                    installed.add(framework.getBundleContext().installBundle(file.toUri().toString()));
                } catch (BundleException e) {
                    throw new BundleException("cannot install --bundle " + file + ": " + e.getMessage(), e);
                }
            }
            framework.start();
            startInOrder(framework, installed);
            EmbeddedBundles.releaseSqliteNativeLibrary();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            stopQuietly(framework);
            throw new BundleException("interrupted while starting", e);
        } catch (BundleException | RuntimeException e) {
            stopQuietly(framework);
            throw e;
        }
        return new Runtime(framework);
    }

    /**
     * Installs the feature's bundles from the launcher jar, in the feature's order: by reference to their extracted files
     * when there are ({@link EmbeddedBundles#extracted}), else from the jar's streams (copied into Felix's cache).
     */
    private static List<Bundle> install(Feature feature, BundleContext context) throws BundleException {
        EmbeddedBundles embedded = new EmbeddedBundles();
        java.nio.file.Path files = EmbeddedBundles.extracted();
        EmbeddedBundles.sqliteNativeLibrary(files);
        List<Bundle> installed = new ArrayList<>();
        for (Feature.BundleSpec spec : feature.bundles()) {
            EmbeddedBundles.Embedded bundle = embedded.find(spec);
            if (files != null) {
                installed.add(context.installBundle("reference:" + files.resolve(bundle.resource()).toUri()));
                continue;
            }
            try (InputStream in = EmbeddedBundles.open(bundle.resource())) {
                installed.add(context.installBundle("autotrade:" + bundle.resource(), in));
            } catch (java.io.IOException e) {
                throw new BundleException("cannot read " + bundle.resource() + ": " + e.getMessage(), e);
            }
        }
        return installed;
    }

    /**
     * Starts the bundles: FileInstall only after the etc/ installer that checks and gates its files is up, the
     * console only after the trade: commands exist (it may read commands from a pipe at once).
     */
    private static void startInOrder(Framework framework, List<Bundle> installed) throws BundleException, InterruptedException {
        Bundle console = null;
        Bundle fileInstall = null;
        boolean etcInstaller = false;
        for (Bundle bundle : installed) {
            if (CONSOLE.equals(bundle.getSymbolicName())) {
                console = bundle;
            } else if (FILE_INSTALL.equals(bundle.getSymbolicName())) {
                fileInstall = bundle;
            } else if (bundle.getHeaders().get(Constants.FRAGMENT_HOST) == null) {
                etcInstaller |= DEPLOY.equals(bundle.getSymbolicName());
                bundle.start();
            }
        }
        if (fileInstall != null) {
            // FileInstall reads etc/ as soon as it starts: not before the installer that checks and gates those files
            if (etcInstaller && new Runtime(framework).awaitService(ETC_INSTALLER, COMMAND_WAIT_MS) == null) {
                throw new BundleException("the etc/ installer of " + DEPLOY + " did not start within 30 s; see the log");
            }
            fileInstall.start();
        }
        if (console != null) {
            // The console reads commands (maybe from a pipe) as soon as it starts: not before ours exist.
            new Runtime(framework).awaitService(TRADE_COMMANDS, COMMAND_WAIT_MS);
            console.start();
        }
    }

    private static void stopQuietly(Framework framework) {
        try {
            framework.stop();
            framework.waitForStop(10_000);
        } catch (BundleException | InterruptedException ignored) {
            // the start failure is the error to report
        }
    }

    /** @return the system bundle's context */
    public BundleContext context() {
        return framework.getBundleContext();
    }

    /**
     * Waits for a service.
     *
     * @param filter    an LDAP filter (OSGi Core R8, 3.2.7)
     * @param timeoutMs how long to wait
     * @return the service object, or null after the timeout
     * @throws InterruptedException if interrupted
     */
    public Object awaitService(String filter, long timeoutMs) throws InterruptedException {
        ServiceTracker<Object, Object> tracker;
        try {
            tracker = new ServiceTracker<>(context(), FrameworkUtil.createFilter(filter), null);
        } catch (InvalidSyntaxException e) {
            throw new IllegalArgumentException("bad filter " + filter, e);
        }
        tracker.open(true);
        try {
            return tracker.waitForService(timeoutMs);
        } finally {
            tracker.close();
        }
    }

    /**
     * Runs one Gogo command line, e.g. {@code trade:positions}.
     *
     * @param command the command line
     * @param out     where the command prints
     * @return the command's result (what Gogo would print), or null
     * @throws Exception whatever the command threw
     */
    public Object execute(String command, PrintStream out) throws Exception {
        if (awaitService(TRADE_COMMANDS, COMMAND_WAIT_MS) == null) {
            throw new IllegalStateException("the trade commands did not start within 30 s; see the errors above");
        }
        ServiceReference<?> ref = context().getServiceReference(COMMAND_PROCESSOR);
        if (ref == null) {
            throw new IllegalStateException("the Gogo shell runtime is not running");
        }
        Object processor = context().getService(ref);
        try {
            Class<?> processorType = ref.getBundle().loadClass(COMMAND_PROCESSOR);
            Method create = processorType.getMethod("createSession", InputStream.class, java.io.OutputStream.class,
                    java.io.OutputStream.class);
            Object session = create.invoke(processor, InputStream.nullInputStream(), out, STANDARD_ERROR);
            Class<?> sessionType = ref.getBundle().loadClass("org.apache.felix.service.command.CommandSession");
            try {
                return sessionType.getMethod("execute", CharSequence.class).invoke(session, command);
            } catch (InvocationTargetException e) {
                throw e.getCause() instanceof Exception x ? x : new RuntimeException(e.getCause());
            } finally {
                sessionType.getMethod("close").invoke(session);
            }
        } finally {
            context().ungetService(ref);
        }
    }

    /**
     * Waits until the framework stops by itself (the shell's {@code stop 0} or {@code exit}).
     *
     * @throws InterruptedException if interrupted
     */
    public void awaitStop() throws InterruptedException {
        framework.waitForStop(0);
    }

    @Override
    public void close() {
        stopQuietly(framework);
    }
}
