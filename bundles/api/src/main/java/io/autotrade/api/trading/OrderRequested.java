package io.autotrade.api.trading;

import static io.autotrade.api.trading.Decimals.required;
import static io.autotrade.api.trading.Decimals.text;

import io.autotrade.api.event.EventKind;
import io.autotrade.api.event.EventPayload;
import io.autotrade.api.event.Priority;
import io.autotrade.api.event.Topics;

/**
 * The order manager created an order (state {@link OrderState#REQUESTED}).
 *
 * @param orderId    our client order id
 * @param strategyId the strategy that asked for it
 * @param order      what to trade
 */
public record OrderRequested(ClientOrderId orderId, String strategyId, OrderSpec order)
        implements EventPayload, MarketScoped, StrategyScoped {
    /** Type {@code order.requested}, topic {@link Topics#ORDER_REQUESTED}, trading lane, durable. */
    public static final EventKind KIND = new EventKind("order.requested", 1, Topics.ORDER_REQUESTED,
            Priority.CRITICAL_TRADING, true, OrderRequested.class);

    /** @throws IllegalArgumentException if a field is missing */
    public OrderRequested {
        required(orderId, "order id");
        text(strategyId, "strategy id");
        required(order, "order");
    }

    @Override
    public EventKind kind() {
        return KIND;
    }

    @Override
    public String aggregateId() {
        return orderId.value();
    }

    @Override
    public Market market() {
        return order.market();
    }
}
