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
 * @param exit       for a protective exit (the protection signals it under the strategy's id): its reason and
 *                   trigger price; null for the strategy's own signal. Added December 2026: stored signals
 *                   from before decode with it null.
 */
public record SignalGenerated(String strategyId, OrderSpec order, String reason, Exit exit)
        implements EventPayload, MarketScoped, StrategyScoped {
    /** Type {@code signal.generated}, topic {@link Topics#SIGNAL_GENERATED}, trading lane, durable. */
    public static final EventKind KIND = new EventKind("signal.generated", 1, Topics.SIGNAL_GENERATED,
            Priority.CRITICAL_TRADING, true, SignalGenerated.class);

    /** @throws IllegalArgumentException if a field is missing, or an exit is not a sell */
    public SignalGenerated {
        text(strategyId, "strategy id");
        required(order, "order");
        text(reason, "reason");
        if (exit != null && order.side() != Side.ASK) {
            throw new IllegalArgumentException("an exit sells: " + reason);
        }
    }

    /**
     * A strategy's own signal (no exit).
     *
     * @param strategyId the strategy instance
     * @param order      what to trade
     * @param reason     why, for people
     */
    public SignalGenerated(String strategyId, OrderSpec order, String reason) {
        this(strategyId, order, reason, null);
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
