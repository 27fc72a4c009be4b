package io.autotrade.exchange.paper.internal;

import io.autotrade.api.event.DomainEvent;
import io.autotrade.api.event.EventBus;
import io.autotrade.api.event.EventProperties;
import io.autotrade.api.event.EventQuery;
import io.autotrade.api.event.EventStore;
import io.autotrade.api.event.Topics;
import io.autotrade.api.exchange.Balance;
import io.autotrade.api.exchange.Exchange;
import io.autotrade.api.exchange.MarketRules;
import io.autotrade.api.trading.CandleClosed;
import io.autotrade.api.trading.CandleOpened;
import io.autotrade.api.trading.ClientOrderId;
import io.autotrade.api.trading.Market;
import io.autotrade.api.trading.OrderCanceled;
import io.autotrade.api.trading.OrderRequested;
import io.autotrade.exchange.rules.TickSize;
import io.autotrade.api.exchange.ExchangeException;
import io.autotrade.api.trading.OrderRejected;
import io.autotrade.api.trading.OrderAccepted;
import io.autotrade.api.trading.OrderFilled;
import io.autotrade.api.trading.OrderSubmitted;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.event.Event;
import org.osgi.service.event.EventConstants;
import org.osgi.service.event.EventHandler;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/**
 * The paper exchange service ({@code exchange.id=paper}): trades every market whose quote currency it
 * holds. It runs with its defaults (10,000,000 KRW) until configured (PID {@value #PID}, e.g.
 * {@code DIR/etc/io.autotrade.exchange.paper.cfg}); a new configuration starts a new book with the
 * configured balances, rebuilt from the journal.
 */
@Component(immediate = true, configurationPid = PaperExchange.PID, configurationPolicy = ConfigurationPolicy.OPTIONAL,
        service = {Exchange.class, EventHandler.class},
        property = {Exchange.EXCHANGE_ID + "=paper",
                EventConstants.EVENT_TOPIC + "=" + Topics.CANDLE_OPENED, EventConstants.EVENT_TOPIC + "=" + Topics.CANDLE_CLOSED,
                EventConstants.EVENT_TOPIC + "=" + Topics.ORDER_REQUESTED, EventConstants.EVENT_TOPIC + "=" + Topics.ORDER_SUBMITTED,
                EventProperties.HANDLER_ID + "=" + PaperExchange.HANDLER})
@Designate(ocd = PaperExchange.Config.class)
public class PaperExchange implements Exchange, EventHandler {
    /** Configuration PID. */
    public static final String PID = "io.autotrade.exchange.paper";
    /** Handler id: the processing log says which candles this book has seen. */
    static final String HANDLER = "exchange.paper";

    /** Configuration of the simulated account and fee model. */
    @ObjectClassDefinition(name = "autotrade paper exchange", description = "Simulated Upbit-like exchange")
    public @interface Config {
        /** @return starting balances, CURRENCY=amount */
        @AttributeDefinition(name = "Initial balances", description = "Starting balances as CURRENCY=amount, e.g. KRW=10000000")
        String[] initial_balances() default {"KRW=10000000"};

        /** @return fee rate as a fraction */
        @AttributeDefinition(name = "Fee rate", description = "Fee as a fraction of the filled notional on both sides (Upbit KRW: 0.0005 = 0.05%)")
        String fee_rate() default "0.0005";

        /** @return minimum order totals, QUOTE=amount */
        @AttributeDefinition(name = "Minimum order total", description = "Smallest order total per quote currency, QUOTE=amount (Upbit: KRW 5000)")
        String[] min_order_total() default {"KRW=5000", "BTC=0.00005", "USDT=0.5"};

        /** @return share of a candle's traded volume paper orders may take */
        @AttributeDefinition(name = "Participation rate",
                description = "Share of each candle's traded volume the paper orders may fill, in (0, 1]; 1 = fills are not capped. Below 1, fills are decided at the candle's close and large orders fill in parts over several candles.")
        String participation_rate() default "1";
    }

