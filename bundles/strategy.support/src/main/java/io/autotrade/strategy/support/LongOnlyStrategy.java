package io.autotrade.strategy.support;

import io.autotrade.api.event.DomainEvent;
import io.autotrade.api.event.EventProperties;
import io.autotrade.api.event.EventQuery;
import io.autotrade.api.event.EventStore;
import io.autotrade.api.event.Topics;
import io.autotrade.api.strategy.ExitRules;
import io.autotrade.api.strategy.Strategy;
import io.autotrade.api.trading.CandleClosed;
import io.autotrade.api.trading.ClientOrderId;
import io.autotrade.api.trading.Market;
import io.autotrade.api.trading.OrderSpec;
import io.autotrade.api.trading.PositionUpdated;
import io.autotrade.api.trading.SelfMatchPrevention;
import io.autotrade.api.trading.TimeInForce;
import io.autotrade.api.trading.SignalGenerated;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.event.Event;
import org.osgi.service.event.EventConstants;
import org.osgi.service.event.EventHandler;

/**
 * The base of a long-only strategy instance on one market: buys while flat (a size by {@link Sizing}), sells
 * the whole position while long; its protective exits ({@link ExitRules}) are settings the protection reads. It keeps what every such strategy keeps besides its indicator: the
 * position volume (base currency, from {@code position.updated}), its settings, and its registration as
 * {@link Strategy} and {@link EventHandler} with its topics and an {@code event.filter} on its market (OSGi
 * Compendium 113.4), so instances on other markets never see each other's events. Whether an order of the
 * instance is in flight (no signal then) it asks the blotter ({@link OrderBlotter}), from its last signal
 * until the order that signal made ({@link ClientOrderId#forSignal}) and every other order of the instance are
 * final.
 *
 * <p>{@link #start} first folds in the events its processing log says it handled (handler id
 * {@code strategy.<kind>/<id>}), publishing nothing: a restarted or replaced instance (a new bundle
 * version) continues with its indicator and position as they were, and signals nothing twice. Events are
 * handled one at a time, under the instance's lock.
 */
public abstract class LongOnlyStrategy implements Strategy, EventHandler {
    private final String id;
    private final Market market;
    private final Sizing sizing;
    private final ExitRules exits;
    private final String handlerId;
    private final StrategyServices services;
    private final Map<String, String> settings = new LinkedHashMap<>();
    private ServiceRegistration<?> registration;
    private BigDecimal positionVolume = BigDecimal.ZERO;
    private BigDecimal lastClose;
    /** The order of the last signal, until the blotter has it. */
    private ClientOrderId lastSignalOrder;
    private boolean replaying;
    private boolean best;
    private TimeInForce timeInForce;
    private SelfMatchPrevention smp;

    /**
     * @param kind         the strategy's kind, e.g. {@code rsi}: default id prefix and handler id part
     * @param configuredId the configured instance id, or blank for {@link Strategy#instanceId}'s default
     * @param market       the market code, e.g. {@code KRW-BTC}
     * @param properties   the component's configuration: the sizing ({@value Sizing#ORDER_AMOUNT},
     *                     {@value Sizing#RISK_PER_TRADE}, see {@link Sizing}) and the protective exits
     *                     ({@link ExitRules#KEYS}), which the protection reads back from {@link #settings()}
     * @param services     bus, blotter, account and risk view
     * @throws IllegalArgumentException naming the setting, if the market code, the sizing or an exit rule is
     *                                  malformed or inconsistent
     */
    protected LongOnlyStrategy(String kind, String configuredId, String market, Map<String, ?> properties,
            StrategyServices services) {
        this.market = Market.of(market);
        this.id = Strategy.instanceId(kind, configuredId, this.market.code());
        this.handlerId = "strategy." + kind + "/" + id;
        this.services = services;
        Map<String, String> text = new LinkedHashMap<>();
        properties.forEach((k, v) -> text.put(k, v == null ? "" : String.valueOf(v)));
        this.exits = ExitRules.parse(text);
        this.sizing = Sizing.parse(text.get(Sizing.ORDER_AMOUNT), text.get(Sizing.RISK_PER_TRADE), exits, this.market);
        settings.put("market", this.market.code());
        settings.put(sizing.key(), sizing.text());
        settings.putAll(exits.settings());
    }

