package io.autotrade.api.portfolio;

import io.autotrade.api.trading.ClientOrderId;
import java.util.List;
import java.util.Optional;

/** The record of orders kept by the order manager (a trading blotter). */
public interface OrderBlotter {

    /** @return every order, oldest first */
    List<OrderView> orders();

    /** @param orderId a client order id @return the order, or empty if unknown */
    Optional<OrderView> order(ClientOrderId orderId);

    /** @return the orders not yet final, oldest first */
    List<OrderView> openOrders();

    /**
     * Asks the order's exchange to cancel it; the answer comes as {@code OrderCanceled}. Cancels pass
     * even while trading is halted: they only reduce risk.
     *
     * @param orderId an open order
     * @throws IllegalArgumentException if there is no such order, or it is already final
     * @throws io.autotrade.api.exchange.ExchangeException if no exchange is available or it refuses
     */
    void cancel(ClientOrderId orderId);

    /**
     * Cancels every open order at once through the exchange's batch cancel (the operator's kill switch);
     * the answers come as {@code OrderCanceled}.
     *
     * @return the orders asked to be canceled, oldest first; empty when none is open
     * @throws io.autotrade.api.exchange.ExchangeException if no exchange is running or it refuses
     */
    default List<ClientOrderId> cancelAll() {
        List<ClientOrderId> open = openOrders().stream().map(OrderView::orderId).toList();
        open.forEach(this::cancel);
        return open;
    }
}
