package io.autotrade.deploy.internal;

import io.autotrade.api.config.ConfigGate;
import io.autotrade.api.config.SettingsCheck;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.felix.fileinstall.ArtifactInstaller;
import org.osgi.framework.Constants;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.log.Logger;
import org.osgi.service.log.LoggerFactory;

/**
 * Configuration files in the runtime's watched folder ({@code etc/}, Felix FileInstall) become
 * trade-safe changes: a {@code .cfg} file added or edited is handed to the core's {@link ConfigGate},
 * so it is held while an order it could affect is in flight and applied when that ends, exactly like
 * {@code trade:config}. FileInstall asks the installers it knows in order of service ranking; this
 * one ranks above FileInstall's own configuration installer, which would apply the file at once.
 *
 * <p>File names follow FileInstall: {@code <pid>.cfg}, or {@code <factoryPid>-<name>.cfg} (also
 * {@code <factoryPid>~<name>.cfg}) for a factory configuration. The content is a Java properties file;
 * values are text (Declarative Services converts them). A file with {@code can.wait = false} is refused
 * (logged) instead of held while its scope is TRADING. Deleting a file does not delete the
 * configuration (that is logged). {@code .config} files (FileInstall's typed format) are left to
 * FileInstall, which hands them to ConfigAdmin itself; the core gate's ConfigurationPlugin holds those
 * while trading, listed in {@code trade:pending} with the file's name.
 */
@Component(service = ArtifactInstaller.class, property = Constants.SERVICE_RANKING + ":Integer=100")
public class EtcInstaller implements ArtifactInstaller {
    /** A file's own key: {@code can.wait = false} refuses the change while trading instead of holding it (not applied). */
    static final String CAN_WAIT = "can.wait";
    private final ConfigGate gate;
    private final Logger logger;
    /** Mandatory: a file is never applied unchecked (FileInstall starts while the runtime is still coming up). */
    @Reference
    private SettingsCheck settings;

    /**
     * @param gate          the core's configuration gate
     * @param loggerFactory for held and refused files
     */
    @Activate
    public EtcInstaller(@Reference ConfigGate gate, @Reference LoggerFactory loggerFactory) {
        this.gate = gate;
        this.logger = loggerFactory.getLogger(EtcInstaller.class);
    }

    @Override
    public boolean canHandle(File artifact) {
        return artifact.getName().endsWith(".cfg");
    }

    @Override
    public void install(File artifact) throws IOException {
        request(artifact);
    }

    @Override
    public void update(File artifact) throws IOException {
        request(artifact);
    }

    @Override
    public void uninstall(File artifact) {
        logger.warn("{} was removed; its configuration {} stays as it is (delete it with ConfigAdmin if meant)",
                artifact, pid(artifact));
    }

    private void request(File artifact) throws IOException {
        Properties file = new Properties();
        try (InputStream in = Files.newInputStream(artifact.toPath())) {
            file.load(in);
        }
        Map<String, String> properties = new LinkedHashMap<>();
        file.stringPropertyNames().stream().sorted().forEach(k -> properties.put(k, file.getProperty(k).strip()));
        if (properties.isEmpty()) {
            logger.warn("{} sets no property; nothing to change", artifact);
            return;
        }
        String pid = pid(artifact);
        ConfigGate.Mode mode = mode(properties);
        if (properties.isEmpty()) {
            logger.warn("{} sets no property besides {}; nothing to change", artifact, CAN_WAIT);
            return;
        }
        List<String> problems = problems(artifact, pid, properties);
        if (!problems.isEmpty()) {
            logger.error("{} is not applied: {}", "etc/" + artifact.getName(), String.join("; ", problems));
            return;
        }
        ConfigGate.Result result;
        try {
            result = gate.request(pid, properties, mode, "etc/" + artifact.getName());
        } catch (IllegalStateException refused) {
            logger.error("{}: configuration {} {} ({} = false); edit the file again once trading is IDLE",
                    artifact.getName(), pid, refused.getMessage(), CAN_WAIT);
            return;
        }
        if (result.applied()) {
            logger.info("{}: configuration {} applied", artifact.getName(), pid);
        } else {
            logger.warn("{}: configuration {} held until {} is IDLE (orders in flight: {})", artifact.getName(), pid,
                    result.scope(), result.waitingFor());
        }
    }

    /** @return each setting the PID's metatype refuses, as {@code etc/FILE line N: problem} */
    private List<String> problems(File artifact, String pid, Map<String, String> properties) throws IOException {
        SettingsCheck check = settings;
        if (check == null) {
            return List.of();
        }
        List<String> lines = Files.readAllLines(artifact.toPath(), java.nio.charset.StandardCharsets.ISO_8859_1);
        List<String> problems = new ArrayList<>();
        properties.forEach((key, value) -> {
            for (String problem : check.problems(pid, Map.of(key, value), false)) {
                problems.add("etc/" + artifact.getName() + " line " + lineOf(lines, key) + ": " + problem);
            }
        });
        return problems;
    }

    /** @return the 1-based line that sets the key, or 0 when it cannot be told (a continued line) */
    static int lineOf(List<String> lines, String key) {
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).stripLeading();
            if (line.startsWith(key)) {
                String rest = line.substring(key.length()).stripLeading();
                if (rest.isEmpty() || rest.charAt(0) == '=' || rest.charAt(0) == ':') {
                    return i + 1;
                }
            }
        }
        return 0;
    }

    /**
     * Takes the file's {@value #CAN_WAIT} out of its properties: {@code false} refuses the change while
     * trading instead of holding it.
     *
     * @param properties the file's properties; {@value #CAN_WAIT} is removed
     * @return {@link ConfigGate.Mode#NO_WAIT} for {@code can.wait = false}, else {@link ConfigGate.Mode#WAIT}
     */
    static ConfigGate.Mode mode(Map<String, String> properties) {
        String canWait = properties.remove(CAN_WAIT);
        return "false".equalsIgnoreCase(canWait == null ? null : canWait.strip()) ? ConfigGate.Mode.NO_WAIT : ConfigGate.Mode.WAIT;
    }

    /** @return {@code pid}, or {@code factoryPid~name} for {@code factoryPid-name.cfg} and {@code factoryPid~name.cfg} */
    static String pid(File artifact) {
        String name = artifact.getName().substring(0, artifact.getName().length() - ".cfg".length());
        int tilde = name.indexOf('~');
        if (tilde > 0) {
            return name;
        }
        int dash = name.indexOf('-');
        return dash > 0 ? name.substring(0, dash) + "~" + name.substring(dash + 1) : name;
    }
}
