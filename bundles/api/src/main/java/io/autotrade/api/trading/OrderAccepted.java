package io.autotrade.api.trading;

import static io.autotrade.api.trading.Decimals.required;
import static io.autotrade.api.trading.Decimals.text;

import io.autotrade.api.event.EventKind;
import io.autotrade.api.event.EventPayload;
import io.autotrade.api.event.Priority;
import io.autotrade.api.event.Topics;

/**
 * The exchange accepted the order (state {@link OrderState#ACCEPTED}, Upbit {@code state=wait}).
 *
 * @param orderId      our client order id
 * @param strategyId   the strategy that asked for it
 * @param market       the market
 * @param venueOrderId the exchange's own id of the order (Upbit {@code uuid})
 */
public record OrderAccepted(ClientOrderId orderId, String strategyId, Market market, String venueOrderId)
        implements EventPayload, MarketScoped, StrategyScoped {
    /** Type {@code order.accepted}, topic {@link Topics#ORDER_ACCEPTED}, trading lane, durable. */
    public static final EventKind KIND = new EventKind("order.accepted", 1, Topics.ORDER_ACCEPTED,
            Priority.CRITICAL_TRADING, true, OrderAccepted.class);

    /** @throws IllegalArgumentException if a field is missing */
    public OrderAccepted {
        required(orderId, "order id");
        text(strategyId, "strategy id");
        required(market, "market");
        text(venueOrderId, "venue order id");
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
