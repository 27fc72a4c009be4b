package io.autotrade.core.internal;

import io.autotrade.api.event.DomainEvent;
import io.autotrade.api.event.EventBus;
import io.autotrade.api.event.EventProperties;
import io.autotrade.api.event.Topics;
import io.autotrade.api.trading.OrderCanceled;
import io.autotrade.api.trading.OrderFilled;
import io.autotrade.api.trading.OrderRejected;
import io.autotrade.api.trading.OrderRequested;
import io.autotrade.api.trading.TradingState;
import io.autotrade.api.trading.TradingStateChanged;
import io.autotrade.api.trading.TradingStatus;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.event.Event;
import org.osgi.service.event.EventConstants;
import org.osgi.service.event.EventHandler;

/**
 * Tracks the global trading state from order events: {@code TRADING} from an order's request until
 * it is filled completely, canceled or rejected; {@code IDLE} when no order is in flight. Publishes
 * {@link TradingStateChanged} on every transition, caused by the order event that made it.
 */
@Component(immediate = true, service = {TradingStatus.class, EventHandler.class},
        property = EventConstants.EVENT_TOPIC + "=" + Topics.ORDER_ALL)
public class TradingStateTracker implements TradingStatus, EventHandler {
    static final String GLOBAL = "global";

    private final EventBus bus;
    private final Set<String> open = new LinkedHashSet<>();
    private TradingState state = TradingState.IDLE;

    /** @param bus publishes the state changes */
    @Activate
    public TradingStateTracker(@Reference EventBus bus) {
        this.bus = bus;
    }

    @Override
    public void handleEvent(Event osgiEvent) {
        DomainEvent<?> event = EventProperties.domainEvent(osgiEvent);
        TradingStateChanged change;
        synchronized (this) {
            switch (event.payload()) {
                case OrderRequested r -> open.add(r.orderId().value());
                case OrderFilled f when f.orderComplete() -> open.remove(f.orderId().value());
                case OrderCanceled c -> open.remove(c.orderId().value());
                case OrderRejected r -> open.remove(r.orderId().value());
                default -> {
                    return;
                }
            }
            TradingState next = state == TradingState.HALTED ? TradingState.HALTED
                    : open.isEmpty() ? TradingState.IDLE : TradingState.TRADING;
            if (next == state) {
                return;
            }
            change = new TradingStateChanged(GLOBAL, state, next, List.copyOf(open),
                    event.type() + " of order " + event.aggregateId());
            state = next;
        }
        bus.publish(DomainEvent.causedBy(event, change, event.occurredAt()));
    }

    @Override
    public synchronized TradingState state() {
        return state;
    }

    @Override
    public synchronized List<String> openOrders() {
        return new ArrayList<>(open);
    }
}