    private final EventBus bus;
    private final EventStore store;
    private final Object lock = new Object();
    /** Orders the current book took, so a redelivered submission is not taken twice; replaced with the book. */
    private Set<ClientOrderId> submitted = new HashSet<>();
    /**
     * Requests delivered here and not yet submitted, so a submission finds its request without reading the journal
     * (the order manager publishes them together, the request first); at most {@value #REQUESTS_KEPT}, oldest
     * dropped (a request that was never submitted: refused by the risk manager, or for another exchange).
     */
    private final Map<ClientOrderId, DomainEvent<OrderRequested>> requested = new LinkedHashMap<>() {
        @Override
        protected boolean removeEldestEntry(Map.Entry<ClientOrderId, DomainEvent<OrderRequested>> eldest) {
            return size() > REQUESTS_KEPT;
        }
    };
    private static final int REQUESTS_KEPT = 10_000;
    /** Guarded by {@link #lock}: replaced, not the component, when the configuration changes (null until rebuilt). */
    private PaperBook book;
    /** Guarded by {@link #lock}: the configuration the book is (to be) built from. */
    private Config configured;

    /**
     * @param bus    where fills and answers are published
     * @param store  the journal the book is rebuilt from after a restart
     * @param config balances and fee model
     * @throws IllegalArgumentException if an amount in the configuration is malformed
     */
    @Activate
    public PaperExchange(@Reference EventBus bus, @Reference EventStore store, Config config) {
        this.bus = bus;
        this.store = store;
        Set<ClientOrderId> taken = new HashSet<>();
        this.book = book(config, taken);
        this.configured = config;
        this.submitted = taken;
    }

    /**
     * A new configuration is a new book, rebuilt from the journal when it is first needed, in the same
     * component: the service stays registered (its properties updated, OSGi Compendium 112.7.1), so the
     * components bound to it are not rebound to a service on its way out. The rebuild reads the whole journal,
     * so it is not done here, inside SCR's call: a backtest's last act, deleting its configuration, needs none.
     *
     * @param config the new balances and fee model
     * @throws IllegalArgumentException if an amount in the configuration is malformed
     */
    @Modified
    void modified(Config config) {
        fresh(config); // refuses a malformed configuration now
        synchronized (lock) {
            configured = config;
            book = null;
        }
    }

    /** @return the book, rebuilt first after a new configuration; call under {@link #lock} */
    private PaperBook book() {
        if (book == null) {
            Set<ClientOrderId> taken = new HashSet<>();
            book = book(configured, taken);
            submitted = taken;
        }
        return book;
    }

    private static PaperBook fresh(Config config) {
        return new PaperBook(amounts("initial.balances", config.initial_balances()),
                decimal("fee.rate", config.fee_rate()), amounts("min.order.total", config.min_order_total()),
                decimal("participation.rate", config.participation_rate()));
    }

    private PaperBook book(Config config, Set<ClientOrderId> taken) {
        PaperBook fresh = fresh(config);
        rebuild(fresh, taken);
        return fresh;
    }

    /**
     * Books the journal into the book, publishing nothing, so balances and working orders are as they were before a
     * restart: every order this exchange accepted (locked at its {@code order.accepted}), every fill and cancel of it,
     * and the candles it handled (the last prices; an order works from the first open after its acceptance). The fills
     * are the journal's, not worked out again: a backtest does not journal its candles (a resumed replay warms the book
     * up on them instead, see {@code PaperBook.onClose}).
     */
    private void rebuild(PaperBook book, Set<ClientOrderId> taken) {
        Set<UUID> handled = new HashSet<>();
        store.query(EventQuery.all().handledBy(HANDLER)).forEach(e -> handled.add(e.eventId()));
        List<DomainEvent<?>> journal = store.query(EventQuery.all());
        Set<ClientOrderId> answered = new HashSet<>();
        for (DomainEvent<?> event : journal) {
            if (event.payload() instanceof OrderAccepted a) {
                answered.add(a.orderId());
            } else if (event.payload() instanceof OrderRejected r) {
                answered.add(r.orderId());
            }
        }
        Map<ClientOrderId, DomainEvent<OrderRequested>> requests = new LinkedHashMap<>();
        Set<ClientOrderId> ours = new HashSet<>();
        for (DomainEvent<?> event : journal) {
            switch (event.payload()) {
                case CandleOpened o when handled.contains(event.eventId()) ->
                        book.restoreCandle(o.market(), o.openTime(), o.openPrice());
                case CandleClosed c when handled.contains(event.eventId()) ->
                        book.restoreCandle(c.market(), c.candle().openTime(), c.candle().close());
                case OrderRequested r -> requests.put(r.orderId(), event.as(OrderRequested.class));
                // a submission this book took (handled, or answered: stores from before it took them as events);
                // one neither handled nor answered is redelivered and taken then
                case OrderSubmitted s when s.exchangeId().equals(id()) && requests.containsKey(s.orderId())
                        && (handled.contains(event.eventId()) || answered.contains(s.orderId())) -> {
                    ours.add(s.orderId());
                    taken.add(s.orderId());
                }
                case OrderAccepted a when ours.contains(a.orderId()) -> book.restore(requests.get(a.orderId()), a.venueOrderId());
                case OrderFilled f when ours.contains(f.orderId()) -> book.restoreFill(f);
                case OrderCanceled c when book.workingOrders().contains(c.orderId()) ->
                        book.cancel(c.orderId(), event.occurredAt());
                default -> {
                    // not about this book
                }
            }
        }
    }

