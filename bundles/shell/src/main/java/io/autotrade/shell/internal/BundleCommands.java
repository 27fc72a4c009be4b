package io.autotrade.shell.internal;

import io.autotrade.api.config.BundleOperation;
import io.autotrade.api.config.ConfigGate;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.apache.felix.service.command.Descriptor;
import org.apache.felix.service.command.Parameter;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/**
 * Gogo command {@code trade:bundle}: installs, updates or removes a strategy, exchange or manager
 * bundle through the core's gate, so an update or removal waits until no order is in flight (Felix's
 * own {@code felix:update} and {@code felix:uninstall} do not wait).
 */
@Component(service = BundleCommands.class, property = {"osgi.command.scope=trade", "osgi.command.function=bundle"})
public class BundleCommands {
    private final ConfigGate gate;
    private final BundleContext context;

    /**
     * @param context to find bundles by id or symbolic name
     * @param gate    the core's gate
     */
    @Activate
    public BundleCommands(BundleContext context, @Reference ConfigGate gate) {
        this.context = context;
        this.gate = gate;
    }

    /**
     * @param noWait    refuse instead of holding while an order is in flight
     * @param force     carry it out at once even with orders in flight (logged)
     * @param operation {@code install}, {@code update} or {@code uninstall}
     * @param args      for install: the jar; for update: the bundle (id, symbolic name or location) and the jar;
     *                  for uninstall: the bundle
     * @return done, held (and for which orders) or refused, with the reason
     */
    @Descriptor("install, update or uninstall a bundle; an update or removal is held while any order is in flight")
    public String bundle(
            @Descriptor("refuse instead of waiting while trading") @Parameter(names = "--no-wait", presentValue = "true", absentValue = "false") boolean noWait,
            @Descriptor("carry it out at once even while trading (logged)") @Parameter(names = "--force", presentValue = "true", absentValue = "false") boolean force,
            @Descriptor("install | update | uninstall") String operation,
            @Descriptor("install JAR | update BUNDLE JAR | uninstall BUNDLE (BUNDLE: id, symbolic name or location)") String... args) {
        if (noWait && force) {
            throw new IllegalArgumentException("--no-wait and --force contradict each other");
        }
        BundleOperation op;
        try {
            op = BundleOperation.valueOf(operation.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            return "unknown operation '" + operation + "': use install, update or uninstall";
        }
        int wanted = op == BundleOperation.UPDATE ? 2 : 1;
        if (args.length != wanted) {
            return "usage: trade:bundle [--no-wait|--force] install JAR | update BUNDLE JAR | uninstall BUNDLE";
        }
        String artifact = op == BundleOperation.UNINSTALL ? null : jar(args[wanted - 1]);
        String location = op == BundleOperation.INSTALL ? artifact : find(args[0]).getLocation();
        ConfigGate.Mode mode = force ? ConfigGate.Mode.FORCE : noWait ? ConfigGate.Mode.NO_WAIT : ConfigGate.Mode.WAIT;
        String what = op.name().toLowerCase(Locale.ROOT) + " " + (op == BundleOperation.INSTALL ? artifact : args[0]);
        try {
            ConfigGate.Result r = gate.requestBundle(op, location, artifact, mode, "shell");
            return r.applied() ? "done: " + what + (force ? " (forced)" : "") + " [change " + r.changeId() + "]"
                    : "held: " + what + " until no order is in flight (orders: " + String.join(", ", r.waitingFor())
                            + ") [change " + r.changeId() + "]";
        } catch (IllegalStateException refused) {
            return "bundle change " + refused.getMessage();
        }
    }

    /** @return the jar's {@code file:} URI */
    private static String jar(String path) {
        Path p = path.startsWith("file:") ? Path.of(java.net.URI.create(path)) : Path.of(path);
        if (!Files.isRegularFile(p)) {
            throw new IllegalArgumentException("no jar at " + path);
        }
        return p.toAbsolutePath().toUri().toString();
    }

    private Bundle find(String name) {
        List<Bundle> all = Arrays.asList(context.getBundles());
        if (name.matches("\\d+")) {
            Bundle b = context.getBundle(Long.parseLong(name));
            if (b != null) {
                return b;
            }
        }
        return all.stream().filter(b -> name.equals(b.getSymbolicName()) || name.equals(b.getLocation()))
                .max((a, b) -> a.getVersion().compareTo(b.getVersion()))
                .orElseThrow(() -> new IllegalArgumentException("no bundle with id, symbolic name or location '" + name + "'"));
    }
}
