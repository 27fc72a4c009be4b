package io.autotrade.api.config;

import java.util.List;
import java.util.Map;

/**
 * The trade-safe way to change a configuration or a bundle (DESIGN "Trading state and trade-safe changes"): a
 * change whose scope is TRADING (an order in flight that it could affect) is held and applied, in
 * arrival order, when that scope returns to IDLE; a strategy's own configuration waits only for that
 * strategy's orders, anything else for all orders.
 */
public interface ConfigGate {
    /**
     * Keys whose values are secrets ({@code secret.key}, {@code access.key}, passwords, tokens): the gate
     * never stores their values in an event and nothing shows them; they read as {@link #MASK}.
     */
    java.util.regex.Pattern SECRET_KEYS = java.util.regex.Pattern.compile("(?i).*(secret|password|passwd|token|private|access[._-]?key).*");

    /** What a secret value is stored and shown as. */
    String MASK = "****";

    /** How a request treats an order in flight. */
    enum Mode {
        /** Hold the change until its scope is IDLE. */
        WAIT,
        /** Refuse the change if its scope is not IDLE now ({@code can.wait=false}). */
        NO_WAIT,
        /** Apply it at once whatever the state, and log that it was forced. */
        FORCE
    }

    /**
     * What became of a request.
     *
     * @param changeId   the change's id
     * @param applied    {@code true} if it was handed to ConfigAdmin now, {@code false} if it is held
     * @param scope      the trading state it waits for
     * @param waitingFor the orders it waits for (empty when applied)
     */
    record Result(String changeId, boolean applied, String scope, List<String> waitingFor) {
        /** Copies the list. */
        public Result {
            waitingFor = List.copyOf(waitingFor);
        }
    }

    /**
     * Requests a change: sets the properties on the PID's configuration (creating it if absent).
     *
     * @param pid        a configuration PID, or a factory configuration's full PID ({@code factoryPid~name})
     * @param properties keys and values (text)
     * @param mode       wait, refuse, or force while its scope is TRADING
     * @param source     where it came from, for the record ({@code shell}, ...)
     * @return applied now, or held and for which orders
     * @throws IllegalStateException    in {@link Mode#NO_WAIT} while its scope is TRADING (the message names the orders)
     * @throws IllegalArgumentException if the PID or a property is blank
     */
    Result request(String pid, Map<String, String> properties, Mode mode, String source);

    /**
     * Requests a bundle change (OSGi Core 4.4, bundle life cycle). An install starts a new bundle at
     * once: it touches nothing that runs. An update or removal of an installed bundle waits for every
     * order (scope {@code global}), because the bundle's code may be handling one; when applied, the
     * bundle is updated or uninstalled and the framework's wiring refreshed. The outcome is a stored
     * {@link BundleChangeApplied}.
     *
     * @param operation install, update or uninstall
     * @param location  the bundle's location: an installed bundle's for update and uninstall, the new one's for install
     * @param artifact  the jar to install or update from ({@code file:} URI), or {@code null} for an uninstall
     * @param mode      wait, refuse, or force while trading
     * @param source    where it came from, for the record ({@code deploy/<file>}, {@code shell})
     * @return applied now, or held and for which orders
     * @throws IllegalStateException    in {@link Mode#NO_WAIT} while trading, or if the change failed when applied at once
     *                                  (the framework's reason)
     * @throws IllegalArgumentException if no bundle is installed at the location (update, uninstall), the artifact is
     *                                  missing or is not a bundle
     */
    Result requestBundle(BundleOperation operation, String location, String artifact, Mode mode, String source);

    /** @return the held changes, configuration and bundle changes together, oldest first */
    List<PendingChange> pending();
}
