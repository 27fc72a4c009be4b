package io.autotrade.manager.risk.internal;

import io.autotrade.api.event.DomainEvent;
import io.autotrade.api.event.EventBus;
import io.autotrade.api.event.EventProperties;
import io.autotrade.api.event.EventQuery;
import io.autotrade.api.event.EventStore;
import io.autotrade.api.event.Topics;
import io.autotrade.api.exchange.Exchange;
import io.autotrade.api.portfolio.OrderBlotter;
import io.autotrade.api.exchange.ExchangeException;
import io.autotrade.api.risk.PreTradeCheck;
import io.autotrade.api.risk.RiskLimit;
import io.autotrade.api.risk.RiskView;
import io.autotrade.api.trading.KillSwitch;
import io.autotrade.api.trading.Market;
import io.autotrade.api.trading.OrderRequested;
import io.autotrade.api.trading.PositionUpdated;
import io.autotrade.api.trading.RiskBreached;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.event.Event;
import org.osgi.service.event.EventConstants;
import org.osgi.service.event.EventHandler;
import org.osgi.service.log.Logger;
import org.osgi.service.log.LoggerFactory;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/**
 * The risk manager, PID {@value #PID}: the pre-trade gate every order request passes
 * ({@link PreTradeCheck}), the view behind {@code trade:risk}, and the automatic halt on the daily
 * loss limit (through the core's {@link KillSwitch}). The orders in flight it counts are the order
 * manager's blotter; positions, marks and losses are folded from the stored events, rebuilt at start. New
 * limits apply at once.
 */
@Component(immediate = true, configurationPid = RiskManager.PID,
        service = {PreTradeCheck.class, RiskView.class, EventHandler.class},
        property = {EventConstants.EVENT_TOPIC + "=" + Topics.POSITION_UPDATED,
                EventConstants.EVENT_TOPIC + "=" + Topics.CANDLE_CLOSED, EventProperties.HANDLER_ID + "=" + RiskManager.HANDLER})
@Designate(ocd = RiskManager.Config.class)
public class RiskManager implements PreTradeCheck, RiskView, EventHandler {
    /** Configuration PID. */
    public static final String PID = "io.autotrade.manager.risk";
    private static final int RECENT = 20;
    /** Handler id: the processing log says which events the risk book has folded in. */
    static final String HANDLER = "manager.risk";

    /**
     * The limits of KRW markets (amounts in KRW) and the counts; 0 switches a rule off. The money limits of
     * another quote currency's markets are the keys {@code RULE.CURRENCY} (e.g. {@code max.order.notional.USDT}),
     * defaulting as {@link RiskLimits#DEFAULT_OTHER_QUOTES} says.
     */
    @ObjectClassDefinition(name = "autotrade risk manager", description = "Pre-trade checks and automatic halts")
    public @interface Config {
        /** @return minimum order total where the exchange states none */
        @AttributeDefinition(name = "Minimum order total (KRW)", description = "Used when the exchange states no minimum (Upbit KRW: 5000)")
        String min_order_total() default "5000";

        /** @return largest order notional */
        @AttributeDefinition(name = "Max order notional (KRW)", description = "Largest price x volume (or market-buy amount) of one order; 0 = off")
        String max_order_notional() default "5000000";

        /** @return most orders in flight */
        @AttributeDefinition(name = "Max open orders", description = "Most orders in flight at once, the new one included; 0 = off", min = "0")
        int max_open_orders() default 10;

        /** @return largest position value plus open buys per market */
        @AttributeDefinition(name = "Max position notional (KRW)", description = "Per market: position value + open buys + this buy; 0 = off")
        String max_position_notional() default "10000000";

        /** @return largest total exposure */
        @AttributeDefinition(name = "Max total exposure (KRW)", description = "All markets: position values + open buys + this buy; 0 = off")
        String max_total_exposure() default "20000000";

        /** @return largest realized loss per KST day */
        @AttributeDefinition(name = "Daily loss limit (KRW)", description = "Realized loss net of fees per trading day (KST); past it buys are refused and trading halts; 0 = off")
        String daily_loss_limit() default "1000000";

        /** @return cooldown after a losing sell */
        @AttributeDefinition(name = "Cooldown after a loss (minutes)", description = "No buy in a market for this long after a losing sell there; 0 = off", min = "0")
        long cooldown_after_loss_minutes() default 0;
    }

    private final EventBus bus;
    private final KillSwitch killSwitch;
    private final Logger logger;
    private final RiskBook book;
    private final Deque<RiskBreached> recent = new ArrayDeque<>();

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile Exchange exchange;

    /** The orders in flight: the order manager's blotter, the one view of them (none while it is absent). */
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile OrderBlotter blotter;

    /**
     * @param bus           where breaches are published
     * @param store         the history the state is rebuilt from
     * @param killSwitch    halts trading on the daily loss limit
     * @param loggerFactory for breaches and halts
     * @param config        the limits
     * @param properties    every configuration property, for the limits of quote currencies other than KRW
     * @throws IllegalArgumentException naming a limit that is not a number or negative
     */
    @Activate
    public RiskManager(@Reference EventBus bus, @Reference EventStore store, @Reference KillSwitch killSwitch,
            @Reference LoggerFactory loggerFactory, Config config, Map<String, Object> properties) {
        this.bus = bus;
        this.killSwitch = killSwitch;
        this.logger = loggerFactory.getLogger(RiskManager.class);
        this.book = new RiskBook(limits(config, properties), () -> {
            OrderBlotter b = blotter;
            return b == null ? List.of() : b.openOrders();
        });
        for (DomainEvent<?> event : store.query(EventQuery.all().handledBy(HANDLER))) {
            book.apply(event);
        }
        for (DomainEvent<?> event : store.query(EventQuery.ofType(RiskBreached.KIND.type()).limit(RECENT))) {
            remember((RiskBreached) event.payload());
        }
    }

