package io.autotrade.exchange.upbit.internal;

import io.autotrade.api.event.DomainEvent;
import io.autotrade.api.event.EventBus;
import io.autotrade.api.event.EventStore;
import io.autotrade.api.exchange.Balance;
import io.autotrade.api.exchange.Exchange;
import io.autotrade.api.exchange.ExchangeException;
import io.autotrade.api.exchange.MarketRules;
import io.autotrade.exchange.rules.TickSize;
import io.autotrade.api.trading.ClientOrderId;
import io.autotrade.api.trading.Market;
import io.autotrade.api.trading.OrderAccepted;
import io.autotrade.api.trading.OrderRejected;
import io.autotrade.api.trading.OrderRequested;
import io.autotrade.api.trading.OrderSpec;
import io.autotrade.api.trading.OrderType;
import io.autotrade.api.trading.RiskBreached;
import io.autotrade.api.trading.Side;
import io.autotrade.api.trading.TimeInForce;
import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * The live order path on Upbit ({@link Exchange}, id {@value #ID}), independent of OSGi so it can be
 * tested against a stub server; {@link UpbitExchangeComponent} runs it in the framework. It sends orders;
 * {@link OrderTracker} follows them to their fills and ends, {@link OrderGuards} checks them first and
 * {@link Reconciler} brings the runtime up to date at start.
 *
 * <ul>
 *   <li><b>Stale orders.</b> An order whose request is older than {@code maxAge} (its time is its
 *       cause's: the candle that led to it) is rejected with code {@code stale_order}, never sent: after a
 *       restart, a redelivery or a warm-up on history candles, a signal from minutes ago is no reason to
 *       trade now.</li>
 *   <li><b>Submit.</b> {@code POST orders} with our client order id as {@code identifier}, the order's
 *       {@code time_in_force} and its (or the adapter's) {@code smp_type}; a limit price goes on the tick
 *       first (down for a bid, up for an ask), the larger of Upbit's {@code orderbook/instruments}
 *       {@code tick_size} and the KRW table's ({@link TickSize}). Upbit's answer becomes
 *       {@link OrderAccepted} (venue id = its {@code uuid}) or {@link OrderRejected} with Upbit's error name.</li>
 *   <li><b>Dry run</b> ({@link #dryRun}): orders go to {@code POST orders/test}, which Upbit checks without
 *       placing them; each ends as {@link OrderRejected} with code {@code dry_run} or Upbit's error name.</li>
 *   <li><b>No clear answer</b> (timeout, lost connection): the order is looked up by its {@code identifier},
 *       never sent again: found, it is accepted; not found after {@link #LOOKUPS} lookups, it is rejected
 *       with code {@code no_answer} (Upbit refuses a second order with the same identifier anyway).</li>
 *   <li><b>Balances</b> come from the private stream's {@code myAsset} while it is up, else from
 *       {@code GET accounts}.</li>
 * </ul>
 *
 * <p>Why it is longer than 400 lines: sending an order (stale check, guards, parameters, dry run, lookup of an unanswered one) and the market rules it needs (orders/chance, tick sizes) are one path; following orders is in OrderTracker, the start in Reconciler.
 */
final class UpbitExchange implements Exchange {
    /** This adapter's {@code exchange.id}. */
    static final String ID = "upbit";
    /** The {@code rule} of the {@link RiskBreached} that reports a holding Upbit and the fills disagree on. */
    static final String BALANCE_RULE = "balance.reconciliation";
    /**
     * The adapter's name on the bus: the handler id of its {@code order.submitted} handler, and the
     * {@code strategyId} of the {@link RiskBreached} it publishes.
     */
    static final String SOURCE = "exchange.upbit";
    /** How often an unanswered submission is looked up before it is given up. */
    static final int LOOKUPS = 3;

    private final UpbitClient client;
    private final EventBus bus;
    private final Consumer<String> log;
    private final Consumer<String> info;
    private final Duration lookupPause;
    /** What {@code orders/chance} says of each market asked about, read once. */
    private final Map<Market, Chance> chances = new ConcurrentHashMap<>();
    private final Map<Market, BigDecimal> instrumentTicks = new ConcurrentHashMap<>();
    /** Orders Upbit answered (accepted, or rejected by it or by this adapter): never sent again. */
    private final Set<ClientOrderId> answered = ConcurrentHashMap.newKeySet();
    private final Duration maxAge;
    private volatile boolean dryRun;
    private volatile String smpType = "cancel_taker";
    private volatile java.util.function.BooleanSupplier streamUp = () -> false;
    /** Balances as {@code accounts} and then the private stream reported them; null until the stream caught up. */
    private volatile Map<String, Balance> streamedBalances;
    private volatile Instant balancesReadAt = Instant.EPOCH;
    private final OrderGuards guards;
    private final OrderTracker tracker;
    private final java.util.function.Supplier<Instant> clock;

    /**
     * @param client      Upbit's REST API
     * @param bus         where answers and fills are published
     * @param log         warnings for people (never a secret)
     * @param info        news for people: the reconciliation's outcome
     * @param lookupPause the pause before each lookup of an unanswered submission
     * @param maxAge      the oldest an order's request may be when it is sent; zero: no limit
     * @param clock       the time
     */
    UpbitExchange(UpbitClient client, EventBus bus, Consumer<String> log, Consumer<String> info, Duration lookupPause,
            Duration maxAge, java.util.function.Supplier<Instant> clock) {
        this.info = info;
        this.client = client;
        this.bus = bus;
        this.log = log;
        this.lookupPause = lookupPause;
        this.maxAge = maxAge;
        this.clock = clock;
        this.guards = new OrderGuards(client, log, clock, this::totalsOf);
        this.tracker = new OrderTracker(client, bus, log, this::feeOf, market -> rules(market).minTotal(), () -> smpType);
    }

    /** @return the market's order totals ({@code orders/chance}), or null when Upbit cannot be asked (logged) */
    private UpbitJson.Totals totalsOf(Market market) {
        try {
            rules(market);
        } catch (ExchangeException e) {
            log.accept("order totals of " + market + " not known (" + e.getMessage() + "); Upbit checks them");
        }
        Chance known = chances.get(market);
        return known == null ? null : known.totals();
    }

    @Override
    public String id() {
        return ID;
    }

    /**
     * Sends an order to Upbit (or answers it without sending: stale, refused by a guard, answered before).
     *
     * @param request the order's request
     */
    void submit(DomainEvent<OrderRequested> request) {
        OrderRequested r = request.payload();
        OrderSpec spec = r.order();
        if (answered.contains(r.orderId())) {
            log.accept("order " + r.orderId().value() + " was answered before (reconciliation); not sent again");
            return;
        }
        Duration age = Duration.between(request.occurredAt(), clock.get());
        if (!maxAge.isZero() && age.compareTo(maxAge) > 0) {
            reject(request, "stale_order", "order " + r.orderId().value() + " comes from " + age.toSeconds()
                    + " s ago, more than order.max.age.ms (" + maxAge.toMillis() + "); not sent to Upbit");
            return;
        }
        String[] problem = guards.problem(spec);
        if (problem != null) {
            reject(request, problem[0], problem[1]);
            return;
        }
        Query q = query(r);
        if (dryRun) {
            try {
                UpbitJson.Order checked = UpbitJson.order(client.post("/orders/test", q));
                reject(request, "dry_run", "Upbit checked the order and would take it (test uuid " + checked.uuid()
                        + "); dry run: not placed");
            } catch (UpbitApiException e) {
                reject(request, e.errorName(), e.getMessage());
            } catch (UpbitClient.NoAnswerException | UpbitJson.UpbitFormatException e) {
                reject(request, "dry_run", "Upbit's test endpoint gave no clear answer (" + e.getMessage() + "); not placed");
            }
            return;
        }
        UpbitJson.Order placed;
        try {
            placed = UpbitJson.order(client.post("/orders", q));
        } catch (UpbitApiException e) {
            reject(request, e.errorName(), e.getMessage());
            return;
        } catch (UpbitClient.NoAnswerException | UpbitJson.UpbitFormatException e) {
            log.accept("order " + r.orderId().value() + " got no clear answer (" + e.getMessage() + "); looking it up by identifier");
            placed = lookUp(r.orderId());
            if (placed == null) {
                reject(request, "no_answer", "Upbit did not answer the order and does not know identifier "
                        + r.orderId().value() + " after " + LOOKUPS + " lookups; it was not placed");
                return;
            }
        }
        accept(request, placed);
    }

    /** @return the {@code POST orders} parameters of a request (Upbit API reference, "주문 생성") */
    private Query query(OrderRequested r) {
        OrderSpec spec = r.order();
        Query q = new Query().add("market", spec.market().code()).add("side", spec.side().upbitName())
                .add("ord_type", spec.type().upbitName());
        if (spec.type() == OrderType.LIMIT) {
            RoundingMode toward = spec.side() == Side.BID ? RoundingMode.DOWN : RoundingMode.UP;
            q.add("volume", spec.volume().toPlainString()).add("price", roundToTick(spec.market(), spec.price(), toward).toPlainString());
        } else if (spec.byAmount()) {
            q.add("price", spec.price().toPlainString());
        } else {
            q.add("volume", spec.volume().toPlainString());
        }
        if (spec.timeInForce() != null) {
            q.add("time_in_force", spec.timeInForce().upbitName());
        }
        q.add("identifier", r.orderId().value());
        if (spec.timeInForce() != TimeInForce.POST_ONLY) { // Upbit refuses post_only with smp_type
            q.add("smp_type", spec.smp() != null ? spec.smp().upbitName() : smpType);
        }
        return q;
    }

    /** @return the order Upbit has under our identifier, or null if it has none after {@link #LOOKUPS} tries */
    UpbitJson.Order lookUp(ClientOrderId id) {
        for (int i = 0; i < LOOKUPS; i++) {
            try {
                Thread.sleep(lookupPause.toMillis());
                return UpbitJson.order(client.get("/order", new Query().add("identifier", id.value())));
            } catch (UpbitApiException e) {
                if (!e.refused()) {
                    log.accept("lookup of order " + id.value() + ": " + e.getMessage());
                } else if (e.status() == 404) {
                    continue;
                } else {
                    throw e;
                }
            } catch (UpbitClient.NoAnswerException e) {
                log.accept("lookup of order " + id.value() + " got no answer either: " + e.getMessage());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new ExchangeException("interrupted while looking up order " + id.value(), e);
            }
        }
        return null;
    }

    void accept(DomainEvent<OrderRequested> request, UpbitJson.Order placed) {
        answered.add(request.payload().orderId());
        tracker.accepted(request, placed);
    }

    /** Marks an order as answered by Upbit (found in the store at start): it is never sent again. */
    void answered(ClientOrderId id) {
        answered.add(id);
    }

    void reject(DomainEvent<OrderRequested> request, String code, String reason) {
        OrderRequested r = request.payload();
        answered.add(r.orderId());
        bus.publish(DomainEvent.causedBy(request, new OrderRejected(r.orderId(), r.strategyId(), r.order().market(), code,
                reason), Instant.now()));
    }

    /**
     * One {@code myOrder} message of the private stream ({@link OrderTracker#onMyOrder}).
     *
     * @param m the message
     */
    void onMyOrder(UpbitJson.MyOrder m) {
        tracker.onMyOrder(m);
    }

    /**
     * One {@code myAsset} message: the balances it names replace the ones held (others stay), unless it is older
     * than the last REST read of {@code accounts}.
     *
     * @param asset the message
     */
    synchronized void onMyAsset(UpbitJson.MyAsset asset) {
        Map<String, Balance> held = streamedBalances;
        if (held == null || asset.time().isBefore(balancesReadAt)) {
            return; // not caught up yet, or older than what was read
        }
        Map<String, Balance> next = new java.util.TreeMap<>(held);
        asset.balances().forEach(b -> next.put(b.currency(), b));
        streamedBalances = next;
    }

    /**
     * After the private stream (re)connected: every working order is polled by REST once (what traded or ended
     * while the stream was down is published, nothing twice), and the balances are read from {@code accounts},
     * the base the stream's {@code myAsset} messages update.
     */
    void catchUp() {
        Instant at = clock.get();
        Map<String, Balance> read = restBalances();
        synchronized (this) {
            balancesReadAt = at;
            streamedBalances = read;
        }
        tracker.poll();
    }

    /**
     * @param maker whether the trade filled an order that rested in the book: a limit order's trade that was
     *              not in Upbit's answer to the order itself (market orders and a limit order's immediate trades
     *              take liquidity)
     * @return the fee of one trade: its funds times the market's maker or taker rate for the side, from
     *         {@code orders/chance} (Upbit reports only the order's total)
     */
    private BigDecimal feeOf(OrderSpec spec, BigDecimal funds, boolean maker) {
        MarketRules m = rules(spec.market());
        BigDecimal[] makerRates = chances.get(spec.market()).makerFees();
        BigDecimal rate = maker ? makerRates[spec.side() == Side.BID ? 0 : 1] : spec.side() == Side.BID ? m.bidFee() : m.askFee();
        return funds.multiply(rate);
    }

    /** Reads the market flags again when due, and polls the working orders while the private stream is down. */
    void poll() {
        guards.refreshIfDue();
        if (!streamUp.getAsBoolean()) {
            tracker.poll(); // while the private stream is up, it reports the working orders
        }
    }

    /**
     * Brings the runtime up to date with Upbit after a start ({@link Reconciler#reconcile}).
     *
     * @param store the events before this start
     */
    void reconcile(EventStore store) {
        new Reconciler(this, tracker, guards, client, bus, log, info).reconcile(store);
    }

    /**
     * Checks the configured markets against Upbit's list and reads their flags ({@link Reconciler#checkMarkets}).
     *
     * @param markets the configured markets
     */
    void checkMarkets(List<Market> markets) {
        new Reconciler(this, tracker, guards, client, bus, log, info).checkMarkets(markets);
    }

    /**
     * Puts a limit price on the market's tick: the larger of Upbit's instrument tick ({@code orderbook/instruments})
     * and the published table's ({@link TickSize#round}, with its band rules).
     */
    @Override
    public BigDecimal roundToTick(Market market, BigDecimal price, RoundingMode mode) {
        BigDecimal instrument = instrumentTick(market);
        if (instrument == null || instrument.compareTo(TickSize.of(market, price)) <= 0) {
            return TickSize.round(market, price, mode);
        }
        return price.divide(instrument, 0, mode).multiply(instrument).stripTrailingZeros();
    }

    /** @return Upbit's tick size of the market ({@code orderbook/instruments}), or null when Upbit does not say */
    private BigDecimal instrumentTick(Market market) {
        BigDecimal known = instrumentTicks.get(market);
        if (known != null) {
            return known;
        }
        try {
            for (JsonNode n : client.publicGet("/orderbook/instruments", new Query().add("markets", market.code()))) {
                if (market.code().equals(UpbitJson.optionalText(n, "market"))) {
                    known = UpbitJson.decimal(n, "tick_size");
                    instrumentTicks.put(market, known);
                }
            }
        } catch (ExchangeException e) {
            log.accept("tick size of " + market + " not known from Upbit (" + e.getMessage() + "); the KRW tick table is used");
        }
        return known;
    }

    @Override
    public void cancel(ClientOrderId orderId) {
        String uuid = tracker.uuid(orderId);
        if (uuid == null) {
            throw new ExchangeException("Upbit has no working order " + orderId.value() + " from this runtime");
        }
        tracker.update(orderId, UpbitJson.order(client.delete("/order", new Query().add("uuid", uuid))));
    }

    /**
     * Cancels the open orders of the given orders' markets with one {@code DELETE orders/open} per 20
     * markets (Upbit API reference, "주문 일괄 취소": {@code pairs} up to 20, {@code count} up to 300; group
     * {@code order-cancel-all}, 1 request per 2 s). It also cancels orders of those markets placed elsewhere,
     * as a kill switch should. Each canceled order of this runtime then ends as the private stream reports it,
     * or, while the stream is down, is read once ({@code GET order}) so its fills and its end are published.
     *
     * @throws ExchangeException if Upbit refuses or cannot be reached
     */
    @Override
    public void cancelAll(List<ClientOrderId> orderIds) {
        List<String> markets = orderIds.stream().map(tracker::market).filter(java.util.Objects::nonNull)
                .map(Market::code).distinct().sorted().toList();
        Set<String> canceled = new HashSet<>();
        for (int i = 0; i < markets.size(); i += 20) {
            JsonNode reply = client.delete("/orders/open", new Query().add("pairs", String.join(",", markets.subList(i,
                    Math.min(i + 20, markets.size())))).add("count", 300));
            reply.path("success").path("orders").forEach(o -> canceled.add(UpbitJson.text(o, "uuid")));
            if (reply.path("failed").path("count").asInt(0) > 0) {
                log.accept("Upbit could not cancel " + reply.path("failed").path("count").asInt() + " order(s) (already"
                        + " done, or the market suspended): " + reply.path("failed").path("orders"));
            }
        }
        if (streamUp.getAsBoolean()) {
            return; // the private stream reports each end (and any last trade)
        }
        tracker.working().forEach((id, uuid) -> {
            if (canceled.contains(uuid)) {
                tracker.refresh(id);
            }
        });
    }

    /**
     * Connected while the private WebSocket is up, or while Upbit answered the last REST request; with each request
     * group's budget from the rate limiter (Upbit API, "요청 수 제한" / rate limits).
     */
    @Override
    public io.autotrade.api.exchange.ExchangeStatus status() {
        UpbitClient.Contact contact = client.lastContact();
        boolean stream = streamUp.getAsBoolean();
        String connection = stream ? "private WebSocket up"
                : contact == null ? "no request sent to Upbit yet"
                : (contact.reached() ? "REST: " : "REST failing: ") + contact.what() + " at " + contact.at();
        boolean connected = stream || contact == null || contact.reached();
        return new io.autotrade.api.exchange.ExchangeStatus(connected, connection, client.limiter().usage());
    }

    @Override
    public Map<String, Balance> balances() {
        Map<String, Balance> streamed = streamedBalances;
        return streamed != null && streamUp.getAsBoolean() ? new java.util.TreeMap<>(streamed) : restBalances();
    }

    /** @return the balances from {@code GET accounts} */
    private Map<String, Balance> restBalances() {
        Map<String, Balance> out = new java.util.TreeMap<>();
        UpbitJson.balances(client.get("/accounts", new Query())).forEach(b -> out.put(b.currency(), b));
        return out;
    }

    /**
     * @param up whether the private stream is up now: while it is, working orders are not polled and the
     *           balances come from its {@code myAsset} messages
     */
    void privateStream(java.util.function.BooleanSupplier up) {
        this.streamUp = up;
    }

    /**
     * One market's {@code orders/chance} (Upbit API reference, "주문 가능 정보"): taker fees and the buy minimum,
     * the maker fee rates (bid, ask) and the order totals.
     */
    private record Chance(MarketRules rules, BigDecimal[] makerFees, UpbitJson.Totals totals) {
    }

    @Override
    public MarketRules rules(Market market) {
        Chance known = chances.get(market);
        if (known == null) { // asked outside the map's lock: it is a request to Upbit
            JsonNode reply = client.get("/orders/chance", new Query().add("market", market.code()));
            known = new Chance(UpbitJson.chance(reply), UpbitJson.makerFees(reply), UpbitJson.totals(reply));
            chances.put(market, known);
        }
        return known.rules();
    }

    /**
     * @param type Upbit's {@code smp_type} sent with every order: {@code cancel_taker}, {@code cancel_maker} or {@code reduce}
     * @throws IllegalArgumentException for another value
     */
    void smpType(String type) {
        if (!List.of("cancel_taker", "cancel_maker", "reduce").contains(type)) {
            throw new IllegalArgumentException("smp.type must be cancel_taker, cancel_maker or reduce, was '" + type + "'");
        }
        this.smpType = type;
    }

    /** @param fraction the largest estimated slippage of a market order's average price from the best, 0.01 = 1%; 0 = off */
    void maxSlippage(BigDecimal fraction) {
        guards.maxSlippage(fraction);
    }

    /** @param allow {@code true} to let buys into markets Upbit flags (market_event) through */
    void allowFlaggedMarkets(boolean allow) {
        guards.allowFlagged(allow);
    }

    /**
     * @param on whether orders go to {@code POST orders/test} (checked by Upbit, never placed: each is
     *           then rejected with code {@code dry_run}, or with Upbit's error name) instead of
     *           {@code POST orders}
     */
    void dryRun(boolean on) {
        dryRun = on;
    }

    /**
     * @param fraction the widest spread (best ask minus best bid, over their mid) at which a market order
     *                 is still sent, e.g. 0.01 for 1%; zero: no check
     */
    void maxSpread(BigDecimal fraction) {
        guards.maxSpread(fraction);
    }

    /** @return the orders this adapter is watching, by our id: Upbit's uuid */
    Map<ClientOrderId, String> working() {
        return tracker.working();
    }
}
