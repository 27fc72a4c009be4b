package io.autotrade.manager.protection.internal;

import io.autotrade.api.event.DomainEvent;
import io.autotrade.api.event.EventBus;
import io.autotrade.api.event.EventProperties;
import io.autotrade.api.event.EventQuery;
import io.autotrade.api.event.EventStore;
import io.autotrade.api.event.Topics;
import io.autotrade.api.exchange.Exchange;
import io.autotrade.api.portfolio.PositionBook;
import io.autotrade.api.portfolio.Protection;
import io.autotrade.api.strategy.ExitRules;
import io.autotrade.api.strategy.Strategy;
import io.autotrade.api.trading.ClientOrderId;
import io.autotrade.api.trading.Exit;
import io.autotrade.api.trading.ExitReason;
import io.autotrade.api.trading.Market;
import io.autotrade.api.trading.OrderCanceled;
import io.autotrade.api.trading.OrderFilled;
import io.autotrade.api.trading.OrderRejected;
import io.autotrade.api.trading.OrderSpec;
import io.autotrade.api.trading.PriceRange;
import io.autotrade.api.trading.ProtectionUpdated;
import io.autotrade.api.trading.SignalGenerated;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
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
 * Protective exits for every strategy instance: guards each instance's position (a fold over its fills) with
 * the exit rules of its settings ({@link ExitRules}, read from the {@link Strategy} services, a whiteboard) and
 * on every {@link PriceRange} of its market checks the levels ({@link Guard}). A level reached becomes a
 * {@link SignalGenerated} under the instance's id, a market sell of the whole position carrying the
 * {@link io.autotrade.api.trading.Exit} (reason and trigger price), so it takes the one order path (the risk
 * manager lets exits pass, a halt too). Every change of a guard is a {@link ProtectionUpdated}, journaled with
 * the record of the event that caused it; on start the guards are the last of those per instance, so a
 * restarted runtime guards every open position before the first price reaches anyone, and a level crossed
 * while it was down exits at that price. Rules outlive their strategy service: a replaced strategy bundle
 * leaves its position guarded. As {@link Protection} it shows the guarded positions and closes one at market on
 * an operator's word ({@code manual}) or a halt ({@code halt}).
 */
@Component(immediate = true, service = {EventHandler.class, Protection.class},
        property = {EventConstants.EVENT_TOPIC + "=" + Topics.ORDER_FILLED, EventConstants.EVENT_TOPIC + "=" + Topics.ORDER_CANCELED,
                EventConstants.EVENT_TOPIC + "=" + Topics.ORDER_REJECTED, EventConstants.EVENT_TOPIC + "=" + Topics.PRICE_RANGE,
                EventProperties.HANDLER_ID + "=" + ProtectionManager.HANDLER})
public class ProtectionManager implements EventHandler, Protection {
    /** Handler id: the processing log says which fills and order ends the protection has counted. */
    static final String HANDLER = "manager.protection";

    private final EventBus bus;
    private final Logger logger;
    /** Guards by strategy id. */
    private final Map<String, Guard> guards = new LinkedHashMap<>();
    /** Exit rules by strategy id, from the running strategy services. */
    private final Map<String, ExitRules> rules = new LinkedHashMap<>();
    /** The last range's open per market (live: the last trade), for a close's price when no position mark is known. */
    private final Map<Market, BigDecimal> lastPrice = new LinkedHashMap<>();
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    volatile Exchange exchange;
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile PositionBook positions;

    /**
     * @param bus           where exits and guard states go
     * @param store         the guards' last states
     * @param loggerFactory for exits and malformed rules
     */
    @Activate
    public ProtectionManager(@Reference EventBus bus, @Reference EventStore store, @Reference LoggerFactory loggerFactory) {
        this.bus = bus;
        this.logger = loggerFactory.getLogger(ProtectionManager.class);
        synchronized (guards) {
            for (DomainEvent<?> event : store.query(EventQuery.ofType(ProtectionUpdated.KIND.type()))) {
                ProtectionUpdated state = (ProtectionUpdated) event.payload();
                guards.put(state.strategyId(), Guard.of(state));
            }
            guards.values().stream().filter(g -> g.volume().signum() > 0 && !g.rules().isEmpty()).forEach(g -> logger.info(
                    "guarding {} {} {} with {}", g.strategyId, g.volume().toPlainString(), g.market.base(), g.rules().settings()));
        }
    }