    @Modified
    void modified(Config config, Map<String, Object> properties) {
        RiskLimits next = limits(config, properties);
        synchronized (book) {
            book.limits(next);
        }
        logger.info("risk limits now {}", next);
    }

    /**
     * @param c          the KRW limits and the counts
     * @param properties every configuration property: {@code RULE.CURRENCY} (e.g. {@code max.order.notional.USDT})
     *                   sets a money limit of another quote currency's markets
     * @return the limits
     * @throws IllegalArgumentException naming a limit that is not a number or negative
     */
    static RiskLimits limits(Config c, Map<String, Object> properties) {
        Set<String> currencies = new TreeSet<>(RiskLimits.DEFAULT_OTHER_QUOTES.keySet());
        for (String key : properties.keySet()) {
            for (String rule : RiskLimits.MONEY_RULES) {
                if (key.startsWith(rule + ".") && key.substring(rule.length() + 1).matches("[A-Z][A-Z0-9]{1,9}")) {
                    currencies.add(key.substring(rule.length() + 1));
                }
            }
        }
        Map<String, RiskLimits.QuoteLimits> configured = new HashMap<>();
        for (String cur : currencies) {
            RiskLimits.QuoteLimits d = RiskLimits.DEFAULT_OTHER_QUOTES.getOrDefault(cur, RiskLimits.QuoteLimits.off(cur));
            configured.put(cur, new RiskLimits.QuoteLimits(cur, amount(properties, "min.order.total." + cur, d.minOrderTotal()),
                    amount(properties, "max.order.notional." + cur, d.maxOrderNotional()),
                    amount(properties, "max.position.notional." + cur, d.maxPositionNotional()),
                    amount(properties, "max.total.exposure." + cur, d.maxTotalExposure()),
                    amount(properties, "daily.loss.limit." + cur, d.dailyLossLimit())));
        }
        return new RiskLimits(amount("min.order.total", c.min_order_total()),
                amount("max.order.notional", c.max_order_notional()), c.max_open_orders(),
                amount("max.position.notional", c.max_position_notional()),
                amount("max.total.exposure", c.max_total_exposure()), amount("daily.loss.limit", c.daily_loss_limit()),
                c.cooldown_after_loss_minutes(), configured);
    }

    private static BigDecimal amount(Map<String, Object> properties, String key, BigDecimal fallback) {
        Object value = properties.get(key);
        return value == null ? fallback : amount(key, String.valueOf(value));
    }

    private static BigDecimal amount(String key, String text) {
        try {
            return new BigDecimal(text.strip());
        } catch (NumberFormatException | NullPointerException e) {
            throw new IllegalArgumentException(key + " must be a number, was '" + text + "'");
        }
    }

    @Override
    public Optional<RiskBreached> check(DomainEvent<OrderRequested> request) {
        OrderRequested order = request.payload();
        BigDecimal exchangeMinimum = null;
        Exchange ex = exchange;
        if (ex != null) {
            try {
                exchangeMinimum = ex.rules(order.order().market()).minTotal();
            } catch (ExchangeException e) {
                logger.warn("no market rules for {} from exchange {}: {}", order.order().market(), ex.id(), e.getMessage());
            }
        }
        Optional<RiskBook.Breach> breach;
        synchronized (book) {
            breach = book.check(order, request.occurredAt(), exchangeMinimum, killSwitch.haltReason());
        }
        if (breach.isEmpty()) {
            return Optional.empty();
        }
        RiskBook.Breach b = breach.get();
        RiskBreached event = new RiskBreached(order.orderId(), order.strategyId(), order.order().market(), b.rule(),
                b.limit(), b.value(), b.message());
        remember(event);
        logger.warn("order {} of {} refused by {}: {}", order.orderId(), order.strategyId(), b.rule(), b.message());
        bus.publish(DomainEvent.causedBy(request, event, request.occurredAt()));
        return Optional.of(event);
    }

    @Override
    public void handleEvent(Event osgiEvent) {
        DomainEvent<?> event = EventProperties.domainEvent(osgiEvent);
        Optional<RiskBook.Breach> lossHalt;
        synchronized (book) {
            lossHalt = book.apply(event);
        }
        if (lossHalt.isPresent()) {
            RiskBook.Breach b = lossHalt.get();
            Market market = ((PositionUpdated) event.payload()).position().market();
            RiskBreached breached = new RiskBreached(null, "risk", market, b.rule(), b.limit(), b.value(), b.message());
            remember(breached);
            bus.publish(DomainEvent.causedBy(event, breached, event.occurredAt()));
            killSwitch.halt(b.message());
        }
    }

    private void remember(RiskBreached breached) {
        synchronized (recent) {
            recent.addLast(breached);
            while (recent.size() > RECENT) {
                recent.removeFirst();
            }
        }
    }

    @Override
    public List<RiskLimit> limits() {
        synchronized (book) {
            return book.usage(Instant.now());
        }
    }

    @Override
    public List<RiskBreached> recentBreaches() {
        synchronized (recent) {
            return new ArrayList<>(recent);
        }
    }
}
