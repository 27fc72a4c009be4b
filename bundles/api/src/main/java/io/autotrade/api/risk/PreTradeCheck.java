package io.autotrade.api.risk;

import io.autotrade.api.event.DomainEvent;
import io.autotrade.api.trading.OrderRequested;
import io.autotrade.api.trading.RiskBreached;
import java.util.Optional;

/**
 * The pre-trade gate (the risk manager's service). The order manager asks it about every order
 * request before handing the order to an exchange; with no gate registered, orders are rejected
 * ({@code no_risk_manager}), never sent unchecked.
 */
public interface PreTradeCheck {

    /**
     * Checks one order request against every rule, in a fixed order (halt, minimum total, order
     * notional, open orders, position notional, total exposure, daily loss, cooldown); the first rule
     * that refuses decides. A refusal is also published as a {@link RiskBreached} event caused by the
     * request. The orders in flight the rules count are the order manager's blotter ({@code OrderBlotter}),
     * which takes a passed order at once.
     *
     * @param request the order request event
     * @return empty if the order may go to the exchange, else the breach; the caller rejects the order
     *         with code {@code risk:<rule>}
     */
    Optional<RiskBreached> check(DomainEvent<OrderRequested> request);
}
