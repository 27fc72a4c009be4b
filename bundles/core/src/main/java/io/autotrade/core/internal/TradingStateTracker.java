package io.autotrade.core.internal;

import io.autotrade.api.event.CriticalFailure;
import io.autotrade.api.event.DomainEvent;
import io.autotrade.api.event.EventBus;
import io.autotrade.api.event.EventBusAdmin;
import io.autotrade.api.event.EventProperties;
import io.autotrade.api.event.EventQuery;
import io.autotrade.api.event.EventStore;
import io.autotrade.api.event.Topics;
import io.autotrade.api.portfolio.OrderBlotter;
import io.autotrade.api.trading.KillSwitch;
import io.autotrade.api.trading.TradingState;
import io.autotrade.api.trading.TradingStateChanged;
import io.autotrade.api.trading.TradingStatus;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.event.Event;
import org.osgi.service.event.EventConstants;
import org.osgi.service.event.EventHandler;
import org.osgi.service.log.Logger;
import org.osgi.service.log.LoggerFactory;

/**
 * The trading state and the kill switch. Orders in flight are the order manager's blotter's
 * ({@link OrderBlotter}, the one view of them): the manager publishes a strategy's {@link TradingStateChanged}
 * (IDLE/TRADING) when its first order goes in flight and when its last one ends, and this tracker publishes
 * the global one after it: {@code TRADING} while any order is in flight, {@code IDLE} when none is. While no
 * blotter is running (the order manager is being replaced) the answers come from what the manager last
 * published per strategy; nothing changes meanwhile, its answers wait for it.
 *
 * <p>{@code HALTED} from {@link #halt(String)} (the shell, the risk manager, an exchange adapter) or by
 * itself on a {@code CRITICAL_FAILURE} of the order path (a signal, order or position handler gave up on an
 * event), until {@link #resume(String)}; also, without a stored transition, while the event journal refuses
 * commits ({@link EventBusAdmin#journalFault()}). On start the halt and the strategies' states are rebuilt
 * from the stored events, so a halted runtime stays halted after a restart.
 */
@Component(immediate = true, service = {TradingStatus.class, KillSwitch.class, EventHandler.class},
        property = {EventConstants.EVENT_TOPIC + "=" + Topics.TRADING_STATE_CHANGED,
                EventConstants.EVENT_TOPIC + "=" + Topics.CRITICAL_FAILURE,
                EventProperties.HANDLER_ID + "=" + TradingStateTracker.HANDLER})
public class TradingStateTracker implements TradingStatus, KillSwitch, EventHandler {
    static final String GLOBAL = TradingStatus.GLOBAL;
    /** Handler id: the processing log says which state changes the tracker has counted. */
    static final String HANDLER = "core.trading-state";

    private final EventBus bus;
    private final EventBusAdmin busAdmin;
    private final Logger logger;
    /** Per strategy, its orders in flight as the order manager last published them (answers while it is away). */
    private final Map<String, List<String>> published = new LinkedHashMap<>();
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    volatile OrderBlotter blotter;
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
        // the strategies' changes it counted; the bus redelivers the rest in order
        for (DomainEvent<?> event : store.query(EventQuery.ofType(TradingStateChanged.KIND.type()).handledBy(HANDLER))) {
            track((TradingStateChanged) event.payload());
        }
        state = haltReason != null ? TradingState.HALTED : inFlight(GLOBAL).isEmpty() ? TradingState.IDLE : TradingState.TRADING;
        if (state == TradingState.HALTED) {
            logger.warn("trading is HALTED since before this start: {}; trade:resume lifts it", haltReason);
        }
    }

    /** Notes a strategy's change published by the order manager; the global scope is this tracker's own. */
    private void track(TradingStateChanged change) {
        if (change.scope().equals(GLOBAL)) {
            return;
        }
        if (change.openOrders().isEmpty()) {
            published.remove(change.scope());
        } else {
            published.put(change.scope(), change.openOrders());
        }
    }

    /** @return the scope's orders in flight: the blotter's, or while there is none what the manager last published */
    private List<String> inFlight(String scope) {
        OrderBlotter b = blotter;
        if (b != null) {
            return b.openOrders().stream().filter(o -> scope.equals(GLOBAL) || scope.equals(o.strategyId()))
                    .map(o -> o.orderId().value()).toList();
        }
        synchronized (this) {
            return scope.equals(GLOBAL) ? published.values().stream().flatMap(List::stream).toList()
                    : published.getOrDefault(scope, List.of());
        }
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
        if (!(event.payload() instanceof TradingStateChanged changed) || changed.scope().equals(GLOBAL)) {
            return; // its own global changes, or an order event delivered to it before this scheme
        }
        TradingStateChanged global;
        synchronized (this) {
            track(changed);
            global = transition(state == TradingState.HALTED ? TradingState.HALTED
                    : inFlight(GLOBAL).isEmpty() ? TradingState.IDLE : TradingState.TRADING, changed.reason());
        }
        if (global != null) {
            bus.publish(DomainEvent.causedBy(event, global, event.occurredAt()));
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
        TradingStateChanged change = new TradingStateChanged(GLOBAL, state, next, inFlight(GLOBAL), reason);
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
            change = transition(inFlight(GLOBAL).isEmpty() ? TradingState.IDLE : TradingState.TRADING,
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
    public List<String> openOrders() {
        return inFlight(GLOBAL);
    }

    @Override
    public TradingState state(String scope) {
        if (scope.equals(GLOBAL) || state() == TradingState.HALTED) {
            return state();
        }
        return inFlight(scope).isEmpty() ? TradingState.IDLE : TradingState.TRADING;
    }

    @Override
    public List<String> openOrders(String scope) {
        return inFlight(scope);
    }
}
