package io.autotrade.api.trading;

import java.util.List;

/** The current trading state, kept by the core from order events. */
public interface TradingStatus {

    /** @return the global trading state */
    TradingState state();

    /** @return client order ids of the orders in flight, in the order they were requested */
    List<String> openOrders();
}
