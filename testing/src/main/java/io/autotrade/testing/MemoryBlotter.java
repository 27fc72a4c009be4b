package io.autotrade.testing;

import io.autotrade.api.portfolio.OrderBlotter;
import io.autotrade.api.portfolio.OrderView;
import io.autotrade.api.trading.ClientOrderId;
import io.autotrade.api.trading.OrderSpec;
import io.autotrade.api.trading.OrderState;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** A blotter for unit tests: holds the orders a test puts in it; cancels are refused. Thread safe. */
public final class MemoryBlotter implements OrderBlotter {
    private final Map<ClientOrderId, OrderView> orders = new LinkedHashMap<>();

    /**
     * Puts an order in the given state (replacing one with the same id).
     *
     * @param id         its client order id
     * @param strategyId the strategy it belongs to
     * @param spec       what was ordered
     * @param state      its state
     * @return this blotter
     */
    public synchronized MemoryBlotter put(ClientOrderId id, String strategyId, OrderSpec spec, OrderState state) {
        Instant now = Instant.EPOCH;
        orders.put(id, new OrderView(id, strategyId, spec, state, BigDecimal.ZERO, BigDecimal.ZERO, BigDecimal.ZERO,
                null, null, now, now, null));
        return this;
    }

    /**
     * Moves an order it holds to another state.
     *
     * @param id    the order
     * @param state its new state
     * @throws IllegalArgumentException if it holds no such order
     */
    public synchronized void move(ClientOrderId id, OrderState state) {
        OrderView v = Optional.ofNullable(orders.get(id)).orElseThrow(() -> new IllegalArgumentException("no order " + id));
        put(id, v.strategyId(), v.spec(), state);
    }

    @Override
    public synchronized List<OrderView> orders() {
        return new ArrayList<>(orders.values());
    }

    @Override
    public synchronized Optional<OrderView> order(ClientOrderId orderId) {
        return Optional.ofNullable(orders.get(orderId));
    }

    @Override
    public synchronized List<OrderView> openOrders() {
        return orders.values().stream().filter(v -> !v.state().isFinal()).toList();
    }

    /** @throws UnsupportedOperationException always: no exchange behind it */
    @Override
    public void cancel(ClientOrderId orderId) {
        throw new UnsupportedOperationException("a test blotter cancels nothing");
    }
}
