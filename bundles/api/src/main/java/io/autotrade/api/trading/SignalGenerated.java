package io.autotrade.api.trading;

import static io.autotrade.api.trading.Decimals.required;
import static io.autotrade.api.trading.Decimals.text;

import io.autotrade.api.event.EventKind;
import io.autotrade.api.event.EventPayload;
import io.autotrade.api.event.Priority;
import io.autotrade.api.event.Topics;

/**
 * A strategy wants an order. The order manager turns it into an {@link OrderRequested}.
 *
 * @param strategyId the strategy instance, e.g. {@code rsi-KRW-BTC}
 * @param order      what to trade
 * @param reason     why, for people: e.g. {@code RSI crossed up through 30 (28.1 -> 31.4)}
 */
public record SignalGenerated(String strategyId, OrderSpec order, String reason)
        implements EventPayload, MarketScoped, StrategyScoped {
    /** Type {@code signal.generated}, topic {@link Topics#SIGNAL_GENERATED}, trading lane, durable. */
    public static final EventKind KIND = new EventKind("signal.generated", 1, Topics.SIGNAL_GENERATED,
            Priority.CRITICAL_TRADING, true, SignalGenerated.class);

    /** @throws IllegalArgumentException if a field is missing */
    public SignalGenerated {
        text(strategyId, "strategy id");
        required(order, "order");
        text(reason, "reason");
    }

    @Override
    public EventKind kind() {
        return KIND;
    }

    @Override
    public String aggregateId() {
        return strategyId;
    }

    @Override
    public Market market() {
        return order.market();
    }
}
