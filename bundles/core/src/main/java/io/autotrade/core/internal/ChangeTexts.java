package io.autotrade.core.internal;

import io.autotrade.api.config.ConfigChangeRequested;
import io.autotrade.api.config.ConfigGate;
import io.autotrade.api.event.DomainEvent;
import java.io.IOException;
import java.lang.reflect.Array;
import java.util.ArrayList;
import java.util.Dictionary;
import java.util.Enumeration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.osgi.framework.Constants;
import org.osgi.service.cm.ConfigurationAdmin;

/**
 * How the change gate reads and writes configurations and changes as text: the content of a configuration
 * without ConfigAdmin's and FileInstall's bookkeeping, values as comparable text, secret values masked in
 * what is stored and shown, where a change came from, and a bundle jar's symbolic name.
 */
final class ChangeTexts {
    /** Keys ConfigAdmin and FileInstall add to a configuration: not part of what a change compares. */
    private static final Set<String> BOOKKEEPING = Set.of(Constants.SERVICE_PID, ConfigurationAdmin.SERVICE_FACTORYPID,
            ConfigurationAdmin.SERVICE_BUNDLELOCATION, "felix.fileinstall.filename");

    private ChangeTexts() {
    }

    /**
     * @return {@code etc/<file>} for a configuration FileInstall read from a file ({@code .config} files,
     *         which it gives ConfigAdmin itself, marked with {@code felix.fileinstall.filename}), else
     *         {@value ChangeGate#CONFIGADMIN_SOURCE}
     */
    static String sourceOf(Dictionary<String, Object> properties) {
        Object file = properties.get("felix.fileinstall.filename");
        if (file == null) {
            return ChangeGate.CONFIGADMIN_SOURCE;
        }
        String name = file.toString();
        return "etc/" + name.substring(name.lastIndexOf('/') + 1);
    }

    /**
     * @return the request as it is stored and shown: secret values ({@link ConfigGate#SECRET_KEYS} keys such as
     *         {@code secret.key}, {@code password}) replaced by {@value ConfigGate#MASK}; the gate applies the real
     *         value it holds in memory, and after a restart asks for it again (logged)
     */
    static DomainEvent<ConfigChangeRequested> recorded(DomainEvent<ConfigChangeRequested> requested) {
        ConfigChangeRequested c = requested.payload();
        return c.properties().equals(masked(c.properties())) ? requested
                : DomainEvent.of(masked(c), requested.occurredAt(), requested.eventId());
    }

    static ConfigChangeRequested masked(ConfigChangeRequested c) {
        return new ConfigChangeRequested(c.changeId(), c.pid(), masked(c.properties()), c.scope(), c.source());
    }

    /** @return the properties with each secret value replaced by {@value ConfigGate#MASK} */
    static Map<String, String> masked(Map<String, String> properties) {
        Map<String, String> out = new TreeMap<>(properties);
        out.replaceAll((k, v) -> ConfigGate.SECRET_KEYS.matcher(k).matches() ? ConfigGate.MASK : v);
        return out;
    }

    /**
     * @param artifact a jar's {@code file:} URI
     * @return its {@code Bundle-SymbolicName}, without directives
     * @throws IllegalArgumentException if it cannot be read or is not a bundle
     */
    static String symbolicNameOf(String artifact) {
        if (artifact == null || artifact.isBlank()) {
            throw new IllegalArgumentException("a bundle install or update needs the jar to install from");
        }
        String name;
        try (java.util.jar.JarFile jar = new java.util.jar.JarFile(java.nio.file.Path.of(java.net.URI.create(artifact)).toFile())) {
            java.util.jar.Manifest manifest = jar.getManifest();
            name = manifest == null ? null : manifest.getMainAttributes().getValue(Constants.BUNDLE_SYMBOLICNAME);
        } catch (IOException | RuntimeException e) {
            throw new IllegalArgumentException("cannot read the jar " + artifact + ": " + e.getMessage(), e);
        }
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException(artifact + " is not an OSGi bundle: its manifest has no Bundle-SymbolicName");
        }
        return name.split(";")[0].strip();
    }

    /** @return the properties without ConfigAdmin's and FileInstall's bookkeeping keys */
    static Map<String, Object> content(Dictionary<String, Object> properties) {
        Map<String, Object> out = new java.util.HashMap<>();
        for (Enumeration<String> keys = properties.keys(); keys.hasMoreElements();) {
            String k = keys.nextElement();
            if (!BOOKKEEPING.contains(k)) {
                out.put(k, properties.get(k));
            }
        }
        return out;
    }

    /** @return each value as text (arrays and collections element by element), to compare typed and text values */
    static Map<String, String> text(Map<String, Object> content) {
        Map<String, String> out = new TreeMap<>();
        content.forEach((k, v) -> out.put(k, text(v)));
        return out;
    }

    static String text(Object value) {
        if (value != null && value.getClass().isArray()) {
            List<String> items = new ArrayList<>();
            for (int i = 0; i < Array.getLength(value); i++) {
                items.add(String.valueOf(Array.get(value, i)));
            }
            return String.join(",", items);
        }
        if (value instanceof java.util.Collection<?> c) {
            return String.join(",", c.stream().map(String::valueOf).toList());
        }
        return String.valueOf(value);
    }
}