    /**
     * Sets how the instance's orders go to the exchange (settings {@code order.type}, {@code order.time.in.force},
     * {@code order.smp.type}); call it from the subclass's constructor. Each shows in {@link #settings()} when set.
     *
     * @param type        {@code market} (default, blank too: {@code ord_type} price to buy, market to sell) or
     *                    {@code best} (Upbit's best-price order, which takes the best opposite level only)
     * @param timeInForce for {@code best}: {@code ioc} (default) or {@code fok}; must be blank for {@code market}
     * @param smpType     Upbit's {@code smp_type} for these orders ({@code cancel_taker}, {@code cancel_maker},
     *                    {@code reduce}); blank: the exchange adapter's default
     * @throws IllegalArgumentException naming the setting, for a value not allowed
     */
    protected final void orderOptions(String type, String timeInForce, String smpType) {
        String t = type == null || type.isBlank() ? "market" : type.strip().toLowerCase(java.util.Locale.ROOT);
        if (!t.equals("market") && !t.equals("best")) {
            throw new IllegalArgumentException("order.type must be market or best, was '" + type + "'");
        }
        this.best = t.equals("best");
        boolean tifGiven = timeInForce != null && !timeInForce.isBlank();
        if (!best && tifGiven) {
            throw new IllegalArgumentException("order.time.in.force applies to order.type best only (Upbit takes none on"
                    + " market orders), was '" + timeInForce + "'");
        }
        this.timeInForce = best ? (tifGiven ? TimeInForce.ofUpbitName(timeInForce) : TimeInForce.IOC) : null;
        if (this.timeInForce == TimeInForce.POST_ONLY) {
            throw new IllegalArgumentException("order.time.in.force of a best order must be ioc or fok, was '" + timeInForce + "'");
        }
        this.smp = smpType == null || smpType.isBlank() ? null : SelfMatchPrevention.ofUpbitName(smpType);
        if (best) {
            settings.put("order.type", "best");
            settings.put("order.time.in.force", this.timeInForce.upbitName());
        }
        if (smp != null) {
            settings.put("order.smp.type", smp.upbitName());
        }
    }

    /**
     * Adds a setting to the ones {@link #settings()} shows.
     *
     * @param key   its configuration key
     * @param value its effective value
     */
    protected final void setting(String key, Object value) {
        settings.put(key, String.valueOf(value));
    }

    /**
     * Warms up from the events the instance handled before, then registers it. Call it last in the
     * subclass's activation, when its indicator exists.
     *
     * @param store   the events store, for the processing log's view
     * @param context to register the services
     */
    protected final synchronized void start(EventStore store, BundleContext context) {
        replaying = true;
        try {
            store.query(EventQuery.all().handledBy(handlerId)).forEach(this::handle);
        } finally {
            replaying = false;
        }
        store.query(EventQuery.ofType(SignalGenerated.KIND.type()).aggregate(id)).stream() // a signal's aggregate: its strategy
                .reduce((first, second) -> second)
                .ifPresent(last -> lastSignalOrder = ClientOrderId.forSignal(last.eventId()));
        Dictionary<String, Object> props = new Hashtable<>();
        props.put(STRATEGY_ID, id);
        props.put(MARKET, market.code());
        props.put(EventProperties.HANDLER_ID, handlerId);
        props.put(EventConstants.EVENT_TOPIC, new String[] {Topics.CANDLE_CLOSED, Topics.POSITION_UPDATED});
        props.put(EventConstants.EVENT_FILTER, "(" + EventProperties.MARKET + "=" + market.code() + ")");
        registration = context.registerService(new String[] {Strategy.class.getName(), EventHandler.class.getName()},
                this, props);
    }

    /** Unregisters the instance; call it from the subclass's deactivation. */
    protected final void stop() {
        if (registration != null) {
            registration.unregister();
        }
    }

    @Override
    public final String id() {
        return id;
    }

    @Override
    public final Market market() {
        return market;
    }

    /** @return the settings in a fixed order (market, sizing, exits, the subclass's), so reports of equal runs are equal byte for byte */
    @Override
    public final Map<String, String> settings() {
        return java.util.Collections.unmodifiableMap(new LinkedHashMap<>(settings));
    }

