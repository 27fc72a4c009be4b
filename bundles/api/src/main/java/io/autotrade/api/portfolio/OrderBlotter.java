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
}
