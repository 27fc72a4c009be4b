package io.autotrade.shell.internal;

import io.autotrade.api.config.ConfigGate;
import io.autotrade.api.config.PendingChange;
import io.autotrade.api.strategy.StrategyInstances;
import io.autotrade.api.trading.Market;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.log.LoggerFactory;
import java.util.List;
import java.util.Map;
import org.apache.felix.service.command.Descriptor;
import org.apache.felix.service.command.Parameter;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/** Gogo commands {@code trade:config} and {@code trade:pending}: trade-safe configuration changes. */
@Component(service = ConfigCommands.class, property = {"osgi.command.scope=trade", "osgi.command.function=config",
        "osgi.command.function=pending"})
public class ConfigCommands {
    private final ConfigGate gate;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
    private volatile LoggerFactory loggers;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile StrategyInstances instances;

    /**
     * @param gate the core's configuration gate
     */
    @Activate
    public ConfigCommands(@Reference ConfigGate gate) {
        this.gate = gate;
    }

    /**
     * @param noWait refuse instead of holding while an order is in flight
     * @param force  apply at once even with orders in flight (logged)
     * @param pid    configuration PID ({@code factoryPid~name} for a factory configuration)
     * @param key    property key
     * @param value  property value
     * @return applied, held (and for which orders) or refused
     */
    @Descriptor("change a configuration property; held while an order it could affect is in flight (a strategy's own"
            + " configuration waits for its own orders only), applied when that ends")
    public String config(
            @Descriptor("refuse instead of waiting while trading") @Parameter(names = "--no-wait", presentValue = "true", absentValue = "false") boolean noWait,
            @Descriptor("apply at once even while trading (logged)") @Parameter(names = "--force", presentValue = "true", absentValue = "false") boolean force,
            @Descriptor("configuration PID") String pid,
            @Descriptor("property key") String key,
            @Descriptor("property value") String value) {
        if (noWait && force) {
            throw new IllegalArgumentException("--no-wait and --force contradict each other");
        }
        ConfigGate.Mode mode = force ? ConfigGate.Mode.FORCE : noWait ? ConfigGate.Mode.NO_WAIT : ConfigGate.Mode.WAIT;
        try {
            ConfigGate.Result r = gate.request(pid, Map.of(key, value), mode, "shell");
            String shown = ConfigGate.SECRET_KEYS.matcher(key).matches() ? ConfigGate.MASK : value;
            return warning(pid, key, value) + (r.applied() ? "applied " + pid + " " + key + "=" + shown + (force ? " (forced)" : "") + " [change " + r.changeId() + "]"
                    : "held " + pid + " " + key + "=" + shown + " until " + r.scope() + " is IDLE (orders in flight: "
                            + String.join(", ", r.waitingFor()) + ") [change " + r.changeId() + "]");
        } catch (IllegalStateException refused) {
            return "config change " + refused.getMessage();
        } catch (IllegalArgumentException refused) {
            return "refused: " + refused.getMessage();
        }
    }

    /**
     * @return a warning line (also logged) when a strategy instance is pointed at a market whose quote
     *         currency no exchange holds, else nothing
     */
    private String warning(String pid, String key, String value) {
        StrategyInstances check = instances;
        if (check == null || !pid.startsWith("io.autotrade.strategy.") || !key.equals("market")) {
            return "";
        }
        String problem;
        try {
            problem = check.marketProblem(Market.of(value.strip()));
        } catch (IllegalArgumentException e) {
            problem = e.getMessage();
        }
        if (problem == null) {
            return "";
        }
        String line = "warning: " + pid + " cannot trade: " + problem;
        LoggerFactory factory = loggers;
        if (factory != null) {
            factory.getLogger(ConfigCommands.class).info(line);
        }
        return line + System.lineSeparator();
    }

    /** @return the held changes */
    @Descriptor("list configuration and bundle changes held until their scope is IDLE, oldest first")
    public String pending() {
        List<PendingChange> held = gate.pending();
        Table t = new Table("change", "what", "waits for scope", "source");
        held.forEach(c -> t.row(c.changeId(), c.describe(), c.scope(), c.source()));
        return t.isEmpty() ? "no change is held" : t.toString();
    }
}
