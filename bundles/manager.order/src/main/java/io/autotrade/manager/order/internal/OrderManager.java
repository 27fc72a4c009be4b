package io.autotrade.manager.order.internal;

import io.autotrade.api.event.DomainEvent;
import io.autotrade.api.event.EventBus;
import io.autotrade.api.event.EventProperties;
import io.autotrade.api.event.EventQuery;
import io.autotrade.api.event.EventStore;
import io.autotrade.api.event.Topics;
import io.autotrade.api.exchange.Exchange;
import io.autotrade.api.exchange.ExchangeException;
import io.autotrade.api.risk.PreTradeCheck;
import io.autotrade.api.portfolio.OrderBlotter;
import io.autotrade.api.portfolio.OrderView;
import io.autotrade.api.trading.ClientOrderId;
import io.autotrade.api.trading.Market;
import io.autotrade.api.trading.OrderRejected;
import io.autotrade.api.trading.OrderRequested;
import io.autotrade.api.trading.OrderSpec;
import io.autotrade.api.trading.OrderSubmitted;
import io.autotrade.api.trading.OrderType;
import io.autotrade.api.trading.RiskBreached;
import io.autotrade.api.trading.Side;
import java.math.RoundingMode;
import io.autotrade.api.trading.SignalGenerated;
import io.autotrade.api.trading.StrategyScoped;
import io.autotrade.api.trading.TradingState;
import io.autotrade.api.trading.TradingStateChanged;
import java.util.ArrayList;
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
 * Turns signals into orders and keeps every order's state (the blotter). One handler carries a signal along
 * the order path: request (a limit price on the exchange's tick, {@link Exchange#roundToTick}), pre-trade check
 * ({@link PreTradeCheck}, the risk manager), then {@link OrderSubmitted}, which the exchange takes, or
 * {@link OrderRejected} with code {@code risk:<rule>}. The exchanges' answers move the order through the
 * state machine. The blotter is the one view of orders in flight: when a strategy's first order goes in flight
 * and when its last one ends, the manager publishes that strategy's {@link TradingStateChanged} (IDLE/TRADING),
 * decided from the ledger as it changes; the core's trading-state tracker and everyone else read the blotter.
 * The manager runs only while a risk manager and an exchange are there. On start the ledger
 * is rebuilt from the journal: its own events, and the answers the processing log says it handled; the bus
 * redelivers the rest.
 */
@Component(immediate = true, service = OrderBlotter.class)
public class OrderManager implements OrderBlotter, EventHandler {
    /** Handler id: the processing log says which events this manager has handled. */
    static final String HANDLER = "manager.order";
    /** Rejection code of a sell signal while the strategy's position is already being sold. */
    static final String POSITION_CLOSING = "order:position.closing";

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
        rebuild(store);
    }

    /**
     * Rebuilds the ledger from the journal: every order's request and submission (this manager's own
     * outputs, stored with the record of the signal it handled) and each answer it handled; an answer not
     * handled yet is left out, the bus redelivers it.
     */
    private void rebuild(EventStore store) {
        synchronized (ledger) {
            // per order: its request, then its submission or risk rejection, then the answers; the type index
            // reads the first two without scanning the journal
            store.query(EventQuery.ofType(OrderRequested.KIND.type())).forEach(ledger::apply);
            store.query(EventQuery.ofType(OrderSubmitted.KIND.type())).forEach(ledger::apply);
            store.query(EventQuery.ofType(OrderRejected.KIND.type())).stream().filter(OrderManager::ours).forEach(ledger::apply);
            for (DomainEvent<?> event : store.query(EventQuery.all().handledBy(HANDLER))) {
                if (event.type().startsWith("order.") && !ours(event)) {
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
            // the exchanges' answers; its own events (request, submission, risk rejection) it applies as it publishes them
            props.put(EventConstants.EVENT_TOPIC, new String[] {Topics.SIGNAL_GENERATED, Topics.ORDER_ACCEPTED,
                Topics.ORDER_FILLED, Topics.ORDER_CANCELED, Topics.ORDER_REJECTED});
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
            order(event, signal);
            return;
        }
        if (ours(event)) {
            return; // applied when it was published (a request or submission here is a delivery from before this scheme)
        }
        DomainEvent<TradingStateChanged> change = null;
        synchronized (ledger) {
            String strategy = ((StrategyScoped) event.payload()).strategyId();
            boolean wasTrading = !ledger.openOf(strategy).isEmpty();
            ledger.apply(event);
            if (wasTrading && ledger.openOf(strategy).isEmpty()) { // its last order in flight ended
                change = DomainEvent.causedBy(event, new TradingStateChanged(strategy, TradingState.TRADING,
                        TradingState.IDLE, List.of(), event.type() + " of order " + event.aggregateId()), event.occurredAt());
            }
        }
        if (change != null) {
            bus.publish(change);
        }
    }

    /**
     * The order path, in this one handler: the signal becomes a request (a limit price on the tick), the
     * request passes the pre-trade check, and is submitted to the exchange ({@code order.submitted}, which
     * the exchange takes) or rejected with code {@code risk:<rule>}. The order id is derived from the
     * signal's event id, so a retried or redelivered signal makes the same order, never a second one. The
     * ledger applies both events before they are published: the exchange's answer always finds them.
     */
    private void order(DomainEvent<?> signalEvent, SignalGenerated signal) {
        PreTradeCheck gate = risk;
        Exchange target = exchange;
        if (gate == null || target == null) {
            throw new IllegalStateException("the " + (gate == null ? "risk manager" : "exchange")
                    + " went away while signal " + signalEvent.eventId() + " was being handled; the bus retries it");
        }
        ClientOrderId id = ClientOrderId.forSignal(signalEvent.eventId());
        DomainEvent<OrderRequested> request = DomainEvent.causedBy(signalEvent, new OrderRequested(id, signal.strategyId(),
                onTick(signal.order(), target), signal.exit()), signalEvent.occurredAt());
        DomainEvent<?> outcome = outcome(request, signal.order().side() == Side.ASK ? closingOrder(signal, id) : Optional.empty(),
                gate, target);
        List<DomainEvent<?>> events = new ArrayList<>(List.of(request, outcome));
        synchronized (ledger) {
            if (ledger.get(id).isEmpty()) { // a retry of this signal finds its order there already
                ledger.apply(request);
                ledger.apply(outcome);
            }
            // decided from the ledger after the order, so a retry publishes the same change
            List<String> open = ledger.openOf(signal.strategyId());
            if (open.equals(List.of(id.value()))) { // its first order in flight
                events.add(DomainEvent.causedBy(request, new TradingStateChanged(signal.strategyId(), TradingState.IDLE,
                        TradingState.TRADING, open, request.type() + " of order " + id), request.occurredAt()));
            }
        }
        bus.publishAll(events);
    }

    /**
     * @return the request's fate: refused with {@value #POSITION_CLOSING} while the position is already being sold,
     *         else refused by the pre-trade check ({@code risk:<rule>}), else submitted to the exchange
     */
    private static DomainEvent<?> outcome(DomainEvent<OrderRequested> request, Optional<OrderView> closing, PreTradeCheck gate,
            Exchange target) {
        OrderRequested r = request.payload();
        Market market = r.order().market();
        if (closing.isPresent()) {
            return DomainEvent.causedBy(request, new OrderRejected(r.orderId(), r.strategyId(), market, POSITION_CLOSING,
                    "the position is already being closed by order " + closing.get().orderId() + " ("
                    + closing.get().exitReason().code() + ")"), request.occurredAt());
        }
        Optional<RiskBreached> breach = gate.check(request);
        if (breach.isPresent()) {
            return DomainEvent.causedBy(request, new OrderRejected(r.orderId(), r.strategyId(), market,
                    "risk:" + breach.get().rule(), breach.get().message()), request.occurredAt());
        }
        return DomainEvent.causedBy(request, new OrderSubmitted(r.orderId(), r.strategyId(), market, target.id()),
                request.occurredAt());
    }

    /**
     * @return the strategy's sell in flight on the signal's market, if any: a second sell of the same position (a
     *         strategy's signal after a protective exit, or the other way round) is refused with
     *         {@value #POSITION_CLOSING}. The two signals have the strategy as aggregate, so this handler sees them
     *         one after the other, the first one's order already in the ledger. The signal's own order (there already
     *         when the signal is retried) is not another sell.
     */
    private Optional<OrderView> closingOrder(SignalGenerated signal, ClientOrderId own) {
        synchronized (ledger) {
            return ledger.open().stream().filter(o -> !o.orderId().equals(own) && o.strategyId().equals(signal.strategyId())
                    && o.spec().side() == Side.ASK && o.spec().market().equals(signal.order().market())).findFirst();
        }
    }

    /**
     * @return whether this manager publishes such an event itself (a request, a submission, a rejection by the
     *         pre-trade check, code {@code risk:...}, or its own {@value #POSITION_CLOSING}): the ledger applies it
     *         when it is published, never again
     */
    static boolean ours(DomainEvent<?> event) {
        return event.payload() instanceof OrderRequested || event.payload() instanceof OrderSubmitted
                || event.payload() instanceof OrderRejected r && (r.code().startsWith("risk:") || r.code().equals(POSITION_CLOSING));
    }

    /**
     * @param spec     an order
     * @param exchange the exchange it goes to, which knows the market's price units
     * @return the order with its limit price rounded to the exchange's tick: down for a bid, up for an ask
     */
    static OrderSpec onTick(OrderSpec spec, Exchange exchange) {
        if (spec.type() != OrderType.LIMIT) {
            return spec;
        }
        return spec.withLimitPrice(exchange.roundToTick(spec.market(), spec.price(),
                spec.side() == Side.BID ? RoundingMode.DOWN : RoundingMode.UP));
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