    @Override
    public final synchronized void handleEvent(Event osgiEvent) {
        handle(EventProperties.domainEvent(osgiEvent));
    }

    private void handle(DomainEvent<?> event) {
        switch (event.payload()) {
            case CandleClosed closed -> {
                lastClose = closed.candle().close();
                if (closed.warmingUp() && !replaying) { // a window's lead-in: the indicators learn, nothing is signalled
                    replaying = true;
                    try {
                        onClose(event, closed);
                    } finally {
                        replaying = false;
                    }
                } else {
                    onClose(event, closed);
                }
            }
            case PositionUpdated updated -> positionVolume = updated.position().volume();
            default -> { }
        }
    }

    /**
     * A candle of the instance's market closed: update the indicator and signal through {@link #buy} or
     * {@link #sellAll} when it says so. Called under the instance's lock, also during the warm-up.
     *
     * @param cause  the candle's event, the cause of any signal
     * @param closed the candle
     */
    protected abstract void onClose(DomainEvent<?> cause, CandleClosed closed);

    /** @return {@code true} if no position is held */
    protected final boolean flat() {
        return positionVolume.signum() == 0;
    }

    /**
     * @return {@code true} while an order of this instance is not final in the blotter, or its last signal has
     *         no order there yet: no signal then. Always {@code true} during the warm-up, which signals nothing.
     */
    protected final boolean orderInFlight() {
        if (replaying) {
            return true;
        }
        if (lastSignalOrder != null) {
            if (services.blotter().order(lastSignalOrder).isEmpty()) {
                return true; // the order manager has not taken the signal yet
            }
            lastSignalOrder = null;
        }
        for (var order : services.blotter().openOrders()) { // every close asks: a loop, not a stream
            if (id.equals(order.strategyId())) {
                return true;
            }
        }
        return false;
    }

    /**
     * Signals a buy of the instance's size ({@link Sizing}: {@code order.amount}, a share of equity, or by
     * {@code risk.per.trade}): a market buy, or a best-price buy with its time in force (see {@link #orderOptions}).
     * Nothing is signalled when a share of equity cannot be sized (no exchange running, nothing to spend).
     *
     * @param cause  the candle that led to it (its close values the instance's own position for the equity)
     * @param reason for people, with the indicator values
     */
    protected final void buy(DomainEvent<?> cause, String reason) {
        if (replaying) {
            return;
        }
        Optional<BigDecimal> amount = sizing.amount(market, lastClose, services.account(), services.risk());
        if (amount.isEmpty()) {
            return;
        }
        signal(cause, (best ? OrderSpec.bestBuy(market, amount.get(), timeInForce) : OrderSpec.marketBuy(market, amount.get()))
                .with(timeInForce, smp), reason + (sizing.fixed() == null ? "; size " + amount.get().toPlainString() + " "
                + market.quote() + " (" + sizing.key() + " " + sizing.text() + ")" : ""));
    }

    /**
     * Signals a sell of the whole position (base-currency volume): a market sell, or a best-price sell (see
     * {@link #orderOptions}).
     *
     * @param cause  the candle that led to it
     * @param reason for people, with the indicator values
     */
    protected final void sellAll(DomainEvent<?> cause, String reason) {
        signal(cause, (best ? OrderSpec.bestSell(market, positionVolume, timeInForce) : OrderSpec.marketSell(market, positionVolume))
                .with(timeInForce, smp), reason);
    }

    /** Publishes the signal (same correlation as its cause); its order is in flight from now on. The warm-up publishes nothing. */
    private void signal(DomainEvent<?> cause, OrderSpec order, String reason) {
        if (replaying) {
            return;
        }
        DomainEvent<SignalGenerated> signal = DomainEvent.causedBy(cause, new SignalGenerated(id, order, reason),
                cause.occurredAt());
        lastSignalOrder = ClientOrderId.forSignal(signal.eventId());
        services.bus().publish(signal);
    }

    /**
     * @param value an indicator value
     * @return it with 2 decimals (half even), for a signal's reason
     */
    protected static String round(BigDecimal value) {
        return value.setScale(2, RoundingMode.HALF_EVEN).toPlainString();
    }
}
