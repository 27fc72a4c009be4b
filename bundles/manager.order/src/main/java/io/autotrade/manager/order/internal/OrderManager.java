package io.autotrade.manager.order.internal;

import io.autotrade.api.event.DomainEvent;
import io.autotrade.api.event.EventBus;
import io.autotrade.api.event.EventProperties;
import io.autotrade.api.event.EventQuery;
import io.autotrade.api.event.EventStore;
import io.autotrade.api.event.Topics;
import io.autotrade.api.exchange.Exchange;
import io.autotrade.api.exchange.ExchangeException;
import io.autotrade.api.exchange.TickSize;
import io.autotrade.api.risk.PreTradeCheck;
import io.autotrade.api.portfolio.OrderBlotter;
import io.autotrade.api.portfolio.OrderView;
import io.autotrade.api.trading.ClientOrderId;
import io.autotrade.api.trading.OrderRejected;
import io.autotrade.api.trading.OrderRequested;
import io.autotrade.api.trading.OrderSpec;
import io.autotrade.api.trading.OrderSubmitted;
import io.autotrade.api.trading.OrderType;
import io.autotrade.api.trading.RiskBreached;
import io.autotrade.api.trading.Side;
import java.math.RoundingMode;
import io.autotrade.api.trading.SignalGenerated;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.List;
import java.util.Optional;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceReference;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.event.Event;
import org.osgi.service.event.EventConstants;
import org.osgi.service.event.EventHandler;

/**
 * Turns signals into orders and keeps every order's state. A signal becomes an
 * {@link OrderRequested} with a new client order id (a limit price rounded to the market's tick:
 * down for a bid, up for an ask, {@link TickSize}). Each request then passes the pre-trade check
 * ({@link PreTradeCheck}, the risk manager); a refused one is rejected with code {@code risk:<rule>}.
 * A passed order is marked {@link OrderSubmitted} and handed to the exchange, whose answers move it
 * through the state machine. The manager runs only while a risk manager and an exchange are there. On start the
 * ledger is rebuilt from the order events the processing log says it handled; the bus redelivers the rest.
 */
@Component(immediate = true, service = OrderBlotter.class)
public class OrderManager implements OrderBlotter, EventHandler {
    /** Handler id: the processing log says which events this manager has handled. */
    static final String HANDLER = "manager.order";

    private final EventBus bus;
    private final OrderLedger ledger = new OrderLedger();

    private final BundleContext context;
    private volatile Exchange exchange;
    private ServiceReference<Exchange> exchangeReference;
    private volatile PreTradeCheck risk;
    private ServiceRegistration<EventHandler> registration;

