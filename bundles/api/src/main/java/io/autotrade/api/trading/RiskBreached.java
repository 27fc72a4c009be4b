package io.autotrade.api.trading;

import static io.autotrade.api.trading.Decimals.required;
import static io.autotrade.api.trading.Decimals.text;

import io.autotrade.api.event.EventKind;
import io.autotrade.api.event.EventPayload;
import io.autotrade.api.event.Priority;
import io.autotrade.api.event.Topics;
import java.math.BigDecimal;

/**
 * A pre-trade check refused an order (the order itself gets an {@code OrderRejected} with code
 * {@code risk:<rule>}), or a limit was reached that halts trading.
 *
 * @param orderId    the refused order, or null when no order was involved (a halt on the daily loss limit)
 * @param strategyId the strategy that asked for it, or {@code risk} when no order was involved
 * @param market     the market
 * @param rule       the rule, as its configuration key: {@code max.order.notional}, {@code daily.loss.limit}, ...
 * @param limit      the configured limit, in the rule's unit (KRW, orders, minutes)
 * @param value      the value that would have exceeded it, same unit
 * @param message    for people, with the numbers
 */
public record RiskBreached(ClientOrderId orderId, String strategyId, Market market, String rule, BigDecimal limit,
        BigDecimal value, String message) implements EventPayload, MarketScoped {
    /** Type {@code risk.breached}, topic {@link Topics#RISK_BREACHED}, safety lane, durable. */
    public static final EventKind KIND = new EventKind("risk.breached", 1, Topics.RISK_BREACHED,
            Priority.HIGH_SAFETY, true, RiskBreached.class);

    /** @throws IllegalArgumentException if a field other than orderId is missing */
    public RiskBreached {
        text(strategyId, "strategy id");
        required(market, "market");
        text(rule, "rule");
        required(limit, "limit");
        required(value, "value");
        text(message, "message");
    }

    @Override
    public EventKind kind() {
        return KIND;
    }

    @Override
    public String aggregateId() {
        return "risk/" + market.code();
    }
}