    static Map<String, BigDecimal> amounts(String key, String[] entries) {
        Map<String, BigDecimal> map = new LinkedHashMap<>();
        for (String entry : entries) {
            int eq = entry.indexOf('=');
            if (eq <= 0) {
                throw new IllegalArgumentException(key + ": '" + entry + "' is not CURRENCY=amount");
            }
            map.put(entry.substring(0, eq).strip(), decimal(key, entry.substring(eq + 1).strip()));
        }
        return map;
    }

    static BigDecimal decimal(String key, String value) {
        try {
            BigDecimal d = new BigDecimal(value.strip());
            if (d.signum() < 0) {
                throw new IllegalArgumentException(key + ": must not be negative, was " + value);
            }
            return d;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(key + ": '" + value + "' is not a number");
        }
    }

    @Override
    public String id() {
        return "paper";
    }

    /**
     * Takes an order submitted to this exchange ({@code order.submitted} naming {@code paper}): its request is
     * the order's {@code order.requested}, delivered here before it (else read from the journal). A submission taken before (a redelivery) is skipped.
     */
    private List<DomainEvent<?>> take(DomainEvent<?> event, OrderSubmitted s) {
        PaperBook current = book(); // rebuilt first after a new configuration: its taken orders come with it
        if (!s.exchangeId().equals(id()) || !submitted.add(s.orderId())) {
            return List.of();
        }
        DomainEvent<OrderRequested> kept = requested.remove(s.orderId());
        DomainEvent<OrderRequested> request = kept != null ? kept : store.query(EventQuery.ofType(OrderRequested.KIND.type())
                .aggregate(s.orderId().value())).stream().findFirst().map(e -> e.as(OrderRequested.class))
                .orElseThrow(() -> new ExchangeException("order " + s.orderId().value() + " was submitted to the paper"
                        + " exchange but its request is not in the journal (" + event.eventId() + ")"));
        return current.submit(request);
    }

    @Override
    public void cancel(ClientOrderId orderId) {
        DomainEvent<?> canceled;
        synchronized (lock) {
            canceled = book().cancel(orderId, Instant.now());
        }
        bus.publish(canceled);
    }

    /** On Upbit's published price units ({@link TickSize}), as the paper book enforces them. */
    @Override
    public BigDecimal roundToTick(Market market, BigDecimal price, java.math.RoundingMode mode) {
        return TickSize.round(market, price, mode);
    }

    @Override
    public Map<String, Balance> balances() {
        synchronized (lock) {
            return book().balances();
        }
    }

    @Override
    public Balance balance(String currency) {
        synchronized (lock) {
            return book().balanceOf(currency);
        }
    }

    @Override
    public MarketRules rules(Market market) {
        synchronized (lock) {
            return book().rules(market);
        }
    }

    @Override
    public void handleEvent(Event osgiEvent) {
        DomainEvent<?> event = EventProperties.domainEvent(osgiEvent);
        List<DomainEvent<?>> out = List.of();
        synchronized (lock) {
            if (event.payload() instanceof CandleOpened) { // a warm-up publishes no opens: this one trades
                out = book().onOpen(event.as(CandleOpened.class));
            } else if (event.payload() instanceof CandleClosed) {
                out = book().onClose(event.as(CandleClosed.class));
            } else if (event.payload() instanceof OrderSubmitted s) {
                out = take(event, s);
            } else if (event.payload() instanceof OrderRequested r) {
                requested.put(r.orderId(), event.as(OrderRequested.class));
            }
        }
        out.forEach(bus::publish);
    }
}
