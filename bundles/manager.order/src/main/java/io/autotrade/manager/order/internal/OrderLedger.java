package io.autotrade.manager.order.internal;

import io.autotrade.api.event.DomainEvent;
import io.autotrade.api.portfolio.OrderView;
import io.autotrade.api.trading.ClientOrderId;
import io.autotrade.api.trading.OrderAccepted;
import io.autotrade.api.trading.OrderCanceled;
import io.autotrade.api.trading.OrderFilled;
import io.autotrade.api.trading.OrderRejected;
import io.autotrade.api.trading.OrderRequested;
import io.autotrade.api.trading.OrderState;
import io.autotrade.api.trading.OrderSubmitted;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Orders as a fold over order events, through the {@link OrderState} state machine. An illegal
 * transition or an event for an unknown order is an {@link IllegalStateException}; the order is left
 * as it was. Not thread safe.
 */
final class OrderLedger {
    private final Map<ClientOrderId, OrderView> orders = new LinkedHashMap<>();
    /** The orders not yet final, in request order: what every pre-trade check and state change reads. */
    private final Map<ClientOrderId, OrderView> open = new LinkedHashMap<>();

    /**
     * @param event any domain event; events that are not about orders are ignored
     * @return {@code true} if the event changed an order
     * @throws IllegalStateException if the event is not a legal next step of its order
     */
    boolean apply(DomainEvent<?> event) {
        switch (event.payload()) {
            case OrderRequested r -> {
                if (orders.containsKey(r.orderId())) {
                    throw new IllegalStateException("order " + r.orderId() + " was already requested");
                }
                OrderView requested = new OrderView(r.orderId(), r.strategyId(), r.order(), OrderState.REQUESTED,
                        BigDecimal.ZERO, BigDecimal.ZERO, BigDecimal.ZERO, null, null, event.occurredAt(),
                        event.occurredAt(), r.exit());
                orders.put(r.orderId(), requested);
                open.put(r.orderId(), requested);
            }
            case OrderSubmitted s -> move(s.orderId(), OrderState.SUBMITTED, event, v -> v);
            case OrderAccepted a -> move(a.orderId(), OrderState.ACCEPTED, event, v -> with(v, a.venueOrderId(), v.reason()));
            case OrderFilled f -> move(f.orderId(), f.orderComplete() ? OrderState.FILLED : OrderState.PARTIALLY_FILLED,
                    event, v -> new OrderView(v.orderId(), v.strategyId(), v.spec(), v.state(),
                            v.executedVolume().add(f.volume()), v.executedFunds().add(f.notional()),
                            v.paidFee().add(f.fee()), v.venueOrderId(), v.reason(), v.createdAt(), v.updatedAt(), v.exit()));
            case OrderCanceled c -> move(c.orderId(), OrderState.CANCELED, event, v -> with(v, v.venueOrderId(), c.reason()));
            case OrderRejected r -> move(r.orderId(), OrderState.REJECTED, event,
                    v -> with(v, v.venueOrderId(), r.code() + ": " + r.reason()));
            default -> {
                return false;
            }
        }
        return true;
    }

    private static OrderView with(OrderView v, String venueOrderId, String reason) {
        return new OrderView(v.orderId(), v.strategyId(), v.spec(), v.state(), v.executedVolume(), v.executedFunds(),
                v.paidFee(), venueOrderId, reason, v.createdAt(), v.updatedAt(), v.exit());
    }

    private void move(ClientOrderId id, OrderState target, DomainEvent<?> event,
            java.util.function.UnaryOperator<OrderView> change) {
        OrderView current = orders.get(id);
        if (current == null) {
            throw new IllegalStateException(event.type() + " for unknown order " + id);
        }
        try {
            current.state().transitionTo(target);
        } catch (IllegalStateException e) {
            throw new IllegalStateException("order " + id + ": " + e.getMessage() + " on " + event.type(), e);
        }
        OrderView changed = change.apply(current);
        OrderView next = new OrderView(changed.orderId(), changed.strategyId(), changed.spec(), target,
                changed.executedVolume(), changed.executedFunds(), changed.paidFee(), changed.venueOrderId(),
                changed.reason(), changed.createdAt(), event.occurredAt(), changed.exit());
        orders.put(id, next);
        if (target.isFinal()) {
            open.remove(id);
        } else {
            open.put(id, next);
        }
    }

    List<OrderView> all() {
        return new ArrayList<>(orders.values());
    }

    Optional<OrderView> get(ClientOrderId id) {
        return Optional.ofNullable(orders.get(id));
    }

    /** @return the client order ids of the strategy's orders not yet final, oldest first */
    List<String> openOf(String strategyId) {
        return open.values().stream().filter(v -> v.strategyId().equals(strategyId)).map(v -> v.orderId().value()).toList();
    }

    List<OrderView> open() {
        return new ArrayList<>(open.values());
    }
}
