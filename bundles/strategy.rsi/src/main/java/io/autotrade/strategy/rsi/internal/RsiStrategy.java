package io.autotrade.strategy.rsi.internal;

import io.autotrade.api.event.DomainEvent;
import io.autotrade.api.event.EventBus;
import io.autotrade.api.event.EventProperties;
import io.autotrade.api.event.EventQuery;
import io.autotrade.api.event.EventStore;
import io.autotrade.api.event.Topics;
import io.autotrade.api.strategy.Strategy;
import io.autotrade.api.trading.CandleClosed;
import io.autotrade.api.trading.Market;
import io.autotrade.api.trading.OrderCanceled;
import io.autotrade.api.trading.OrderFilled;
import io.autotrade.api.trading.OrderRejected;
import io.autotrade.api.trading.OrderSpec;
import io.autotrade.api.trading.PositionUpdated;
import io.autotrade.api.trading.SignalGenerated;
import io.autotrade.api.trading.StrategyScoped;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.event.Event;
import org.osgi.service.event.EventConstants;
import org.osgi.service.event.EventHandler;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/**
 * RSI mean reversion, one instance per market (factory PID {@value #PID}). Buys {@code order.amount}
 * of quote currency when the RSI crosses up through {@code oversold} while flat
 * ({@code previous < oversold <= current}); sells the whole position when it crosses down through
 * {@code overbought} while long ({@code previous > overbought >= current}). No signal before two RSI
 * values exist, and none while its own order is in flight.
 *
 * <p>The instance registers its EventAdmin handler itself, filtered to its market, so that two
 * instances on two markets never see each other's candles.
 */
@Component(configurationPid = RsiStrategy.PID, configurationPolicy = ConfigurationPolicy.REQUIRE, service = {})
@Designate(ocd = RsiStrategy.Config.class, factory = true)
public class RsiStrategy implements Strategy, EventHandler {
    /** Factory configuration PID. */
    public static final String PID = "io.autotrade.strategy.rsi";

    /** One instance's settings. */
    @ObjectClassDefinition(name = "autotrade RSI strategy", description = "Wilder's RSI crossing oversold/overbought")
    public @interface Config {
        /** @return market code */
        @AttributeDefinition(name = "Market", description = "Upbit market code, quote first, e.g. KRW-BTC")
        String market();

        /** @return instance id; empty means rsi-MARKET */
        @AttributeDefinition(name = "Strategy id", description = "Unique id of this instance; empty: rsi-<market>", required = false)
        String strategy_id() default "";

        /** @return RSI period */
        @AttributeDefinition(name = "Period", description = "Number of close-to-close changes averaged", min = "1")
        int period() default 14;

        /** @return oversold threshold */
        @AttributeDefinition(name = "Oversold", description = "Buy when the RSI crosses up through this level", min = "0", max = "100")
        String oversold() default "30";

        /** @return overbought threshold */
        @AttributeDefinition(name = "Overbought", description = "Sell when the RSI crosses down through this level", min = "0", max = "100")
        String overbought() default "70";

        /** @return buy size, quote currency */
        @AttributeDefinition(name = "Order amount", description = "Quote currency spent per buy (KRW on KRW markets)")
        String order_amount() default "1000000";
    }

    private final EventBus bus;
    private final String id;
    private final Market market;
    private final BigDecimal oversold;
    private final BigDecimal overbought;
    private final BigDecimal orderAmount;
    private final WilderRsi rsi;
    private final Map<String, String> settings = new LinkedHashMap<>();
    private final ServiceRegistration<?> registration;
    private BigDecimal previousRsi;
    private BigDecimal positionVolume = BigDecimal.ZERO;
    private boolean orderInFlight;
    private boolean replaying;

