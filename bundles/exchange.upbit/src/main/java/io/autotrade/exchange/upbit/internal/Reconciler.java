package io.autotrade.exchange.upbit.internal;

import com.fasterxml.jackson.databind.JsonNode;
import io.autotrade.api.event.DomainEvent;
import io.autotrade.api.event.EventBus;
import io.autotrade.api.event.EventQuery;
import io.autotrade.api.event.EventStore;
import io.autotrade.api.exchange.Balance;
import io.autotrade.api.exchange.ExchangeException;
import io.autotrade.api.trading.ClientOrderId;
import io.autotrade.api.trading.Market;
import io.autotrade.api.trading.OrderAccepted;
import io.autotrade.api.trading.OrderCanceled;
import io.autotrade.api.trading.OrderFilled;
import io.autotrade.api.trading.OrderRejected;
import io.autotrade.api.trading.OrderRequested;
import io.autotrade.api.trading.OrderSubmitted;
import io.autotrade.api.trading.RiskBreached;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/**
 * The Upbit adapter's start: the configured markets checked against {@code market/all} (and their flags
 * read), then the runtime reconciled with Upbit. Requests never answered are looked up by identifier, every
 * order accepted and not final is followed and polled, so fills that happened while the runtime was down
 * become events; Upbit's open orders ({@code GET orders/open}) are compared (one of ours the store holds as
 * ended is followed again; others, placed by hand or another tool, are reported, since they lock balance);
 * the balances are logged with their KRW value at the last trade ({@code GET ticker}); and for each market
 * this runtime has fills on, Upbit's holding of the base currency ({@code accounts}, available + locked) is
 * compared with the fills' bought minus sold volume: a difference is published as a {@link RiskBreached}
 * with rule {@value UpbitExchange#BALANCE_RULE}, stored and shown by {@code trade:events}; trading goes on.
 */
final class Reconciler {
    private final UpbitExchange exchange;
    private final OrderTracker tracker;
    private final OrderGuards guards;
    private final UpbitClient client;
    private final EventBus bus;
    private final Consumer<String> log;
    private final Consumer<String> info;

    Reconciler(UpbitExchange exchange, OrderTracker tracker, OrderGuards guards, UpbitClient client, EventBus bus,
            Consumer<String> log, Consumer<String> info) {
        this.exchange = exchange;
        this.tracker = tracker;
        this.guards = guards;
        this.client = client;
        this.bus = bus;
        this.log = log;
        this.info = info;
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
                case OrderSubmitted s when UpbitExchange.ID.equals(s.exchangeId()) -> submittedHere.add(s.orderId());
                case OrderAccepted a -> {
                    accepted.put(a.orderId(), a.venueOrderId());
                    exchange.answered(a.orderId());
                }
                case OrderFilled f -> {
                    if (submittedHere.contains(f.orderId())) {
                        tracker.count(f.market(), f.side(), f.volume());
                    }
                    tracker.known(f.tradeId());
                    if (f.orderComplete()) {
                        ended.add(f.orderId());
                    }
                }
                case OrderCanceled c -> ended.add(c.orderId());
                case OrderRejected j -> {
                    ended.add(j.orderId());
                    exchange.answered(j.orderId());
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
                tracker.follow(e.getValue(), accepted.get(id));
            } else if (submittedHere.contains(id)) {
                UpbitJson.Order found = exchange.lookUp(id);
                if (found != null) {
                    exchange.accept(e.getValue(), found);
                } else {
                    exchange.reject(e.getValue(), "no_answer", "the order was requested before a restart and Upbit does not know"
                            + " identifier " + id.value());
                }
            }
        }
        followOpenOrders(requested);
        tracker.poll();
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
            } else if (!tracker.isWorking(id)) {
                log.accept("order " + id.value() + " is open on Upbit but ended in the store; following it again");
                tracker.follow(requested.get(id), open.uuid());
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
        Map<String, Balance> held = exchange.balances();
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
        tracker.filledVolume().forEach((market, bought) -> {
            Balance b = held.get(market.base());
            BigDecimal atUpbit = b == null ? BigDecimal.ZERO : b.total();
            if (atUpbit.compareTo(bought) != 0) {
                String message = "Upbit holds " + atUpbit.toPlainString() + " " + market.base() + "; the fills of this runtime on "
                        + market + " account for " + bought.toPlainString() + " (a difference of "
                        + atUpbit.subtract(bought).toPlainString() + " traded elsewhere or not reported)";
                log.accept(message);
                bus.publish(DomainEvent.of(new RiskBreached(null, UpbitExchange.SOURCE, market, UpbitExchange.BALANCE_RULE, bought,
                        atUpbit, message),
                        Instant.now()));
            }
        });
        info.accept("reconciled with Upbit: " + tracker.working().size() + " working order(s), " + tracker.tradesKnown()
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
}
