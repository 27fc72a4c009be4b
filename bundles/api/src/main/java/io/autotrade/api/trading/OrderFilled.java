package io.autotrade.api.trading;

import static io.autotrade.api.trading.Decimals.nonNegative;
import static io.autotrade.api.trading.Decimals.positive;
import static io.autotrade.api.trading.Decimals.required;
import static io.autotrade.api.trading.Decimals.text;

import io.autotrade.api.event.EventKind;
import io.autotrade.api.event.EventPayload;
import io.autotrade.api.event.Priority;
import io.autotrade.api.event.Topics;
import java.math.BigDecimal;

/**
 * A fill (Upbit: one element of an order's {@code trades}). An order may fill in several parts;
 * {@code orderComplete} marks the last one.
 *
 * @param orderId       our client order id
 * @param strategyId    the strategy that asked for it
 * @param market        the market
 * @param side          bid or ask
 * @param tradeId       the exchange's id of this fill (Upbit trade {@code uuid}); unique per fill
 * @param price         fill price, quote currency per base unit
 * @param volume        filled volume, base currency
 * @param fee           fee paid for this fill, quote currency, unrounded
 * @param orderComplete {@code true} if the order is now completely filled
 */
public record OrderFilled(ClientOrderId orderId, String strategyId, Market market, Side side, String tradeId,
        BigDecimal price, BigDecimal volume, BigDecimal fee, boolean orderComplete)
        implements EventPayload, MarketScoped, StrategyScoped {
    /** Type {@code order.filled}, topic {@link Topics#ORDER_FILLED}, trading lane, durable. */
    public static final EventKind KIND = new EventKind("order.filled", 1, Topics.ORDER_FILLED,
            Priority.CRITICAL_TRADING, true, OrderFilled.class);

    /** @throws IllegalArgumentException if a field is missing, price or volume not positive, or the fee negative */
    public OrderFilled {
        required(orderId, "order id");
        text(strategyId, "strategy id");
        required(market, "market");
        required(side, "side");
        text(tradeId, "trade id");
        positive(price, "fill price");
        positive(volume, "fill volume");
        nonNegative(fee, "fee");
    }

    /** @return price &times; volume, in the quote currency, exact */
    public BigDecimal notional() {
        return price.multiply(volume);
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
