package io.autotrade.core.internal;

import io.autotrade.api.config.SettingsCheck;
import io.autotrade.api.exchange.Exchange;
import io.autotrade.api.strategy.Strategy;
import io.autotrade.api.strategy.StrategyInstances;
import io.autotrade.api.trading.Market;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Dictionary;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.Map;
import java.util.TreeMap;
import org.osgi.framework.BundleContext;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.framework.ServiceReference;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;

/**
 * {@link StrategyInstances}: tells why a configured strategy instance does not trade: its configuration is refused by
 * the strategy's metatype, it did not start, or no exchange serves its market (the paper exchange holds no balance in
 * its quote currency).
 */
@Component(service = StrategyInstances.class)
public class InstanceCheck implements StrategyInstances {
    static final String STRATEGY_PIDS = "io.autotrade.strategy.";
    private static final String PAPER = "paper";
    private final BundleContext context;
    private final ConfigurationAdmin configAdmin;
    private final SettingsCheck check;

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC)
    private final List<Strategy> running = new java.util.concurrent.CopyOnWriteArrayList<>();

    /**
     * @param context     to read the exchanges when asked
     * @param configAdmin the configurations
     * @param check       the metatype check
     */
    @Activate
    public InstanceCheck(BundleContext context, @Reference ConfigurationAdmin configAdmin, @Reference SettingsCheck check) {
        this.context = context;
        this.configAdmin = configAdmin;
        this.check = check;
    }

    @Override
    public List<Problem> problems() {
        return problems(configAdmin, check, List.copyOf(running), Served.read(context));
    }

    @Override
    public String marketProblem(Market market) {
        return Served.read(context).problem(market);
    }

    /**
     * @param configAdmin the configurations
     * @param check       the metatype check, or null when none runs
     * @param running     the strategy services
     * @param served      the quote currencies the exchanges trade
     * @return one problem per instance that cannot trade, by PID
     */
    static List<Problem> problems(ConfigurationAdmin configAdmin, SettingsCheck check, List<Strategy> running,
            Served served) {
        List<Problem> problems = new ArrayList<>();
        for (Configuration c : strategyConfigurations(configAdmin)) {
            Map<String, Object> properties = properties(c.getProperties());
            String pid = c.getPid().contains("~") ? c.getPid() : c.getFactoryPid() + "~" + c.getPid();
            String reason = reason(c.getFactoryPid(), properties, check, running, served);
            if (reason != null) {
                problems.add(new Problem(pid, reason));
            }
        }
        return problems;
    }

    private static String reason(String factoryPid, Map<String, Object> properties, SettingsCheck check,
            List<Strategy> running, Served served) {
        if (check != null) {
            List<String> refused = check.problems(factoryPid, properties, true);
            if (!refused.isEmpty()) {
                return "its configuration is refused: " + String.join("; ", refused);
            }
        }
        Object marketCode = properties.get("market");
        if (marketCode == null) {
            return "no market is set";
        }
        Market market;
        try {
            market = Market.of(String.valueOf(marketCode).strip());
        } catch (IllegalArgumentException e) {
            return e.getMessage();
        }
        String quoteProblem = served.problem(market);
        if (quoteProblem != null) {
            return quoteProblem;
        }
        String kind = factoryPid.substring(STRATEGY_PIDS.length());
        Object configuredId = properties.get("strategy.id");
        String id = configuredId == null || String.valueOf(configuredId).isBlank() ? kind + "-" + market.code()
                : String.valueOf(configuredId).strip();
        boolean runs = running.stream().anyMatch(s -> s.id().equals(id));
        return runs ? null : "instance " + id + " did not start (its bundle is stopped or it failed: see the log)";
    }

    /**
     * The quote currencies the running exchanges trade, read when asked (each service is used and released
     * at once): a backtest replaces the paper exchange's configuration, so a held reference would be bound to
     * a service on its way out. Only the paper exchange's balances are read; they are in memory, whereas a
     * live exchange's would be a request, and a live exchange trades its quote currencies whatever the balance.
     *
     * @param exchanges whether any exchange runs
     * @param anyQuote  whether a live exchange runs (it serves every quote currency)
     * @param held      the currencies the paper exchange holds
     */
    record Served(boolean exchanges, boolean anyQuote, Set<String> held) {
        static Served read(BundleContext context) {
            boolean any = false;
            boolean running = false;
            Set<String> held = new HashSet<>();
            try {
                for (ServiceReference<Exchange> ref : context.getServiceReferences(Exchange.class, null)) {
                    Exchange e = context.getService(ref);
                    if (e == null) {
                        continue;
                    }
                    try {
                        running = true;
                        if (PAPER.equals(e.id())) {
                            held.addAll(e.balances().keySet());
                        } else {
                            any = true;
                        }
                    } finally {
                        context.ungetService(ref);
                    }
                }
            } catch (InvalidSyntaxException | IllegalStateException e) {
                // no filter given; a stopping bundle has no exchanges to show
            }
            return new Served(running, any, Set.copyOf(held));
        }

        /** @return why no exchange can trade the market, or null when one serves its quote currency */
        String problem(Market market) {
            if (!exchanges) {
                return "no exchange is running";
            }
            if (anyQuote || held.contains(market.quote())) {
                return null;
            }
            return "no exchange holds " + market.quote() + ", the quote currency of " + market
                    + " (paper: add it to initial.balances of io.autotrade.exchange.paper)";
        }
    }

    private static List<Configuration> strategyConfigurations(ConfigurationAdmin configAdmin) {
        try {
            Configuration[] all = configAdmin.listConfigurations("(" + ConfigurationAdmin.SERVICE_FACTORYPID + "="
                    + STRATEGY_PIDS + "*)");
            List<Configuration> list = all == null ? new ArrayList<>() : new ArrayList<>(List.of(all));
            list.sort((a, b) -> a.getPid().compareTo(b.getPid()));
            return list;
        } catch (IOException | InvalidSyntaxException e) {
            return List.of();
        }
    }

    private static Map<String, Object> properties(Dictionary<String, Object> dictionary) {
        Map<String, Object> map = new TreeMap<>();
        if (dictionary != null) {
            for (String key : Collections.list(dictionary.keys())) {
                map.put(key, dictionary.get(key));
            }
        }
        return map;
    }
}
