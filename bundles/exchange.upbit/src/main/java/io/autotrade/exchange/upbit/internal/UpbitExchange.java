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

    /** A working order: who asked, Upbit's uuid, and the trades of Upbit's answer to it (they took liquidity). */
    private record Working(DomainEvent<OrderRequested> request, String uuid, Set<String> immediateTrades) {
        Working(DomainEvent<OrderRequested> request, String uuid) {
            this(request, uuid, Set.of()); // found again at start: which of its trades were immediate is not known
        }
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
    private volatile boolean allowFlagged;
    /** {@code GET orders/uuids} takes at most this many uuids (Upbit API reference, "id로 주문 리스트 조회"). */
    static final int UUIDS_PER_CALL = 100;
    /** Per working order's uuid, the state and executed volume last published: a poll reads its trades only when they change. */
    private final Map<String, String> seen = new java.util.concurrent.ConcurrentHashMap<>();
    private volatile BigDecimal maxSlippage = BigDecimal.ZERO;
    /** How long the market flags read from {@code market/all} are used before they are read again. */
    static final Duration MARKET_EVENT_TTL = Duration.ofMinutes(1);
    private volatile Map<String, List<String>> marketEvents = Map.of();
    private volatile Instant marketEventsReadAt;
    /** The reason an order ended by Upbit's self-match prevention starts with. */
    static final String PREVENTED = "self_match_prevented";
    private volatile BigDecimal maxSpread = BigDecimal.ZERO;
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
        if (spec.side() == Side.BID && !allowFlagged) {
            List<String> flags = marketEvent(spec.market());
            if (!flags.isEmpty()) {
                reject(request, "market_flagged", spec.market() + " is flagged by Upbit (market_event: " + String.join(", ", flags)
                        + "): buys into it are refused (allow.flagged.markets = true to trade it); sells still pass");
                return;
            }
        }
        if (spec.type() != OrderType.LIMIT) {
            String[] problem = bookProblem(spec);
            if (problem != null) {
                reject(request, problem[0], problem[1]);
                return;
            }
        }
        Query q = new Query().add("market", spec.market().code()).add("side", spec.side().upbitName())
                .add("ord_type", spec.type().upbitName());
        if (spec.type() == OrderType.LIMIT) {
            RoundingMode toward = spec.side() == Side.BID ? RoundingMode.DOWN : RoundingMode.UP;
            q.add("volume", spec.volume().toPlainString()).add("price", onTick(spec.market(), spec.price(), toward).toPlainString());
        } else if (spec.type() == OrderType.PRICE) {
            q.add("price", spec.price().toPlainString());
        } else {
            q.add("volume", spec.volume().toPlainString());
        }
        q.add("identifier", r.orderId().value());
        q.add("smp_type", smpType);
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

    private void accept(DomainEvent<OrderRequested> request, UpbitJson.Order placed) {
        OrderRequested r = request.payload();
        answered.add(r.orderId());
        // trades in Upbit's answer to the order itself took liquidity (taker); later ones filled it resting (maker)
        working.put(r.orderId(), new Working(request, placed.uuid(),
                placed.trades().stream().map(UpbitJson.Trade::uuid).collect(java.util.stream.Collectors.toUnmodifiableSet())));
        bus.publish(DomainEvent.causedBy(request, new OrderAccepted(r.orderId(), r.strategyId(), r.order().market(),
                placed.uuid()), Instant.now()));
        update(working.get(r.orderId()), placed);
    }

    private void reject(DomainEvent<OrderRequested> request, String code, String reason) {
        OrderRequested r = request.payload();
        answered.add(r.orderId());
        bus.publish(DomainEvent.causedBy(request, new OrderRejected(r.orderId(), r.strategyId(), r.order().market(), code,
                reason), Instant.now()));
    }

    /**
     * Publishes the order's trades not published before, and its end if it ended. One at a time: the
     * poller and a submit or cancel may report the same order at once, and a trade is one fill.
     */
    private synchronized void update(Working w, UpbitJson.Order now) {
        OrderRequested r = w.request().payload();
        seen.put(w.uuid(), signature(now));
        boolean marketBuy = r.order().type() == OrderType.PRICE;
        if (marketBuy && !now.isFinal()) {
            return; // a market buy's fills wait for its end (milliseconds): only then is it known which is the last
        }
        // Upbit ends a market buy as "cancel" when funds below one unit remain after its trades (API reference,
        // "주문 리스트 조회", state): that order is filled, its last trade final and the remainder released
        boolean filledThenCanceled = marketBuy && now.state().equals("cancel") && now.executedVolume().signum() > 0;
        boolean done = now.state().equals("done") || filledThenCanceled;
        List<UpbitJson.Trade> fresh = now.trades().stream().filter(t -> !publishedTrades.contains(t.uuid())).toList();
        for (int i = 0; i < fresh.size(); i++) {
            UpbitJson.Trade t = fresh.get(i);
            boolean last = i == fresh.size() - 1 && done;
            BigDecimal fee = feeOf(r.order(), t, r.order().type() == OrderType.LIMIT && !w.immediateTrades().contains(t.uuid()));
            bus.publish(DomainEvent.causedBy(w.request(), new OrderFilled(r.orderId(), r.strategyId(), r.order().market(),
                    r.order().side(), t.uuid(), t.price(), t.volume(), fee, last), Instant.now()));
            publishedTrades.add(t.uuid());
            count(r.order().market(), r.order().side(), t.volume());
        }
        if (now.state().equals("cancel") && !filledThenCanceled) {
            bus.publish(DomainEvent.causedBy(w.request(), new OrderCanceled(r.orderId(), r.strategyId(), r.order().market(),
                    "canceled on Upbit"), Instant.now()));
        }
        if (now.state().equals("prevented")) {
            bus.publish(DomainEvent.causedBy(w.request(), new OrderCanceled(r.orderId(), r.strategyId(), r.order().market(),
                    PREVENTED + ": Upbit's self-match prevention (smp_type " + smpType + ") did not execute "
                            + (now.preventedVolume() == null ? "it" : now.preventedVolume().toPlainString() + " "
                                    + r.order().market().base()) + ": it would have traded with a resting order of this account"),
                    Instant.now()));
        }
        if (now.isFinal()) {
            working.remove(r.orderId());
            seen.remove(w.uuid());
        }
    }

    /**
     * @param maker whether the trade filled an order that rested in the book: a limit order's trade that was
     *              not in Upbit's answer to the order itself (market orders and a limit order's immediate trades
     *              take liquidity)
     * @return the fee of one trade: its funds times the market's maker or taker rate for the side, from
     *         {@code orders/chance} (Upbit reports only the order's total)
     */
    private BigDecimal feeOf(OrderSpec spec, UpbitJson.Trade t, boolean maker) {
        MarketRules m = rules(spec.market());
        BigDecimal[] makerRates = makerFees.get(spec.market());
        BigDecimal rate = maker && makerRates != null ? makerRates[spec.side() == Side.BID ? 0 : 1]
                : spec.side() == Side.BID ? m.bidFee() : m.askFee();
        BigDecimal funds = t.funds() != null ? t.funds() : t.price().multiply(t.volume());
        return funds.multiply(rate);
    }

    /**
     * Asks Upbit about the working orders, 100 per {@code GET orders/uuids}, and reads the trades
     * ({@code GET order}) only of those whose state or executed volume changed, publishing what is new.
     */
    void poll() {
        Instant read = marketEventsReadAt;
        if (read != null && Duration.between(read, clock.get()).compareTo(MARKET_EVENT_TTL) >= 0) {
            refreshMarketEvents();
        }
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
        refreshMarketEvents();
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
            } else if (!marketEvent(m).isEmpty()) {
                log.accept("market " + m.code() + " is flagged by Upbit (market_event: " + String.join(", ", marketEvent(m))
                        + ")" + (allowFlagged ? "; buys are allowed (allow.flagged.markets)" : "; buys into it are refused"));
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
     * as a kill switch should. Each canceled order of this runtime is then read once ({@code GET order}) so
     * its fills and its end are published.
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
        for (Working w : List.copyOf(working.values())) {
            if (canceled.contains(w.uuid())) {
                update(w, UpbitJson.order(client.get("/order", new Query().add("uuid", w.uuid()))));
            }
        }
    }

    @Override
    public Map<String, Balance> balances() {
        Map<String, Balance> out = new java.util.TreeMap<>();
        UpbitJson.balances(client.get("/accounts", new Query())).forEach(b -> out.put(b.currency(), b));
        return out;
    }

    @Override
    public MarketRules rules(Market market) {
        MarketRules known = rules.get(market);
        if (known == null) { // asked outside the map's lock: it is a request to Upbit
            JsonNode chance = client.get("/orders/chance", new Query().add("market", market.code()));
            known = UpbitJson.chance(chance);
            makerFees.put(market, UpbitJson.makerFees(chance));
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
        this.maxSlippage = fraction;
    }

    /** @param allow {@code true} to let buys into markets Upbit flags (market_event) through */
    void allowFlaggedMarkets(boolean allow) {
        this.allowFlagged = allow;
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
        maxSpread = fraction;
    }

    /**
     * @param market a market
     * @return its flags as last read by {@link #refreshMarketEvents()}, e.g. {@code [warning, caution
     *         PRICE_FLUCTUATIONS]}; empty for an unflagged market or before the first read. The order path
     *         reads only this cache: it makes no request of its own.
     */
    List<String> marketEvent(Market market) {
        return marketEvents.getOrDefault(market.code(), List.of());
    }

    /**
     * Reads every market's flags from {@code GET market/all?is_details=true} (Upbit API reference, "마켓 코드
     * 조회": {@code market_event.warning}, the 유의 종목 designation, and {@code market_event.caution}, the 주의
     * 종목 reasons such as {@code PRICE_FLUCTUATIONS}; {@code market_warning} was removed on 2024-11-20). At
     * start and then from the poller every {@link #MARKET_EVENT_TTL}; a list that cannot be read keeps the
     * last one (logged).
     */
    void refreshMarketEvents() {
        try {
            Map<String, List<String>> read = new HashMap<>();
            for (JsonNode n : client.publicGet("/market/all", new Query().add("is_details", "true"))) {
                List<String> flags = new ArrayList<>();
                JsonNode event = n.path("market_event");
                if (event.path("warning").asBoolean(false)) {
                    flags.add("warning");
                }
                event.path("caution").fields().forEachRemaining(c -> {
                    if (c.getValue().asBoolean(false)) {
                        flags.add("caution " + c.getKey());
                    }
                });
                read.put(UpbitJson.text(n, "market"), List.copyOf(flags));
            }
            marketEvents = Map.copyOf(read);
            marketEventsReadAt = clock.get();
        } catch (RuntimeException e) {
            log.accept("market flags not read (" + e.getMessage() + "); the last ones read are used");
        }
    }

    /**
     * Checks a market order against the book ({@code GET orderbook}, up to 30 levels a side): the spread
     * ({@code wide_spread}, over {@code market.order.max.spread.pct}), the depth (Upbit refuses a market order
     * beyond its 30 levels since 2025-05-07: {@code thin_book}) and the estimated slippage of the average fill
     * price from the best price ({@code slippage}, over {@code market.order.max.slippage.pct}).
     *
     * @return the rejection code and reason, or null when the order may go (or the book cannot be read: logged)
     */
    private String[] bookProblem(OrderSpec spec) {
        Market market = spec.market();
        if (maxSpread.signum() <= 0 && maxSlippage.signum() <= 0) {
            return null;
        }
        UpbitJson.Orderbook book;
        try {
            JsonNode books = client.publicGet("/orderbook", new Query().add("markets", market.code()));
            if (books.isEmpty()) {
                return new String[] {"wide_spread", "Upbit has no orderbook of " + market + ": no market order"};
            }
            book = UpbitJson.orderbook(books.get(0));
        } catch (ExchangeException e) {
            log.accept("orderbook of " + market + " not read (" + e.getMessage() + "); the market order goes without the book checks");
            return null;
        }
        if (book.levels().isEmpty()) {
            return new String[] {"wide_spread", "the orderbook of " + market + " is empty: no market order"};
        }
        UpbitJson.Level best = book.levels().get(0);
        BigDecimal mid = best.askPrice().add(best.bidPrice()).divide(BigDecimal.TWO);
        BigDecimal spread = best.askPrice().subtract(best.bidPrice()).divide(mid, 8, RoundingMode.HALF_UP);
        if (maxSpread.signum() > 0 && spread.compareTo(maxSpread) > 0) {
            return new String[] {"wide_spread", "the spread of " + market + " is " + percent(spread) + "% (ask "
                    + best.askPrice().toPlainString() + ", bid " + best.bidPrice().toPlainString() + "), above "
                    + percent(maxSpread) + "%: no market order into so thin a book"};
        }
        return maxSlippage.signum() > 0 ? depthProblem(spec, book) : null;
    }

    /** @return {@code thin_book} or {@code slippage} with the reason, or null */
    private String[] depthProblem(OrderSpec spec, UpbitJson.Orderbook book) {
        boolean buy = spec.side() == Side.BID;
        BigDecimal wanted = buy ? spec.price() : spec.volume(); // a market buy spends quote, a market sell sells base
        BigDecimal volume = BigDecimal.ZERO;
        BigDecimal funds = BigDecimal.ZERO;
        for (UpbitJson.Level level : book.levels()) {
            BigDecimal price = buy ? level.askPrice() : level.bidPrice();
            BigDecimal size = buy ? level.askSize() : level.bidSize();
            BigDecimal left = buy ? wanted.subtract(funds) : wanted.subtract(volume);
            BigDecimal take = buy ? size.min(left.divide(price, 8, RoundingMode.DOWN)) : size.min(left);
            volume = volume.add(take);
            funds = funds.add(take.multiply(price));
            if (buy ? wanted.subtract(funds).compareTo(price.movePointLeft(8)) <= 0 : volume.compareTo(wanted) >= 0) {
                if (volume.signum() == 0) {
                    return null; // less than one unit of the coin: the minimum total refuses it anyway
                }
                BigDecimal average = funds.divide(volume, 8, RoundingMode.HALF_UP);
                BigDecimal bestPrice = buy ? book.levels().get(0).askPrice() : book.levels().get(0).bidPrice();
                BigDecimal slip = (buy ? average.subtract(bestPrice) : bestPrice.subtract(average))
                        .divide(bestPrice, 8, RoundingMode.HALF_UP);
                return slip.compareTo(maxSlippage) > 0 ? new String[] {"slippage", "a market " + (buy ? "buy" : "sell")
                        + " of " + wanted.toPlainString() + (buy ? " " + spec.market().quote() : " " + spec.market().base())
                        + " would fill at about " + average.toPlainString() + " on average, " + percent(slip) + "% from the best "
                        + bestPrice.toPlainString() + ", above market.order.max.slippage.pct " + percent(maxSlippage) + "%"} : null;
            }
        }
        return new String[] {"thin_book", "the " + book.levels().size() + " " + (buy ? "ask" : "bid") + " levels of "
                + spec.market() + " hold " + (buy ? funds.toPlainString() + " " + spec.market().quote()
                        : volume.toPlainString() + " " + spec.market().base()) + ", less than this market order's "
                + wanted.toPlainString() + ": Upbit refuses a market order beyond its 30 levels (since 2025-05-07)"};
    }

    private static String percent(BigDecimal fraction) {
        return fraction.movePointRight(2).setScale(3, RoundingMode.HALF_UP).stripTrailingZeros().toPlainString();
    }

    /** @return the orders this adapter is watching, by our id: Upbit's uuid */
    Map<ClientOrderId, String> working() {
        Map<ClientOrderId, String> out = new HashMap<>();
        working.forEach((k, v) -> out.put(k, v.uuid()));
        return out;
    }
}
