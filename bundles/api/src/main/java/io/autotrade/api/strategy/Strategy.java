package io.autotrade.api.strategy;

import io.autotrade.api.trading.Market;
import java.util.Map;

/**
 * A running strategy instance. A strategy component registers this service (with the service
 * properties {@value #STRATEGY_ID} and {@value #MARKET}) next to the EventAdmin handler through which
 * it receives candles, and publishes {@code SignalGenerated} events through the bus.
 */
public interface Strategy {
    /** Service property: the strategy instance id. */
    String STRATEGY_ID = "strategy.id";
    /** Service property: the market code it trades. */
    String MARKET = "market";

    /** @return the instance id, unique in the runtime, e.g. {@code rsi-KRW-BTC} */
    String id();

    /** @return the market it trades */
    Market market();

    /** @return its effective settings by name, for display */
    Map<String, String> settings();

    /**
     * The id a strategy instance runs under; the configuration gate uses it too, as the scope of the
     * instance's own configuration changes.
     *
     * @param kind         the strategy's kind, e.g. {@code rsi}
     * @param configuredId its configured {@code strategy.id}, or blank/null
     * @param market       its market code
     * @return the configured id, else {@code <kind>-<market>}, e.g. {@code rsi-KRW-BTC}
     */
    static String instanceId(String kind, String configuredId, String market) {
        return configuredId == null || configuredId.isBlank() ? kind + "-" + market : configuredId;
    }
}
