package io.autotrade.api.trading;

import static io.autotrade.api.trading.Decimals.required;
import static io.autotrade.api.trading.Decimals.text;

import io.autotrade.api.event.EventKind;
import io.autotrade.api.event.EventPayload;
import io.autotrade.api.event.Priority;
import io.autotrade.api.event.Topics;

/**
 * The order was canceled; what had filled stays filled (Upbit {@code state=cancel}).
 *
 * @param orderId    our client order id
 * @param strategyId the strategy that asked for it
 * @param market     the market
 * @param reason     why, for people
 */
public record OrderCanceled(ClientOrderId orderId, String strategyId, Market market, String reason)
        implements EventPayload, MarketScoped, StrategyScoped {
    /** Type {@code order.canceled}, topic {@link Topics#ORDER_CANCELED}, trading lane, durable. */
    public static final EventKind KIND = new EventKind("order.canceled", 1, Topics.ORDER_CANCELED,
            Priority.CRITICAL_TRADING, true, OrderCanceled.class);

    /** @throws IllegalArgumentException if a field is missing */
    public OrderCanceled {
        required(orderId, "order id");
        text(strategyId, "strategy id");
        required(market, "market");
        text(reason, "reason");
    }

    @Override
    public EventKind kind() {
        return KIND;
    }

    @Override
    public String aggregateId() {
        return orderId.value();
    }
}
