package io.autotrade.core.internal;

import io.autotrade.api.event.CriticalFailure;
import io.autotrade.api.event.DomainEvent;
import io.autotrade.api.event.EventBus;
import io.autotrade.api.event.EventBusAdmin;
import io.autotrade.api.event.EventProperties;
import io.autotrade.api.event.EventQuery;
import io.autotrade.api.event.EventStore;
import io.autotrade.api.event.Topics;
import io.autotrade.api.trading.KillSwitch;
import io.autotrade.api.trading.OrderCanceled;
import io.autotrade.api.trading.OrderFilled;
import io.autotrade.api.trading.OrderRejected;
import io.autotrade.api.trading.OrderRequested;
import io.autotrade.api.trading.TradingState;
import io.autotrade.api.trading.TradingStateChanged;
import io.autotrade.api.trading.TradingStatus;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.event.Event;
import org.osgi.service.event.EventConstants;
import org.osgi.service.event.EventHandler;
import org.osgi.service.log.Logger;
import org.osgi.service.log.LoggerFactory;

/**
 * Tracks the global trading state and owns the kill switch. From order events: {@code TRADING} from an
 * order's request until it is filled completely, canceled or rejected; {@code IDLE} when no order is in
 * flight. The same per strategy instance (scope = its strategy id), published as its own
 * {@link TradingStateChanged} when its first order goes in flight and when its last one ends. {@code HALTED} from {@link #halt(String)} (the shell, the risk manager, an exchange adapter)
 * or by itself on a {@code CRITICAL_FAILURE} of the order path (a signal, order or position handler
 * gave up on an event), until {@link #resume(String)}. Publishes {@link TradingStateChanged} on every
 * transition.
 *
 * <p>Also {@code HALTED}, without a stored transition, while the event journal refuses commits
 * ({@link EventBusAdmin#journalFault()}): no order may be placed whose events cannot be stored. That halt
 * ends by itself when the journal commits again; the fault's {@code CRITICAL_FAILURE} is stored then.
 *
 * <p>On start the orders in flight and the halt are rebuilt from the stored events, so a halted
 * runtime stays halted after a restart.
 */
@Component(immediate = true, service = {TradingStatus.class, KillSwitch.class, EventHandler.class},
        property = {EventConstants.EVENT_TOPIC + "=" + Topics.ORDER_ALL,
                EventConstants.EVENT_TOPIC + "=" + Topics.CRITICAL_FAILURE,
                EventProperties.HANDLER_ID + "=" + TradingStateTracker.HANDLER})
public class TradingStateTracker implements TradingStatus, KillSwitch, EventHandler {
    static final String GLOBAL = TradingStatus.GLOBAL;
    /** Handler id: the processing log says which order events the tracker has counted. */
    static final String HANDLER = "core.trading-state";

    private final EventBus bus;
    private final EventBusAdmin busAdmin;
    private final Logger logger;
    /** Orders in flight: client order id to strategy id, in request order. */
    private final Map<String, String> open = new LinkedHashMap<>();
    private TradingState state = TradingState.IDLE;
    private String haltReason;

    /**
     * @param bus           publishes the state changes
     * @param busAdmin      says whether the journal refuses commits
     * @param store         the history the state is rebuilt from
     * @param loggerFactory for halts
     */
    @Activate
    public TradingStateTracker(@Reference EventBus bus, @Reference EventBusAdmin busAdmin, @Reference EventStore store,
            @Reference LoggerFactory loggerFactory) {
        this.bus = bus;
        this.busAdmin = busAdmin;
        this.logger = loggerFactory.getLogger(TradingStateTracker.class);
        for (DomainEvent<?> event : store.query(EventQuery.ofType(TradingStateChanged.KIND.type()))) {
            TradingStateChanged c = (TradingStateChanged) event.payload();
            if (c.scope().equals(GLOBAL)) {
                haltReason = c.to() == TradingState.HALTED ? c.reason() : null;
            }
        }
        for (DomainEvent<?> event : store.query(EventQuery.all().handledBy(HANDLER))) {
            track(event);
        }
        state = haltReason != null ? TradingState.HALTED : open.isEmpty() ? TradingState.IDLE : TradingState.TRADING;
        if (state == TradingState.HALTED) {
            logger.warn("trading is HALTED since before this start: {}; trade:resume lifts it", haltReason);
        }
    }

