package io.autotrade.exchange.upbit.internal;

import io.autotrade.api.event.DomainEvent;
import io.autotrade.api.event.EventBus;
import io.autotrade.api.event.EventQuery;
import io.autotrade.api.event.EventStore;
import io.autotrade.api.exchange.Balance;
import io.autotrade.api.exchange.Exchange;
import io.autotrade.api.exchange.ExchangeException;
import io.autotrade.api.exchange.MarketRules;
import io.autotrade.api.exchange.TickSize;
import io.autotrade.api.trading.ClientOrderId;
import io.autotrade.api.trading.KillSwitch;
import io.autotrade.api.trading.Market;
import io.autotrade.api.trading.OrderAccepted;
import io.autotrade.api.trading.OrderCanceled;
import io.autotrade.api.trading.OrderFilled;
import io.autotrade.api.trading.OrderRejected;
import io.autotrade.api.trading.OrderRequested;
import io.autotrade.api.trading.OrderSpec;
import io.autotrade.api.trading.OrderSubmitted;
import io.autotrade.api.trading.OrderType;
import io.autotrade.api.trading.RiskBreached;
import io.autotrade.api.trading.Side;
import io.autotrade.api.trading.TimeInForce;
import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.ArrayList;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * The live order path on Upbit ({@link Exchange}, id {@value #ID}), independent of OSGi so it can be
 * tested against a stub server; {@link UpbitExchangeComponent} runs it in the framework.
 *
 * <ul>
 *   <li><b>Stale orders.</b> An order whose request is older than {@code maxAge} (its time is its
 *       cause's: the candle that led to it) is not sent but rejected with code {@code stale_order}:
 *       after a restart, a redelivery or a warm-up on history candles, a signal from minutes ago is not
 *       a reason to trade now.</li>
 *   <li><b>Submit.</b> {@code POST orders} with our client order id as {@code identifier}; a limit
 *       price is rounded to the market's tick first (down for a bid, up for an ask: never a worse
 *       price than asked). The tick is the larger of Upbit's {@code orderbook/instruments}
 *       {@code tick_size} for the market and the KRW tick table's for the price ({@link TickSize}),
 *       so the price is on both; the table alone when Upbit does not answer. Upbit's answer becomes {@link OrderAccepted} (venue id = Upbit's
 *       {@code uuid}) or {@link OrderRejected} with Upbit's error name ({@code insufficient_funds_bid},
 *       {@code under_min_total_bid}, ...).</li>
 *   <li><b>Thin books.</b> Before a market order the market's {@code orderbook} is read; when its
 *       best ask and bid are further apart than {@link #maxSpread} of their mid, the order is rejected
 *       with code {@code wide_spread} and not sent. A book that cannot be read does not stop it.</li>
 *   <li><b>Dry run</b> ({@link #dryRun}): orders go to {@code POST orders/test}, which Upbit checks
 *       as an order (funds, minimum, tick, market state) without placing it; each ends as
 *       {@link OrderRejected} with code {@code dry_run} or Upbit's error name.</li>
 *   <li><b>No clear answer</b> (timeout, lost connection): the order is looked up by its
 *       {@code identifier} ({@code GET order}), never sent again: found, it is accepted; not found
 *       after {@link #LOOKUPS} lookups, it is rejected with code {@code no_answer} (Upbit refuses a
 *       second order with the same identifier anyway).</li>
 *   <li><b>Fills.</b> {@link #poll()} asks Upbit for each working order ({@code GET order} by
 *       {@code uuid}) and publishes one {@link OrderFilled} per trade {@code uuid} it has not published
 *       before, so a fill is never counted twice, across restarts too (the published trade ids are
 *       read back from the store); a canceled order becomes {@link OrderCanceled}.</li>
 *   <li><b>Reconciliation</b> ({@link #reconcile}, at start): orders requested but never answered
 *       are looked up by identifier, and every order accepted and not final is polled, so fills that
 *       happened while the runtime was down become events. Then Upbit's open orders
 *       ({@code GET orders/open}) are compared: one of ours that the store holds as ended is polled
 *       again; others (placed by hand or another tool) are reported, since they lock balance. The
 *       balances are logged with their KRW value at the last trade ({@code GET ticker}). Last,
 *       for each market this runtime has fills on, Upbit's holding of the base currency
 *       ({@code accounts}, available + locked) is compared with the fills' bought minus sold volume; a
 *       difference is published as a {@link RiskBreached} with rule {@value #BALANCE_RULE} (limit: the
 *       fills' volume; value: Upbit's), stored and shown by {@code trade:events}; trading goes on.</li>
 * </ul>
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

    /**
     * A working order: who asked, Upbit's uuid, the trades of Upbit's answer to it (they took liquidity), and
     * the trades of an order by amount seen on the private stream, held until its end.
     */
    private record Working(DomainEvent<OrderRequested> request, String uuid, Set<String> immediateTrades, List<Fill> held) {
        Working(DomainEvent<OrderRequested> request, String uuid, Set<String> immediateTrades) {
            this(request, uuid, immediateTrades, new ArrayList<>());
        }

        Working(DomainEvent<OrderRequested> request, String uuid) {
            this(request, uuid, Set.of()); // found again at start: which of its trades were immediate is not known
        }

        OrderSpec spec() {
            return request.payload().order();
        }
    }

    /** One trade of ours, from REST or the private stream; {@code fee} null: computed from the rates. */
    private record Fill(String tradeUuid, BigDecimal price, BigDecimal volume, BigDecimal funds, BigDecimal fee, boolean maker) {
    }

    private final UpbitClient client;
    private final EventBus bus;
    private final Consumer<String> log;
    private final Consumer<String> info;
    private final Duration lookupPause;
    private final Map<ClientOrderId, Working> working = new ConcurrentHashMap<>();
    private final Set<String> publishedTrades = ConcurrentHashMap.newKeySet();
    private final Map<Market, MarketRules> rules = new ConcurrentHashMap<>();
    /** Maker fee rates per market from {@code orders/chance}: bid, ask. */
    private final Map<Market, BigDecimal[]> makerFees = new ConcurrentHashMap<>();
    private final Map<Market, BigDecimal> instrumentTicks = new ConcurrentHashMap<>();
    /** Base volume bought minus sold per market, from every fill published or stored: what Upbit should hold for us. */
    private final Map<Market, BigDecimal> filledVolume = new ConcurrentHashMap<>();
    /** Orders Upbit answered (accepted, or rejected by it or by this adapter): never sent again. */
    private final Set<ClientOrderId> answered = ConcurrentHashMap.newKeySet();
    private final Duration maxAge;
    private volatile boolean dryRun;
    private volatile String smpType = "cancel_taker";
    /** {@code GET orders/uuids} takes at most this many uuids (Upbit API reference, "id로 주문 리스트 조회"). */
    static final int UUIDS_PER_CALL = 100;
    /** Per working order's uuid, the state and executed volume last published: a poll reads its trades only when they change. */
    private final Map<String, String> seen = new java.util.concurrent.ConcurrentHashMap<>();
    /** How many orders' early {@code myOrder} messages are kept at most. */
    private static final int EARLY_KEPT = 1000;
    /** {@code myOrder} messages of orders not accepted yet, by uuid, oldest order first. */
    private final Map<String, List<UpbitJson.MyOrder>> early = new java.util.LinkedHashMap<>();
    private volatile java.util.function.BooleanSupplier streamUp = () -> false;
    /** Balances as {@code accounts} and then the private stream reported them; null until the stream caught up. */
    private volatile Map<String, Balance> streamedBalances;
    private volatile Instant balancesReadAt = Instant.EPOCH;
    /** Order totals per market from {@code orders/chance}. */
    private final Map<Market, UpbitJson.Totals> totals = new ConcurrentHashMap<>();
    private final OrderGuards guards;
    /** The reason an order ended by Upbit's self-match prevention starts with. */
    static final String PREVENTED = "self_match_prevented";
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
    }

    /** @return the market's order totals ({@code orders/chance}), or null when Upbit cannot be asked (logged) */
    private UpbitJson.Totals totalsOf(Market market) {
        try {
            rules(market);
        } catch (ExchangeException e) {
            log.accept("order totals of " + market + " not known (" + e.getMessage() + "); Upbit checks them");
        }
        return totals.get(market);
    }

    @Override
    public String id() {
        return ID;
    }

    @Override
    public void submit(DomainEvent<OrderRequested> request) {
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
        Query q = new Query().add("market", spec.market().code()).add("side", spec.side().upbitName())
                .add("ord_type", spec.type().upbitName());
        if (spec.type() == OrderType.LIMIT) {
            RoundingMode toward = spec.side() == Side.BID ? RoundingMode.DOWN : RoundingMode.UP;
            q.add("volume", spec.volume().toPlainString()).add("price", onTick(spec.market(), spec.price(), toward).toPlainString());
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

    /** @return the order Upbit has under our identifier, or null if it has none after {@link #LOOKUPS} tries */
    private UpbitJson.Order lookUp(ClientOrderId id) {
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

    private synchronized void accept(DomainEvent<OrderRequested> request, UpbitJson.Order placed) {
        OrderRequested r = request.payload();
        answered.add(r.orderId());
        // trades in Upbit's answer to the order itself took liquidity (taker); later ones filled it resting (maker)
        working.put(r.orderId(), new Working(request, placed.uuid(),
                placed.trades().stream().map(UpbitJson.Trade::uuid).collect(java.util.stream.Collectors.toUnmodifiableSet())));
        bus.publish(DomainEvent.causedBy(request, new OrderAccepted(r.orderId(), r.strategyId(), r.order().market(),
                placed.uuid()), Instant.now()));
        update(working.get(r.orderId()), placed);
        List<UpbitJson.MyOrder> before = early.remove(placed.uuid());
        if (before != null) {
            before.forEach(this::onMyOrder); // the private stream told of it before Upbit's answer arrived
        }
    }

    private void reject(DomainEvent<OrderRequested> request, String code, String reason) {
        OrderRequested r = request.payload();
        answered.add(r.orderId());
        bus.publish(DomainEvent.causedBy(request, new OrderRejected(r.orderId(), r.strategyId(), r.order().market(), code,
                reason), Instant.now()));
    }

    /**
     * Publishes the order's trades not published before, and its end if it ended, from Upbit's REST view of
     * it ({@code GET order}, or the answer to {@code POST orders}). One at a time: the poller, the private
     * stream and a submit or cancel may report the same order at once, and a trade is one fill.
     */
    private synchronized void update(Working w, UpbitJson.Order now) {
        if (working.get(w.request().payload().orderId()) != w) {
            return; // ended meanwhile (the private stream told first): nothing of it is published twice
        }
        seen.put(w.uuid(), signature(now));
        OrderSpec spec = w.spec();
        if (spec.byAmount() && !now.isFinal()) {
            return; // a buy by amount's fills wait for its end (milliseconds): only then is it known which is the last
        }
        List<Fill> fresh = new ArrayList<>();
        BigDecimal funds = BigDecimal.ZERO;
        for (UpbitJson.Trade t : now.trades()) {
            BigDecimal f = t.funds() != null ? t.funds() : t.price().multiply(t.volume());
            funds = funds.add(f);
            if (!publishedTrades.contains(t.uuid())) {
                fresh.add(new Fill(t.uuid(), t.price(), t.volume(), f, null, rested(w, t.uuid())));
            }
        }
        publish(w, fresh, now.state(), now.executedVolume(), funds, now.preventedVolume(), now.state().equals("done"));
    }

    /** @return whether a trade filled the order as maker: a limit order's trade that was not in Upbit's answer to the order */
    private static boolean rested(Working w, String tradeUuid) {
        return w.spec().type() == OrderType.LIMIT && !w.immediateTrades().contains(tradeUuid);
    }

    /**
     * Publishes fills and the order's end; the one place either happens, so the REST and stream paths agree.
     *
     * @param fresh          trades of the order not published yet, oldest first
     * @param state          Upbit's state of the order now
     * @param executedVolume base volume filled in all
     * @param executedFunds  quote funds filled in all
     * @param preventedVolume volume self-match prevention did not execute, or null
     * @param complete       whether nothing remains to fill: the last fresh trade is the order's final fill
     */
    private void publish(Working w, List<Fill> fresh, String state, BigDecimal executedVolume, BigDecimal executedFunds,
            BigDecimal preventedVolume, boolean complete) {
        OrderRequested r = w.request().payload();
        OrderSpec spec = r.order();
        // Upbit ends a buy by amount as "cancel" when funds below one unit remain after its trades (API reference,
        // "주문 리스트 조회", state): when what is left is under the market's minimum order, it is filled, its last
        // trade final and the remainder released; a larger rest (an IOC best bid that took one level) was canceled
        boolean filledThenCanceled = spec.byAmount() && state.equals("cancel") && executedVolume.signum() > 0
                && spec.price().subtract(executedFunds).compareTo(rules(spec.market()).minTotal()) < 0;
        boolean done = complete || filledThenCanceled;
        for (int i = 0; i < fresh.size(); i++) {
            Fill t = fresh.get(i);
            boolean last = i == fresh.size() - 1 && done;
            BigDecimal fee = t.fee() != null ? t.fee() : feeOf(spec, t.funds(), t.maker());
            bus.publish(DomainEvent.causedBy(w.request(), new OrderFilled(r.orderId(), r.strategyId(), spec.market(),
                    spec.side(), t.tradeUuid(), t.price(), t.volume(), fee, last), Instant.now()));
            publishedTrades.add(t.tradeUuid());
            count(spec.market(), spec.side(), t.volume());
        }
        if (state.equals("cancel") && !filledThenCanceled) {
            bus.publish(DomainEvent.causedBy(w.request(), new OrderCanceled(r.orderId(), r.strategyId(), spec.market(),
                    spec.timeInForce() == null || spec.timeInForce() == TimeInForce.POST_ONLY ? "canceled on Upbit"
                            : spec.timeInForce().upbitName() + ": Upbit canceled what did not fill at once"), Instant.now()));
        }
        if (state.equals("prevented")) {
            bus.publish(DomainEvent.causedBy(w.request(), new OrderCanceled(r.orderId(), r.strategyId(), spec.market(),
                    PREVENTED + ": Upbit's self-match prevention (smp_type " + (spec.smp() != null ? spec.smp().upbitName() : smpType)
                            + ") did not execute " + (preventedVolume == null ? "it" : preventedVolume.toPlainString() + " "
                                    + spec.market().base()) + ": it would have traded with a resting order of this account"),
                    Instant.now()));
        }
        if (state.equals("done") || state.equals("cancel") || state.equals("prevented")) {
            working.remove(r.orderId());
            seen.remove(w.uuid());
        }
    }

    /**
     * One {@code myOrder} message of the private stream: a trade of a working order is published at once (by
     * its {@code trade_uuid}, never twice, whichever path saw it first), as final when nothing remains; the
     * trades of an order by amount wait for its end, as on the REST path; the end is published as
     * {@link #update} would. A message about an order not known yet (the stream can be faster than Upbit's
     * answer to {@code POST orders}) is kept until the order is accepted; others' orders are ignored.
     *
     * @param m the message
     */
    synchronized void onMyOrder(UpbitJson.MyOrder m) {
        Working w = working.values().stream().filter(o -> o.uuid().equals(m.uuid())).findFirst().orElse(null);
        if (w == null) {
            if (early.size() >= EARLY_KEPT) {
                early.remove(early.keySet().iterator().next());
            }
            early.computeIfAbsent(m.uuid(), k -> new ArrayList<>()).add(m);
            return;
        }
        OrderSpec spec = w.spec();
        List<Fill> fresh = new ArrayList<>();
        if (m.isTrade() && !publishedTrades.contains(m.tradeUuid())
                && w.held().stream().noneMatch(f -> f.tradeUuid().equals(m.tradeUuid()))) {
            Fill f = new Fill(m.tradeUuid(), m.price(), m.volume(), m.price().multiply(m.volume()), m.tradeFee(),
                    m.maker() != null ? m.maker() : rested(w, m.tradeUuid()));
            if (spec.byAmount() || m.remainingVolume() == null) {
                w.held().add(f); // its last trade is known only at its end
            } else {
                fresh.add(f);
            }
        }
        if (!m.isFinal()) {
            publish(w, fresh, "wait", m.executedVolume(), BigDecimal.ZERO, null,
                    m.remainingVolume() != null && m.remainingVolume().signum() == 0);
            seen.put(w.uuid(), "wait/" + m.executedVolume().stripTrailingZeros().toPlainString());
            return;
        }
        w.held().stream().filter(f -> !publishedTrades.contains(f.tradeUuid())).forEach(fresh::add);
        BigDecimal funds = m.executedFunds() != null ? m.executedFunds()
                : w.held().stream().map(Fill::funds).reduce(BigDecimal.ZERO, BigDecimal::add);
        publish(w, fresh, m.state(), m.executedVolume(), funds, m.preventedVolume(), m.state().equals("done"));
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
        pollOrders();
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
        BigDecimal[] makerRates = makerFees.get(spec.market());
        BigDecimal rate = maker && makerRates != null ? makerRates[spec.side() == Side.BID ? 0 : 1]
                : spec.side() == Side.BID ? m.bidFee() : m.askFee();
        return funds.multiply(rate);
    }

    /**
     * Asks Upbit about the working orders, 100 per {@code GET orders/uuids}, and reads the trades
     * ({@code GET order}) only of those whose state or executed volume changed, publishing what is new.
     */
    void poll() {
        guards.refreshIfDue();
        if (!streamUp.getAsBoolean()) {
            pollOrders(); // while the private stream is up, it reports the working orders
        }
    }

    private void pollOrders() {
        List<Working> all = List.copyOf(working.values());
        for (int i = 0; i < all.size(); i += UUIDS_PER_CALL) {
            if (Thread.currentThread().isInterrupted()) {
                return; // the adapter is stopping
            }
            List<Working> page = all.subList(i, Math.min(i + UUIDS_PER_CALL, all.size()));
            Map<String, String> now = new HashMap<>();
            try {
                for (JsonNode n : client.get("/orders/uuids", new Query().addAll("uuids", page.stream().map(Working::uuid).toList()))) {
                    UpbitJson.Order o = UpbitJson.order(n);
                    now.put(o.uuid(), signature(o));
                }
            } catch (ExchangeException e) {
                log.accept("cannot poll " + page.size() + " working order(s): " + e.getMessage());
                continue;
            }
            for (Working w : page) {
                String changed = now.get(w.uuid());
                if (changed != null && changed.equals(seen.get(w.uuid()))) {
                    continue; // nothing new: no request for its trades
                }
                try {
                    update(w, UpbitJson.order(client.get("/order", new Query().add("uuid", w.uuid()))));
                } catch (ExchangeException e) {
                    log.accept("cannot poll order " + w.request().payload().orderId().value() + ": " + e.getMessage());
                }
            }
        }
    }

    /** @return what changes when an order trades or ends: its state and executed volume */
    private static String signature(UpbitJson.Order o) {
        return o.state() + "/" + o.executedVolume().stripTrailingZeros().toPlainString();
    }

    /**
     * Brings the runtime up to date with Upbit after a start: the published trade ids and working
     * orders from the store, then Upbit's view of each (lookups by identifier for requests without an
     * answer), publishing every difference.
     *
     * @param store the events before this start
     */
    void reconcile(EventStore store) {
        Map<ClientOrderId, DomainEvent<OrderRequested>> requested = new HashMap<>();
        Map<ClientOrderId, String> accepted = new HashMap<>();
        Set<ClientOrderId> submittedHere = new HashSet<>();
        Set<ClientOrderId> ended = new HashSet<>();
        for (DomainEvent<?> e : store.query(EventQuery.all())) {
            switch (e.payload()) {
                case OrderRequested r -> requested.put(r.orderId(), e.as(OrderRequested.class));
                case OrderSubmitted s when ID.equals(s.exchangeId()) -> submittedHere.add(s.orderId());
                case OrderAccepted a -> {
                    accepted.put(a.orderId(), a.venueOrderId());
                    answered.add(a.orderId());
                }
                case OrderFilled f -> {
                    if (submittedHere.contains(f.orderId())) {
                        count(f.market(), f.side(), f.volume());
                    }
                    publishedTrades.add(f.tradeId());
                    if (f.orderComplete()) {
                        ended.add(f.orderId());
                    }
                }
                case OrderCanceled c -> ended.add(c.orderId());
                case OrderRejected j -> {
                    ended.add(j.orderId());
                    answered.add(j.orderId());
                }
                default -> {
                }
            }
        }
        for (Map.Entry<ClientOrderId, DomainEvent<OrderRequested>> e : requested.entrySet()) {
            ClientOrderId id = e.getKey();
            if (ended.contains(id)) {
                continue;
            }
            if (accepted.containsKey(id)) {
                working.put(id, new Working(e.getValue(), accepted.get(id)));
            } else if (submittedHere.contains(id)) {
                UpbitJson.Order found = lookUp(id);
                if (found != null) {
                    accept(e.getValue(), found);
                } else {
                    reject(e.getValue(), "no_answer", "the order was requested before a restart and Upbit does not know"
                            + " identifier " + id.value());
                }
            }
        }
        followOpenOrders(requested);
        poll();
        reportHoldings();
    }

    /**
     * Compares Upbit's open orders ({@code GET orders/open}) with the working ones: one of ours the store
     * holds as ended is followed again; the others are counted and reported, since they lock balance.
     */
    private void followOpenOrders(Map<ClientOrderId, DomainEvent<OrderRequested>> requested) {
        Map<String, ClientOrderId> ours = new HashMap<>();
        requested.keySet().forEach(id -> ours.put(id.value(), id));
        int foreign = 0;
        for (JsonNode n : client.get("/orders/open", new Query().add("limit", 100))) {
            UpbitJson.Order open = UpbitJson.order(n);
            ClientOrderId id = open.identifier() == null ? null : ours.get(open.identifier());
            if (id == null) {
                foreign++;
            } else if (!working.containsKey(id)) {
                log.accept("order " + id.value() + " is open on Upbit but ended in the store; following it again");
                working.put(id, new Working(requested.get(id), open.uuid()));
            }
        }
        if (foreign > 0) {
            log.accept(foreign + " open order(s) on Upbit were not placed by this runtime; they lock balance the risk"
                    + " manager does not see");
        }
    }

    /**
     * Logs the balances with their KRW value, and publishes a {@link RiskBreached} for each traded market
     * whose base currency Upbit holds in another amount than the fills bought minus sold.
     */
    private void reportHoldings() {
        Map<String, Balance> held = balances();
        Map<String, BigDecimal> prices = lastPrices(held.keySet());
        StringBuilder funds = new StringBuilder();
        for (Balance b : held.values()) {
            funds.append(' ').append(b.currency()).append(' ').append(b.available().toPlainString());
            if (b.locked().signum() > 0) {
                funds.append(" (+").append(b.locked().toPlainString()).append(" locked)");
            }
            BigDecimal price = prices.get(b.currency());
            if (price != null) {
                funds.append(" = ").append(b.total().multiply(price).setScale(0, RoundingMode.DOWN).toPlainString())
                        .append(" KRW at ").append(price.toPlainString());
            }
        }
        filledVolume.forEach((market, bought) -> {
            Balance b = held.get(market.base());
            BigDecimal atUpbit = b == null ? BigDecimal.ZERO : b.total();
            if (atUpbit.compareTo(bought) != 0) {
                String message = "Upbit holds " + atUpbit.toPlainString() + " " + market.base() + "; the fills of this runtime on "
                        + market + " account for " + bought.toPlainString() + " (a difference of "
                        + atUpbit.subtract(bought).toPlainString() + " traded elsewhere or not reported)";
                log.accept(message);
                bus.publish(DomainEvent.of(new RiskBreached(null, SOURCE, market, BALANCE_RULE, bought, atUpbit, message),
                        Instant.now()));
            }
        });
        info.accept("reconciled with Upbit: " + working.size() + " working order(s), " + publishedTrades.size()
                + " fill(s) known; balances:" + funds);
    }

    /**
     * Reports each market that Upbit does not list ({@code GET market/all}): its candles will not come
     * and its orders will be refused.
     *
     * @param markets the configured markets
     */
    void checkMarkets(List<Market> markets) {
        guards.refreshMarketEvents();
        if (markets.isEmpty()) {
            return;
        }
        Set<String> listed = new HashSet<>();
        for (JsonNode n : client.publicGet("/market/all", new Query())) {
            listed.add(UpbitJson.text(n, "market"));
        }
        for (Market m : markets) {
            if (!listed.contains(m.code())) {
                log.accept("market " + m.code() + " is not listed on Upbit (market/all): no candles will come, orders are refused");
            } else if (!guards.marketEvent(m).isEmpty()) {
                log.accept("market " + m.code() + " is flagged by Upbit (market_event: " + String.join(", ", guards.marketEvent(m))
                        + ")" + (guards.allowFlagged() ? "; buys are allowed (allow.flagged.markets)" : "; buys into it are refused"));
            }
        }
    }

    /**
     * @param currencies currency codes of an account
     * @return the last trade price in KRW of each that has a KRW market ({@code GET ticker}); empty when
     *         Upbit does not answer (the report goes without values)
     */
    private Map<String, BigDecimal> lastPrices(Set<String> currencies) {
        List<String> markets = currencies.stream().filter(c -> !c.equals("KRW")).map(c -> "KRW-" + c).toList();
        Map<String, BigDecimal> out = new HashMap<>();
        if (markets.isEmpty()) {
            return out;
        }
        try {
            for (JsonNode n : client.publicGet("/ticker", new Query().add("markets", String.join(",", markets)))) {
                UpbitJson.Ticker t = UpbitJson.ticker(n);
                out.put(t.market().base(), t.tradePrice());
            }
        } catch (ExchangeException e) {
            log.accept("last prices not read (" + e.getMessage() + "); balances are reported without their KRW value");
        }
        return out;
    }

    private void count(Market market, Side side, BigDecimal volume) {
        filledVolume.merge(market, side == Side.BID ? volume : volume.negate(), BigDecimal::add);
    }

    /**
     * @param market a market
     * @param price  a limit price, quote currency
     * @param toward the direction to round
     * @return the price on the market's tick: the larger of Upbit's instrument tick and the table's
     */
    BigDecimal onTick(Market market, BigDecimal price, RoundingMode toward) {
        BigDecimal table = TickSize.of(market, price);
        BigDecimal instrument = instrumentTick(market);
        BigDecimal tick = instrument != null && instrument.compareTo(table) > 0 ? instrument : table;
        return price.divide(tick, 0, toward).multiply(tick).stripTrailingZeros();
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
        Working w = working.get(orderId);
        if (w == null) {
            throw new ExchangeException("Upbit has no working order " + orderId.value() + " from this runtime");
        }
        update(w, UpbitJson.order(client.delete("/order", new Query().add("uuid", w.uuid()))));
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
        List<String> markets = orderIds.stream().map(working::get).filter(java.util.Objects::nonNull)
                .map(w -> w.request().payload().order().market().code()).distinct().sorted().toList();
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
        for (Working w : List.copyOf(working.values())) {
            if (canceled.contains(w.uuid())) {
                update(w, UpbitJson.order(client.get("/order", new Query().add("uuid", w.uuid()))));
            }
        }
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

    @Override
    public MarketRules rules(Market market) {
        MarketRules known = rules.get(market);
        if (known == null) { // asked outside the map's lock: it is a request to Upbit
            JsonNode chance = client.get("/orders/chance", new Query().add("market", market.code()));
            known = UpbitJson.chance(chance);
            makerFees.put(market, UpbitJson.makerFees(chance));
            totals.put(market, UpbitJson.totals(chance));
            rules.put(market, known);
        }
        return known;
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
        Map<ClientOrderId, String> out = new HashMap<>();
        working.forEach((k, v) -> out.put(k, v.uuid()));
        return out;
    }
}
