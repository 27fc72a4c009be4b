package io.autotrade.api.trading;

import static io.autotrade.api.trading.Decimals.required;
import static io.autotrade.api.trading.Decimals.text;

import io.autotrade.api.event.EventKind;
import io.autotrade.api.event.EventPayload;
import io.autotrade.api.event.Priority;
import io.autotrade.api.event.Topics;

/**
 * The order was refused before anything filled, by the exchange or by a pre-trade check.
 *
 * @param orderId    our client order id
 * @param strategyId the strategy that asked for it
 * @param market     the market
 * @param code       a machine-readable reason; Upbit's error name where the exchange refused
 *                   (e.g. {@code insufficient_funds_bid}, {@code under_min_total_bid})
 * @param reason     the reason for people, with the numbers
 */
public record OrderRejected(ClientOrderId orderId, String strategyId, Market market, String code, String reason)
        implements EventPayload, MarketScoped, StrategyScoped {
    /** Type {@code order.rejected}, topic {@link Topics#ORDER_REJECTED}, trading lane, durable. */
    public static final EventKind KIND = new EventKind("order.rejected", 1, Topics.ORDER_REJECTED,
            Priority.CRITICAL_TRADING, true, OrderRejected.class);

    /** @throws IllegalArgumentException if a field is missing */
    public OrderRejected {
        required(orderId, "order id");
        text(strategyId, "strategy id");
        required(market, "market");
        text(code, "code");
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
