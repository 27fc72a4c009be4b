package io.autotrade.api.trading;

import static io.autotrade.api.trading.Decimals.required;
import static io.autotrade.api.trading.Decimals.text;

import io.autotrade.api.event.EventKind;
import io.autotrade.api.event.EventPayload;
import io.autotrade.api.event.Priority;
import io.autotrade.api.event.Topics;

/**
 * The order manager handed the order to an exchange (state {@link OrderState#SUBMITTED}); the
 * exchange's answer follows as {@link OrderAccepted} or {@link OrderRejected}.
 *
 * @param orderId    our client order id
 * @param strategyId the strategy that asked for it
 * @param market     the market
 * @param exchangeId the exchange it went to, e.g. {@code paper} or {@code upbit}
 */
public record OrderSubmitted(ClientOrderId orderId, String strategyId, Market market, String exchangeId)
        implements EventPayload, MarketScoped, StrategyScoped {
    /** Type {@code order.submitted}, topic {@link Topics#ORDER_SUBMITTED}, trading lane, durable. */
    public static final EventKind KIND = new EventKind("order.submitted", 1, Topics.ORDER_SUBMITTED,
            Priority.CRITICAL_TRADING, true, OrderSubmitted.class);

    /** @throws IllegalArgumentException if a field is missing */
    public OrderSubmitted {
        required(orderId, "order id");
        text(strategyId, "strategy id");
        required(market, "market");
        text(exchangeId, "exchange id");
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
