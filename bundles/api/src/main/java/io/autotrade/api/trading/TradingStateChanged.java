package io.autotrade.api.trading;

import static io.autotrade.api.trading.Decimals.required;
import static io.autotrade.api.trading.Decimals.text;

import io.autotrade.api.event.EventKind;
import io.autotrade.api.event.EventPayload;
import io.autotrade.api.event.Priority;
import io.autotrade.api.event.Topics;
import java.util.List;

/**
 * The trading state changed.
 *
 * @param scope      what the state is of: {@code global} for the whole runtime (published by the core's
 *                   trading-state tracker), else a strategy id (published by the order manager when the
 *                   strategy's first order goes in flight and when its last one ends: IDLE and TRADING only)
 * @param from       the state before
 * @param to         the state now
 * @param openOrders client order ids in flight now, in the order they were requested
 * @param reason     why, for people
 */
public record TradingStateChanged(String scope, TradingState from, TradingState to, List<String> openOrders,
        String reason) implements EventPayload {
    /** Type {@code trading.state_changed}, topic {@link Topics#TRADING_STATE_CHANGED}, safety lane, durable. */
    public static final EventKind KIND = new EventKind("trading.state_changed", 1, Topics.TRADING_STATE_CHANGED,
            Priority.HIGH_SAFETY, true, TradingStateChanged.class);

    /** @throws IllegalArgumentException if a field is missing or from equals to */
    public TradingStateChanged {
        text(scope, "scope");
        required(from, "from");
        required(to, "to");
        openOrders = List.copyOf(required(openOrders, "open orders"));
        text(reason, "reason");
        if (from == to) {
            throw new IllegalArgumentException("trading state change from " + from + " to itself");
        }
    }

    @Override
    public EventKind kind() {
        return KIND;
    }

    @Override
    public String aggregateId() {
        return "trading-state/" + scope;
    }
}