    /**
     * A strategy instance appeared or its settings changed: its exit rules apply to its position from now on.
     * Malformed rules are logged and the ones before stay (the strategy refuses them itself).
     */
    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC, updated = "bindStrategy",
            unbind = "unbindStrategy")
    void bindStrategy(Strategy strategy) {
        ExitRules next;
        try {
            next = ExitRules.parse(strategy.settings());
        } catch (IllegalArgumentException e) {
            logger.error("strategy {}: exit rules not taken: {}", strategy.id(), e.getMessage());
            return;
        }
        DomainEvent<ProtectionUpdated> changed = null;
        synchronized (guards) {
            rules.put(strategy.id(), next);
            Guard g = guards.get(strategy.id());
            if (g != null && !g.rules().equals(next)) {
                g.rules(next, this::round);
                changed = DomainEvent.of(g.state(this::round, Instant.now(), "exit rules now " + next.settings()), Instant.now());
            }
        }
        if (changed != null) {
            bus.publish(changed);
        }
    }

    /**
     * A strategy service went away (a bundle being replaced): its position stays guarded with the rules it had, so
     * there is nothing to undo. DS requires an unbind method of a dynamic reference.
     */
    void unbindStrategy(Strategy strategy) {
        // the guard keeps its rules
    }

    /** Rounds to the exchange's tick (Upbit's price units); unrounded while no exchange is running. */
    private BigDecimal round(Market market, BigDecimal price, RoundingMode mode) {
        Exchange ex = exchange;
        return ex == null ? price : ex.roundToTick(market, price, mode);
    }

    @Override
    public void handleEvent(Event osgiEvent) {
        DomainEvent<?> event = EventProperties.domainEvent(osgiEvent);
        List<DomainEvent<?>> out = new ArrayList<>(0); // most candles publish nothing
        synchronized (guards) {
            switch (event.payload()) {
                case PriceRange range -> { // every candle's range: a loop, not a stream
                    for (Guard g : guards.values()) {
                        if (g.market.equals(range.market())) {
                            check(g, event, range, out);
                        }
                    }
                    lastPrice.put(range.market(), range.open());
                }
                case OrderFilled fill -> filled(event, fill, out);
                case OrderCanceled c -> exitEnded(event, c.strategyId(), c.orderId(), "canceled: " + c.reason(), out);
                case OrderRejected r -> exitEnded(event, r.strategyId(), r.orderId(), "rejected: " + r.code() + " " + r.reason(), out);
                default -> { }
            }
        }
        out.forEach(bus::publish);
    }

    private void check(Guard g, DomainEvent<?> event, PriceRange range, List<DomainEvent<?>> out) {
        Optional<Guard.Trigger> trigger = g.check(range, this::round);
        if (trigger.isPresent()) {
            Guard.Trigger t = trigger.get();
            DomainEvent<SignalGenerated> signal = DomainEvent.causedBy(event, new SignalGenerated(g.strategyId,
                    OrderSpec.marketSell(g.market, g.volume()), t.why(), t.exit()), event.occurredAt());
            g.exitSent(ClientOrderId.forSignal(signal.eventId()));
            logger.info("{} exits {} {} {}: {}", g.strategyId, g.volume().toPlainString(), g.market.base(),
                    t.reason().code(), t.why());
            out.add(signal);
            out.add(DomainEvent.causedBy(event, g.state(this::round, range.from(), "exit sent: " + t.why()), event.occurredAt()));
        } else if (g.passed(range, this::round)) {
            out.add(DomainEvent.causedBy(event, g.state(this::round, range.from(), "trailing level moved up to "
                    + g.trailingLevel().toPlainString() + " (highest " + g.highest().toPlainString() + ")"), event.occurredAt()));
        }
    }

    @Override
    public List<ProtectionUpdated> guarded() {
        synchronized (guards) {
            return guards.values().stream().filter(g -> g.volume().signum() > 0)
                    .map(g -> g.state(this::round, Instant.now(), "guarded")).toList();
        }
    }

    @Override
    public ClientOrderId close(String strategyId, ExitReason reason) {
        if (reason != ExitReason.MANUAL && reason != ExitReason.HALT) {
            throw new IllegalArgumentException("a close from outside is manual or halt, not " + reason.code());
        }
        List<DomainEvent<?>> out = new ArrayList<>(2);
        ClientOrderId order;
        synchronized (guards) {
            Guard g = guards.get(strategyId);
            if (g == null || g.volume().signum() == 0) {
                throw new IllegalArgumentException("strategy " + strategyId + " holds no position");
            }
            if (g.exitOrder() != null) {
                throw new IllegalArgumentException("an exit of " + strategyId + " is already in flight: order " + g.exitOrder());
            }
            PositionBook book = positions;
            BigDecimal price = book == null ? null : book.position(g.market).map(p -> p.markPrice()).orElse(null);
            price = price == null || price.signum() == 0 ? lastPrice.get(g.market) : price;
            if (price == null) {
                throw new IllegalArgumentException("no price of " + g.market + " seen since this start; try again after the next one");
            }
            String why = reason.code() + ": closed " + (reason == ExitReason.HALT ? "on a halt" : "by an operator") + " at market";
            Instant now = Instant.now();
            DomainEvent<SignalGenerated> signal = DomainEvent.of(new SignalGenerated(g.strategyId,
                    OrderSpec.marketSell(g.market, g.volume()), why, new Exit(reason, price)), now);
            order = ClientOrderId.forSignal(signal.eventId());
            g.exitSent(order);
            out.add(signal);
            out.add(DomainEvent.causedBy(signal, g.state(this::round, now, "exit sent: " + why), now));
        }
        logger.warn("{}: closing its position at market ({}), order {}", strategyId, reason.code(), order);
        bus.publishAll(out);
        return order;
    }

    private void filled(DomainEvent<?> event, OrderFilled fill, List<DomainEvent<?>> out) {
        Guard g = guards.computeIfAbsent(fill.strategyId(),
                id -> new Guard(id, fill.market(), rules.getOrDefault(id, ExitRules.NONE)));
        if (!g.market.equals(fill.market())) {
            logger.warn("strategy {} filled on {} but its position is on {}; not guarded", fill.strategyId(), fill.market(), g.market);
            return;
        }
        if (g.volume().signum() == 0 && rules.containsKey(g.strategyId) && !g.rules().equals(rules.get(g.strategyId))) {
            g.rules(rules.get(g.strategyId), this::round); // a new position takes the instance's current rules
        }
        g.filled(fill.side(), fill.price(), fill.volume(), event.occurredAt(), this::round);
        out.add(DomainEvent.causedBy(event, g.state(this::round, event.occurredAt(), fill.side().upbitName() + " fill "
                + fill.volume().toPlainString() + " at " + fill.price().toPlainString() + " of order " + fill.orderId()),
                event.occurredAt()));
    }

    private void exitEnded(DomainEvent<?> event, String strategyId, ClientOrderId orderId, String why, List<DomainEvent<?>> out) {
        Guard g = guards.get(strategyId);
        if (g == null || !orderId.equals(g.exitOrder())) {
            return;
        }
        g.exitEnded();
        logger.warn("{}: exit order {} {}; the next price decides again", strategyId, orderId, why);
        out.add(DomainEvent.causedBy(event, g.state(this::round, event.occurredAt(), "exit order " + orderId + " " + why),
                event.occurredAt()));
    }
}
