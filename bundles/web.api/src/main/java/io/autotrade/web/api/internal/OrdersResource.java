package io.autotrade.web.api.internal;

import io.autotrade.api.portfolio.OrderBlotter;
import io.autotrade.api.portfolio.OrderView;
import io.autotrade.api.trading.ClientOrderId;
import jakarta.servlet.Servlet;
import jakarta.servlet.http.HttpServletRequest;
import java.util.List;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.log.Logger;
import org.osgi.service.log.LoggerFactory;
import org.osgi.service.servlet.whiteboard.propertytypes.HttpWhiteboardServletPattern;

/**
 * {@code GET /api/v1/orders[?open=true]} (as {@code trade:orders [--open]}, oldest first) and
 * {@code POST /api/v1/orders/{id}/cancel} (as {@code trade:cancel}; allowed while halted): the order manager's
 * blotter.
 */
@Component(service = Servlet.class)
@HttpWhiteboardServletPattern({Api.BASE + "/orders", Api.BASE + "/orders/*"})
public class OrdersResource extends ApiServlet {
    private static final long serialVersionUID = 1L;
    private final transient OrderBlotter orders;
    private final transient Logger logger;

    /**
     * @param orders  the order manager's blotter
     * @param loggers the OSGi log
     */
    @Activate
    public OrdersResource(@Reference OrderBlotter orders, @Reference LoggerFactory loggers) {
        this.orders = orders;
        this.logger = loggers.getLogger(OrdersResource.class);
    }

    @Override
    Logger logger() {
        return logger;
    }

    @Override
    Reply get(HttpServletRequest request) {
        String route = route(request);
        if (route.equals("/orders")) {
            String open = request.getParameter("open");
            if (open != null && !open.equals("true") && !open.equals("false")) {
                throw ApiException.badRequest("query parameter 'open' must be true or false, was '" + open + "'");
            }
            List<OrderView> list = "true".equals(open) ? orders.openOrders() : orders.orders();
            return Reply.ok(list.stream().map(Views::order).toList());
        }
        String id = route.substring("/orders/".length());
        if (id.isEmpty() || id.contains("/")) {
            throw ApiException.notFound("no such resource: " + request.getRequestURI());
        }
        return Reply.ok(Views.order(find(id)));
    }

    @Override
    Reply post(HttpServletRequest request) {
        String route = route(request);
        if (!route.startsWith("/orders/") || !route.endsWith("/cancel")) {
            throw ApiException.notFound("no such resource: " + request.getRequestURI() + " (cancel is POST /api/v1/orders/{id}/cancel)");
        }
        String id = route.substring("/orders/".length(), route.length() - "/cancel".length());
        OrderView order = find(id);
        if (order.state().isFinal()) {
            throw ApiException.conflict("order " + id + " is already " + order.state() + ": nothing to cancel");
        }
        orders.cancel(order.orderId());
        return new Reply(202, Json.object("order_id", id, "cancel", "sent",
                "message", "cancel sent; GET /api/v1/orders/" + id + " shows the outcome"));
    }

    private OrderView find(String id) {
        ClientOrderId orderId;
        try {
            orderId = new ClientOrderId(id);
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest("order id '" + id + "': " + e.getMessage());
        }
        return orders.order(orderId).orElseThrow(() -> ApiException.notFound("no order " + id + " in the blotter"));
    }
}
