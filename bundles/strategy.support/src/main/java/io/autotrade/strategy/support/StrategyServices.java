package io.autotrade.strategy.support;

import io.autotrade.api.event.EventBus;
import io.autotrade.api.portfolio.Account;
import io.autotrade.api.portfolio.OrderBlotter;
import io.autotrade.api.risk.RiskView;

/**
 * The services every long-only strategy instance works with; its component takes them as references and hands
 * them to {@link LongOnlyStrategy}.
 *
 * @param bus     where its signals go
 * @param blotter the orders in flight (no signal while one of the instance is)
 * @param account equity and buying power, for sizing by a share of equity
 * @param risk    the risk limits that cap such a size ({@code max.order.notional})
 */
public record StrategyServices(EventBus bus, OrderBlotter blotter, Account account, RiskView risk) {
}
