package io.autotrade.deploy.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Dictionary;
import java.util.Hashtable;
import org.osgi.framework.BundleContext;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.log.Logger;
import org.osgi.service.log.LoggerFactory;

/**
 * Makes Felix FileInstall watch the runtime's {@code deploy/} folder besides {@code etc/}: a factory
 * configuration of FileInstall ({@code org.apache.felix.fileinstall~deploy}, one watcher per
 * configuration). The folder is the framework property {@value #DEPLOY_DIR}, else {@code deploy/} in
 * the data folder ({@code autotrade.data.dir}), else beside the {@code etc/} folder. Jars dropped there
 * go through {@link JarInstaller}.
 */
@Component(immediate = true)
public class DeployFolder {
    /** Framework property naming the deploy folder. */
    static final String DEPLOY_DIR = "autotrade.deploy.dir";
    /** FileInstall's factory PID: each configuration is one more watched folder. */
    static final String FILEINSTALL_FACTORY = "org.apache.felix.fileinstall";

    /**
     * @param context       framework properties
     * @param configAdmin   where FileInstall's watcher configuration goes
     * @param loggerFactory for the folder watched
     * @throws IOException if the folder cannot be created or the configuration written
     */
    @Activate
    public DeployFolder(BundleContext context, @Reference ConfigurationAdmin configAdmin,
            @Reference LoggerFactory loggerFactory) throws IOException {
        Logger logger = loggerFactory.getLogger(DeployFolder.class);
        Path dir = folder(context.getProperty(DEPLOY_DIR), context.getProperty("autotrade.data.dir"),
                context.getProperty("felix.fileinstall.dir"));
        Files.createDirectories(dir);
        Configuration c = configAdmin.getFactoryConfiguration(FILEINSTALL_FACTORY, "deploy", "?");
        Dictionary<String, Object> props = new Hashtable<>();
        props.put("felix.fileinstall.dir", dir.toString());
        String poll = context.getProperty("felix.fileinstall.poll");
        props.put("felix.fileinstall.poll", poll == null ? "1000" : poll);
        props.put("felix.fileinstall.noInitialDelay", "true");
        Dictionary<String, Object> now = c.getProperties();
        if (now == null || !dir.toString().equals(now.get("felix.fileinstall.dir"))) {
            c.update(props);
        }
        logger.info("watching {} for bundle jars", dir);
    }

    /**
     * @param deployDir the {@value #DEPLOY_DIR} property, or null
     * @param dataDir   the data folder, or null
     * @param etcDir    FileInstall's own folder, or null
     * @return the deploy folder, absolute
     */
    static Path folder(String deployDir, String dataDir, String etcDir) {
        if (deployDir != null && !deployDir.isBlank()) {
            return Path.of(deployDir).toAbsolutePath();
        }
        if (dataDir != null && !dataDir.isBlank()) {
            return Path.of(dataDir).resolve("deploy").toAbsolutePath();
        }
        Path etc = Path.of(etcDir == null || etcDir.isBlank() ? "etc" : etcDir).toAbsolutePath();
        return etc.resolveSibling("deploy");
    }
}
