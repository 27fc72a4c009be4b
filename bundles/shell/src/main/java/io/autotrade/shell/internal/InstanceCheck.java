package io.autotrade.shell.internal;

import io.autotrade.api.config.SettingsCheck;
import io.autotrade.api.exchange.Exchange;
import io.autotrade.api.strategy.Strategy;
import io.autotrade.api.trading.Market;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Dictionary;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.osgi.framework.BundleContext;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.framework.ServiceReference;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;

/**
 * Tells why a configured strategy instance does not trade: its configuration is refused by the
 * strategy's metatype, it did not start, or no exchange serves its market (the paper exchange holds no
 * balance in its quote currency).
 */
final class InstanceCheck {
    static final String STRATEGY_PIDS = "io.autotrade.strategy.";
    private static final String PAPER = "paper";

    private InstanceCheck() {
    }

    /** A configured instance that cannot trade: its configuration PID and the reason. */
    record Problem(String pid, String reason) {
    }

    /**
     * @param configAdmin the configurations
     * @param check       the metatype check, or null when none runs
     * @param running     the strategy services
     * @param exchanges   the exchange services
     * @return one problem per instance that cannot trade, by PID
     */
    static List<Problem> problems(ConfigurationAdmin configAdmin, SettingsCheck check, List<Strategy> running,
            List<Exchange> exchanges) {
        List<Problem> problems = new ArrayList<>();
        for (Configuration c : strategyConfigurations(configAdmin)) {
            Map<String, Object> properties = properties(c.getProperties());
            String pid = c.getPid().contains("~") ? c.getPid() : c.getFactoryPid() + "~" + c.getPid();
            String reason = reason(c.getFactoryPid(), properties, check, running, exchanges);
            if (reason != null) {
                problems.add(new Problem(pid, reason));
            }
        }
        return problems;
    }

    private static String reason(String factoryPid, Map<String, Object> properties, SettingsCheck check,
            List<Strategy> running, List<Exchange> exchanges) {
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
        String quoteProblem = quoteProblem(market, exchanges);
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
     * Looks the exchanges up when asked rather than holding them: a backtest replaces the paper exchange's
     * configuration, and a held reference would be bound to a service on its way out.
     *
     * @param context a bundle context
     * @return the exchanges running now
     */
    static List<Exchange> exchanges(BundleContext context) {
        List<Exchange> list = new ArrayList<>();
        try {
            for (ServiceReference<Exchange> ref : context.getServiceReferences(Exchange.class, null)) {
                Exchange e = context.getService(ref);
                if (e != null) {
                    list.add(e);
                    context.ungetService(ref);
                }
            }
        } catch (InvalidSyntaxException | IllegalStateException e) {
            // no filter given; a stopping bundle has no exchanges to show
        }
        return list;
    }

    /**
     * @param market    a market
     * @param exchanges the exchange services
     * @return why no exchange can trade the market, or null when one holds its quote currency
     */
    static String quoteProblem(Market market, List<Exchange> exchanges) {
        if (exchanges.isEmpty()) {
            return "no exchange is running";
        }
        for (Exchange e : exchanges) {
            // only the paper exchange's balances are asked: they are in memory (a live exchange's would be a
            // request to the exchange, and a live exchange serves its quote currencies whatever the balance)
            if (!PAPER.equals(e.id()) || e.balances().containsKey(market.quote())) {
                return null;
            }
        }
        return "no exchange holds " + market.quote() + ", the quote currency of " + market
                + " (paper: add it to initial.balances of io.autotrade.exchange.paper)";
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