    /**
     * @param bus     where signals are published
     * @param store   the candles and fills this instance handled before, to warm up from after a restart
     * @param context to register the handler and strategy service
     * @param config  the instance's settings
     * @throws IllegalArgumentException if a setting is malformed or out of range
     */
    @Activate
    public RsiStrategy(@Reference EventBus bus, @Reference EventStore store, BundleContext context, Config config) {
        this.bus = bus;
        this.market = Market.of(config.market());
        this.id = config.strategy_id().isBlank() ? "rsi-" + market.code() : config.strategy_id();
        this.rsi = new WilderRsi(config.period());
        this.oversold = level("oversold", config.oversold());
        this.overbought = level("overbought", config.overbought());
        this.orderAmount = new BigDecimal(config.order_amount().strip());
        if (oversold.compareTo(overbought) >= 0) {
            throw new IllegalArgumentException("oversold " + oversold + " must be below overbought " + overbought);
        }
        if (orderAmount.signum() <= 0) {
            throw new IllegalArgumentException("order.amount must be > 0, was " + config.order_amount());
        }
        settings.put("market", market.code());
        settings.put("period", String.valueOf(config.period()));
        settings.put("oversold", oversold.toPlainString());
        settings.put("overbought", overbought.toPlainString());
        settings.put("order.amount", orderAmount.toPlainString());
        Dictionary<String, Object> props = new Hashtable<>();
        props.put(STRATEGY_ID, id);
        props.put(MARKET, market.code());
        String handlerId = "strategy.rsi/" + id;
        props.put(EventProperties.HANDLER_ID, handlerId);
        props.put(EventConstants.EVENT_TOPIC, new String[] {Topics.CANDLE, Topics.POSITION_UPDATED, Topics.ORDER_FILLED,
                Topics.ORDER_REJECTED, Topics.ORDER_CANCELED});
        props.put(EventConstants.EVENT_FILTER, "(" + EventProperties.MARKET + "=" + market.code() + ")");
        warmUp(store.query(EventQuery.all().handledBy(handlerId)));
        this.registration = context.registerService(new String[] {Strategy.class.getName(), EventHandler.class.getName()},
                this, props);
    }

    /**
     * Folds in what this instance handled before a restart (the processing log's view), publishing
     * nothing: the indicator, the position and the order in flight are as they were; the bus then
     * redelivers what was not handled.
     */
    private synchronized void warmUp(List<DomainEvent<?>> handled) {
        replaying = true;
        try {
            handled.forEach(this::handle);
        } finally {
            replaying = false;
        }
    }

    private static BigDecimal level(String name, String value) {
        BigDecimal level = new BigDecimal(value.strip());
        if (level.signum() < 0 || level.compareTo(BigDecimal.valueOf(100)) > 0) {
            throw new IllegalArgumentException(name + " must be within 0..100, was " + value);
        }
        return level;
    }

    @Deactivate
    void stop() {
        registration.unregister();
    }

    @Override
    public String id() {
        return id;
    }

    @Override
    public Market market() {
        return market;
    }

    @Override
    public Map<String, String> settings() {
        return Map.copyOf(settings);
    }

    @Override
    public synchronized void handleEvent(Event osgiEvent) {
        handle(EventProperties.domainEvent(osgiEvent));
    }

    private void handle(DomainEvent<?> event) {
        switch (event.payload()) {
            case CandleClosed closed -> onClose(event, closed);
            case PositionUpdated updated -> positionVolume = updated.position().volume();
            case OrderFilled f when f.orderComplete() && mine(f) -> orderInFlight = false;
            case OrderRejected r when mine(r) -> orderInFlight = false;
            case OrderCanceled c when mine(c) -> orderInFlight = false;
            default -> { }
        }
    }

    private boolean mine(StrategyScoped payload) {
        return id.equals(payload.strategyId());
    }

    private void onClose(DomainEvent<?> event, CandleClosed closed) {
        Optional<BigDecimal> current = rsi.add(closed.candle().close());
        if (current.isEmpty()) {
            return;
        }
        BigDecimal now = current.get();
        BigDecimal before = previousRsi;
        previousRsi = now;
        if (before == null || orderInFlight) {
            return;
        }
        if (positionVolume.signum() == 0 && before.compareTo(oversold) < 0 && oversold.compareTo(now) <= 0) {
            signal(event, OrderSpec.marketBuy(market, orderAmount), "RSI(" + rsi.period() + ") crossed up through "
                    + oversold.toPlainString() + ": " + round(before) + " -> " + round(now));
        } else if (positionVolume.signum() > 0 && before.compareTo(overbought) > 0 && overbought.compareTo(now) >= 0) {
            signal(event, OrderSpec.marketSell(market, positionVolume), "RSI(" + rsi.period()
                    + ") crossed down through " + overbought.toPlainString() + ": " + round(before) + " -> " + round(now));
        }
    }

    private static String round(BigDecimal value) {
        return value.setScale(2, RoundingMode.HALF_EVEN).toPlainString();
    }

    private void signal(DomainEvent<?> cause, OrderSpec order, String reason) {
        orderInFlight = true;
        if (replaying) {
            return; // the signal was published before the restart
        }
        bus.publish(DomainEvent.causedBy(cause, new SignalGenerated(id, order, reason), cause.occurredAt()));
    }
}
