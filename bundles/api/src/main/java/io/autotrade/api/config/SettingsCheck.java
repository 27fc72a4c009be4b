package io.autotrade.api.config;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Checks configuration properties against the settings a component declares in its metatype (OSGi
 * Compendium 105, Metatype Service), so that a misspelt key or a malformed value is refused with a
 * clear sentence instead of being ignored or failing the component later. One implementation serves
 * {@code trade:config}, {@code etc/} files, backtests and {@code trade:status}.
 */
public interface SettingsCheck {

    /**
     * @param pid a PID, or a factory configuration's {@code factoryPid~name}
     * @return the ids of the settings the PID's metatype declares (e.g. {@code period}, {@code order.amount}),
     *         sorted; empty when no bundle declares a metatype for it
     */
    Optional<List<String>> settings(String pid);

    /**
     * @param prefix a PID prefix, e.g. {@code io.autotrade.strategy.}
     * @return the factory PIDs with a metatype that start with the prefix, sorted
     */
    List<String> factoryPids(String prefix);

    /**
     * Names what is wrong with properties meant for a PID: a key its metatype does not declare, a value
     * the declared type or range refuses. Keys of the framework and of ConfigAdmin ({@code service.*},
     * {@code component.*}, {@code felix.*}) are not checked; a PID without a metatype passes.
     *
     * @param pid        a PID or {@code factoryPid~name}
     * @param properties the keys and values (text) to check
     * @param complete   {@code true} when the properties are the whole configuration, so a required
     *                   setting that is missing is a problem too
     * @return one sentence per problem, each naming the key; empty when all is well
     */
    List<String> problems(String pid, Map<String, ?> properties, boolean complete);
}
