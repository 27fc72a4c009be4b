package io.autotrade.api.trading;

/**
 * A payload caused by one strategy; the bus then sets the {@code strategy.id} event property so a
 * strategy can filter for the outcome of its own orders.
 */
public interface StrategyScoped {
    /** @return the id of the strategy instance */
    String strategyId();
}
