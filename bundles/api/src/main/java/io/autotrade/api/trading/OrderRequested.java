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
 * @param exit       the protective exit this order is (from its signal), or null. Added December 2026: stored
 *                   requests from before decode with it null.
 */
public record OrderRequested(ClientOrderId orderId, String strategyId, OrderSpec order, Exit exit)
        implements EventPayload, MarketScoped, StrategyScoped {
    /** Type {@code order.requested}, topic {@link Topics#ORDER_REQUESTED}, trading lane, durable. */
    public static final EventKind KIND = new EventKind("order.requested", 1, Topics.ORDER_REQUESTED,
            Priority.CRITICAL_TRADING, true, OrderRequested.class);

    /** @throws IllegalArgumentException if a field is missing, or an exit is not a sell */
    public OrderRequested {
        required(orderId, "order id");
        text(strategyId, "strategy id");
        required(order, "order");
        if (exit != null && order.side() != Side.ASK) {
            throw new IllegalArgumentException("an exit sells: order " + orderId);
        }
    }

    /**
     * An order that is no protective exit.
     *
     * @param orderId    our client order id
     * @param strategyId the strategy that asked for it
     * @param order      what to trade
     */
    public OrderRequested(ClientOrderId orderId, String strategyId, OrderSpec order) {
        this(orderId, strategyId, order, null);
    }

    /** @return why this order closes a position: its exit's reason, else {@link ExitReason#SIGNAL} for a sell, else null */
    public ExitReason exitReason() {
        return ExitReason.of(exit, order.side());
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
