package io.autotrade.api.strategy;

import io.autotrade.api.event.DomainEvent;
import io.autotrade.api.event.EventBus;
import io.autotrade.api.event.EventProperties;
import io.autotrade.api.event.Topics;
import io.autotrade.api.trading.Market;
import io.autotrade.api.trading.OrderCanceled;
import io.autotrade.api.trading.OrderFilled;
import io.autotrade.api.trading.OrderRejected;
import io.autotrade.api.trading.OrderSpec;
import io.autotrade.api.trading.PositionUpdated;
import io.autotrade.api.trading.SignalGenerated;
import io.autotrade.api.trading.StrategyScoped;
import java.math.BigDecimal;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.List;
import java.util.function.Consumer;
import org.osgi.service.event.EventConstants;

/**
 * What a long-only strategy instance on one market keeps besides its indicator: its position volume
 * (base currency, from {@code position.updated}), whether its own order is in flight (from the request
 * to the final fill, rejection or cancel), and the signals it publishes. Also the service properties of
 * its handler (topics, a filter on its market, its handler id) and the warm-up from the events the
 * processing log says it handled, so a restarted or replaced instance continues where the old one was,
 * without publishing again what was published before. Not thread-safe: the strategy calls it under its
 * own lock.
 */
public final class LongOnlyBook {
    private final String strategyId;
    private final Market market;
    private final String handlerId;
    private final EventBus bus;
    private BigDecimal positionVolume = BigDecimal.ZERO;
    private boolean orderInFlight;
    private boolean replaying;

    /**
     * @param kind       the strategy's kind, the handler id's prefix: {@code strategy.<kind>/<strategyId>}
     * @param strategyId the instance id
     * @param market     the market it trades
     * @param bus        where its signals go
     */
    public LongOnlyBook(String kind, String strategyId, Market market, EventBus bus) {
        this.strategyId = strategyId;
        this.market = market;
        this.handlerId = "strategy." + kind + "/" + strategyId;
        this.bus = bus;
    }

    /** @return the handler id, {@code strategy.<kind>/<strategyId>}, the key of its processing log */
    public String handlerId() {
        return handlerId;
    }

    /**
     * @return the service properties of the instance's {@code Strategy} and {@code EventHandler}
     *         registration: strategy id, market, handler id, the candle, position and order-outcome
     *         topics, and an {@code event.filter} on its market (OSGi Compendium 113.4), so instances
     *         on other markets never see each other's events
     */
    public Dictionary<String, Object> serviceProperties() {
        Dictionary<String, Object> props = new Hashtable<>();
        props.put(Strategy.STRATEGY_ID, strategyId);
        props.put(Strategy.MARKET, market.code());
        props.put(EventProperties.HANDLER_ID, handlerId);
        props.put(EventConstants.EVENT_TOPIC, new String[] {Topics.CANDLE, Topics.POSITION_UPDATED, Topics.ORDER_FILLED,
                Topics.ORDER_REJECTED, Topics.ORDER_CANCELED});
        props.put(EventConstants.EVENT_FILTER, "(" + EventProperties.MARKET + "=" + market.code() + ")");
        return props;
    }

    /**
     * Folds in the events the instance handled before (its processing log's view, oldest first)
     * through its own handler, publishing nothing: indicator, position and order in flight end as
     * they were.
     *
     * @param handled the events
     * @param handler the strategy's handling of one event
     */
    public void warmUp(List<DomainEvent<?>> handled, Consumer<DomainEvent<?>> handler) {
        replaying = true;
        try {
            handled.forEach(handler);
        } finally {
            replaying = false;
        }
    }

    /**
     * Tracks the position and the instance's own order outcomes.
     *
     * @param event any event the instance receives
     * @return {@code true} if it was a position or order event (then nothing else is to be done with it)
     */
    public boolean track(DomainEvent<?> event) {
        switch (event.payload()) {
            case PositionUpdated updated -> positionVolume = updated.position().volume();
            case OrderFilled f -> orderInFlight &= !(f.orderComplete() && mine(f));
            case OrderRejected r -> orderInFlight &= !mine(r);
            case OrderCanceled c -> orderInFlight &= !mine(c);
            default -> {
                return false;
            }
        }
        return true;
    }

    private boolean mine(StrategyScoped payload) {
        return strategyId.equals(payload.strategyId());
    }

    /** @return the position, base-currency volume (0 when flat) */
    public BigDecimal positionVolume() {
        return positionVolume;
    }

    /** @return {@code true} if no position is held */
    public boolean flat() {
        return positionVolume.signum() == 0;
    }

    /** @return {@code true} while an order of this instance is not final: no new signal then */
    public boolean orderInFlight() {
        return orderInFlight;
    }

    /**
     * Publishes a signal caused by the event (same correlation), and counts an order in flight. During
     * a warm-up it only counts: the signal was published before the restart.
     *
     * @param cause  the candle that led to it
     * @param order  the order to request
     * @param reason for people, with the indicator values
     */
    public void signal(DomainEvent<?> cause, OrderSpec order, String reason) {
        orderInFlight = true;
        if (!replaying) {
            bus.publish(DomainEvent.causedBy(cause, new SignalGenerated(strategyId, order, reason), cause.occurredAt()));
        }
    }
}