    /**
     * The blotter is always there; the manager takes signals and orders (its event handler is
     * registered) only while an exchange and a risk manager are available, so its work, including what
     * the bus redelivers after a restart, is never refused for want of one and no order goes unchecked.
     *
     * @param bus     where orders are published
     * @param store   the order history to rebuild from
     * @param context to register the event handler while it can work
     */
    @Activate
    public OrderManager(@Reference EventBus bus, @Reference EventStore store, BundleContext context) {
        this.bus = bus;
        this.context = context;
        synchronized (ledger) {
            for (DomainEvent<?> event : store.query(EventQuery.all().handledBy(HANDLER))) {
                if (event.type().startsWith("order.")) {
                    ledger.apply(event);
                }
            }
        }
    }

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY, unbind = "unbindExchange")
    synchronized void bindExchange(Exchange bound, ServiceReference<Exchange> reference) {
        exchange = bound;
        exchangeReference = reference;
        updateRegistration();
    }

    /**
     * Takes the reference, not the service: SCR unbinds a service that is already unregistered (a backtest
     * replaces the paper exchange's configuration), and could not get it again to pass it here.
     */
    synchronized void unbindExchange(ServiceReference<Exchange> reference) {
        if (reference.equals(exchangeReference)) {
            exchange = null;
            exchangeReference = null;
        }
        updateRegistration();
    }

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY, unbind = "unbindRisk")
    void bindRisk(PreTradeCheck bound) {
        risk = bound;
        updateRegistration();
    }

    void unbindRisk(PreTradeCheck unbound) {
        if (risk == unbound) {
            risk = null;
        }
        updateRegistration();
    }

    /** Registers the event handler while exchange and risk manager are both there, withdraws it otherwise. */
    private synchronized void updateRegistration() {
        boolean ready = exchange != null && risk != null;
        if (ready && registration == null) {
            Dictionary<String, Object> props = new Hashtable<>();
            props.put(EventConstants.EVENT_TOPIC, new String[] {Topics.SIGNAL_GENERATED, Topics.ORDER_ALL});
            props.put(EventProperties.HANDLER_ID, HANDLER);
            registration = context.registerService(EventHandler.class, this, props);
        } else if (!ready && registration != null) {
            registration.unregister();
            registration = null;
        }
    }

    @Deactivate
    synchronized void stop() {
        if (registration != null) {
            try {
                registration.unregister();
            } catch (IllegalStateException alreadyGone) {
                // the bundle is stopping
            }
            registration = null;
        }
    }

    @Override
    public void handleEvent(Event osgiEvent) {
        DomainEvent<?> event = EventProperties.domainEvent(osgiEvent);
        if (event.payload() instanceof SignalGenerated signal) {
            bus.publish(DomainEvent.causedBy(event,
                    new OrderRequested(ClientOrderId.random(), signal.strategyId(), onTick(signal.order())),
                    event.occurredAt()));
            return;
        }
        synchronized (ledger) {
            ledger.apply(event);
        }
        if (event.payload() instanceof OrderRequested requested) {
            submit(event.as(OrderRequested.class), requested);
        }
    }

    /** @return the order with its limit price rounded to the tick: down for a bid, up for an ask */
    static OrderSpec onTick(OrderSpec spec) {
        if (spec.type() != OrderType.LIMIT) {
            return spec;
        }
        return spec.withLimitPrice(TickSize.round(spec.market(), spec.price(),
                spec.side() == Side.BID ? RoundingMode.DOWN : RoundingMode.UP));
    }

    private void submit(DomainEvent<OrderRequested> event, OrderRequested order) {
        PreTradeCheck gate = risk;
        Exchange target = exchange;
        if (gate == null || target == null) {
            throw new IllegalStateException("the " + (gate == null ? "risk manager" : "exchange")
                    + " went away while order " + order.orderId() + " was being handled; the bus retries it");
        }
        Optional<RiskBreached> breach = gate.check(event);
        if (breach.isPresent()) {
            reject(event, order, "risk:" + breach.get().rule(), breach.get().message());
            return;
        }
        bus.publish(DomainEvent.causedBy(event, new OrderSubmitted(order.orderId(), order.strategyId(),
                order.order().market(), target.id()), event.occurredAt()));
        try {
            target.submit(event);
        } catch (ExchangeException e) {
            reject(event, order, "submit_failed", e.getMessage());
        }
    }

    private void reject(DomainEvent<OrderRequested> event, OrderRequested order, String code, String reason) {
        bus.publish(DomainEvent.causedBy(event, new OrderRejected(order.orderId(), order.strategyId(),
                order.order().market(), code, reason), event.occurredAt()));
    }

    @Override
    public void cancel(ClientOrderId orderId) {
        OrderView view = order(orderId).orElseThrow(() -> new IllegalArgumentException("no order " + orderId));
        if (view.state().isFinal()) {
            throw new IllegalArgumentException("order " + orderId + " is already " + view.state());
        }
        Exchange target = exchange;
        if (target == null) {
            throw new ExchangeException("no exchange service is available to cancel order " + orderId);
        }
        target.cancel(orderId);
    }

    @Override
    public List<ClientOrderId> cancelAll() {
        List<ClientOrderId> open = openOrders().stream().map(OrderView::orderId).toList();
        if (open.isEmpty()) {
            return open;
        }
        Exchange target = exchange;
        if (target == null) {
            throw new ExchangeException("no exchange service is available to cancel " + open.size() + " open order(s)");
        }
        target.cancelAll(open);
        return open;
    }

    @Override
    public List<OrderView> orders() {
        synchronized (ledger) {
            return ledger.all();
        }
    }

    @Override
    public Optional<OrderView> order(ClientOrderId orderId) {
        synchronized (ledger) {
            return ledger.get(orderId);
        }
    }

    @Override
    public List<OrderView> openOrders() {
        synchronized (ledger) {
            return ledger.open();
        }
    }
}