    /** @return the strategy whose orders in flight the event changed, or null if it changed nothing */
    private String track(DomainEvent<?> event) {
        return switch (event.payload()) {
            case OrderRequested r -> open.putIfAbsent(r.orderId().value(), r.strategyId()) == null ? r.strategyId() : null;
            case OrderFilled f when f.orderComplete() -> open.remove(f.orderId().value());
            case OrderCanceled c -> open.remove(c.orderId().value());
            case OrderRejected r -> open.remove(r.orderId().value());
            default -> null;
        };
    }

    private List<String> inFlight(String scope) {
        return open.entrySet().stream().filter(e -> scope.equals(GLOBAL) || scope.equals(e.getValue()))
                .map(Map.Entry::getKey).toList();
    }

    @Override
    public void handleEvent(Event osgiEvent) {
        DomainEvent<?> event = EventProperties.domainEvent(osgiEvent);
        if (event.payload() instanceof CriticalFailure failure) {
            if (failure.failedEventType() != null && isOrderPath(failure.failedEventType())) {
                halt("critical failure: " + failure.source() + " gave up on " + failure.failedEventType() + " "
                        + failure.failedEventId() + " (" + failure.error() + ")", event);
            }
            return;
        }
        List<TradingStateChanged> changes = new ArrayList<>(2);
        synchronized (this) {
            String strategy = track(event);
            if (strategy == null) {
                return;
            }
            String why = event.type() + " of order " + event.aggregateId();
            List<String> strategyOrders = inFlight(strategy);
            if (event.payload() instanceof OrderRequested ? strategyOrders.size() == 1 : strategyOrders.isEmpty()) {
                boolean nowTrading = !strategyOrders.isEmpty(); // its first order went in flight, or its last ended
                changes.add(new TradingStateChanged(strategy, nowTrading ? TradingState.IDLE : TradingState.TRADING,
                        nowTrading ? TradingState.TRADING : TradingState.IDLE, strategyOrders, why));
            }
            TradingStateChanged global = transition(state == TradingState.HALTED ? TradingState.HALTED
                    : open.isEmpty() ? TradingState.IDLE : TradingState.TRADING, why);
            if (global != null) {
                changes.add(global);
            }
        }
        for (TradingStateChanged change : changes) {
            bus.publish(DomainEvent.causedBy(event, change, event.occurredAt()));
        }
    }

    private static boolean isOrderPath(String type) {
        return type.startsWith("order.") || type.startsWith("signal.") || type.startsWith("position.");
    }

    /** Moves to the state; @return the change to publish, or null if the state stays. Caller holds the lock. */
    private TradingStateChanged transition(TradingState next, String reason) {
        if (next == state) {
            return null;
        }
        TradingStateChanged change = new TradingStateChanged(GLOBAL, state, next, List.copyOf(open.keySet()), reason);
        state = next;
        return change;
    }

    @Override
    public void halt(String reason) {
        halt(reason, null);
    }

    private void halt(String reason, DomainEvent<?> cause) {
        String why = reason == null || reason.isBlank() ? "halted by request" : reason;
        TradingStateChanged change;
        synchronized (this) {
            haltReason = why;
            change = transition(TradingState.HALTED, why);
        }
        if (change != null) {
            logger.warn("trading HALTED: {}", why);
            bus.publish(cause == null ? DomainEvent.of(change, Instant.now())
                    : DomainEvent.causedBy(cause, change, Instant.now()));
        }
    }

    @Override
    public boolean resume(String reason) {
        TradingStateChanged change;
        synchronized (this) {
            if (state != TradingState.HALTED) {
                return false;
            }
            haltReason = null;
            change = transition(open.isEmpty() ? TradingState.IDLE : TradingState.TRADING,
                    reason == null || reason.isBlank() ? "resumed by request" : reason);
        }
        logger.warn("trading resumed: {}", change.reason());
        bus.publish(DomainEvent.of(change, Instant.now()));
        return true;
    }

    /** @return the operator's or failure halt's reason, else the journal fault's, else null */
    @Override
    public synchronized String haltReason() {
        if (haltReason != null) {
            return haltReason;
        }
        String journal = busAdmin.journalFault();
        return journal == null ? null : "event journal failing: " + journal;
    }

    @Override
    public synchronized TradingState state() {
        return busAdmin.journalFault() != null ? TradingState.HALTED : state;
    }

    @Override
    public synchronized List<String> openOrders() {
        return new ArrayList<>(open.keySet());
    }

    @Override
    public synchronized TradingState state(String scope) {
        if (scope.equals(GLOBAL) || state() == TradingState.HALTED) {
            return state();
        }
        return inFlight(scope).isEmpty() ? TradingState.IDLE : TradingState.TRADING;
    }

    @Override
    public synchronized List<String> openOrders(String scope) {
        return inFlight(scope);
    }
}
