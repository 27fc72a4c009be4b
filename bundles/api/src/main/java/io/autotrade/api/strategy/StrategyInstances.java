package io.autotrade.api.strategy;

import io.autotrade.api.trading.Market;
import java.util.List;

/**
 * Why configured strategy instances do not trade (the core's check, read by {@code trade:status} and
 * {@code GET /api/v1/status}): a configuration the strategy's metatype refuses, no market, an instance that did not
 * start, or no exchange serving the market's quote currency.
 */
public interface StrategyInstances {

    /**
     * A configured instance that cannot trade.
     *
     * @param pid    its configuration PID, {@code factoryPid~name}
     * @param reason why, in words
     */
    record Problem(String pid, String reason) {
    }

    /** @return one problem per configured instance (factory PIDs under {@code io.autotrade.strategy.}) that cannot trade */
    List<Problem> problems();

    /**
     * @param market a market
     * @return why no running exchange trades it (none runs; the paper exchange holds no balance in its quote currency), or
     *         null when one does
     */
    String marketProblem(Market market);
}
