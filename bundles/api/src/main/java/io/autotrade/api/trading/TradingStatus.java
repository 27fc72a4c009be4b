package io.autotrade.api.trading;

import java.util.List;

/**
 * The current trading state, kept by the core: globally (scope {@value #GLOBAL}) and per strategy instance
 * (scope = its strategy id), so a change that touches one strategy waits only for that strategy's orders.
 * Orders in flight are the order blotter's ({@code io.autotrade.api.portfolio.OrderBlotter}, the one view of
 * them); {@code HALTED} is the kill switch's.
 */
public interface TradingStatus {
    /** The scope of the whole runtime. */
    String GLOBAL = "global";

    /** @return the global trading state */
    TradingState state();

    /** @return client order ids of the orders in flight, in the order they were requested */
    List<String> openOrders();

    /**
     * @param scope {@value #GLOBAL} or a strategy id
     * @return HALTED while trading is halted; else TRADING while the scope has an order in flight, else IDLE
     */
    TradingState state(String scope);

    /**
     * @param scope {@value #GLOBAL} or a strategy id
     * @return client order ids in flight in that scope, in the order they were requested
     */
    List<String> openOrders(String scope);
}
