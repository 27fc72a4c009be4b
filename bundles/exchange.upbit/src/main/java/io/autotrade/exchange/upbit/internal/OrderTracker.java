package io.autotrade.exchange.upbit.internal;

import com.fasterxml.jackson.databind.JsonNode;
import io.autotrade.api.event.DomainEvent;
import io.autotrade.api.event.EventBus;
import io.autotrade.api.exchange.ExchangeException;
import io.autotrade.api.trading.ClientOrderId;
import io.autotrade.api.trading.Market;
import io.autotrade.api.trading.OrderAccepted;
import io.autotrade.api.trading.OrderCanceled;
import io.autotrade.api.trading.OrderFilled;
import io.autotrade.api.trading.OrderRequested;
import io.autotrade.api.trading.OrderSpec;
import io.autotrade.api.trading.OrderType;
import io.autotrade.api.trading.Side;
import io.autotrade.api.trading.TimeInForce;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The working orders of the Upbit adapter and what becomes of them: each trade is published once as an
 * {@link OrderFilled} (by its {@code trade_uuid}, one record for the REST and the private-stream path, across
 * restarts too), each end once ({@code done} completes the last fill; {@code cancel} and {@code prevented}
 * are {@link OrderCanceled}, except a buy by amount that Upbit ends as {@code cancel} with less than the
 * market's minimum left: filled). Upbit's view of an order comes from its answer to {@code POST orders}, from
 * {@code GET order} (polled while the private stream is down, 100 at a time through {@code GET orders/uuids},
 * reading trades only of orders that changed) and from {@code myOrder} messages. One at a time: every path
 * goes through this object's lock.
 */
final class OrderTracker {
    /** {@code GET orders/uuids} takes at most this many uuids (Upbit API reference, "id로 주문 리스트 조회"). */
    static final int UUIDS_PER_CALL = 100;
    /** The reason an order ended by Upbit's self-match prevention starts with. */
    static final String PREVENTED = "self_match_prevented";
    /** How many orders' early {@code myOrder} messages are kept at most. */
    private static final int EARLY_KEPT = 1000;

    /** The fee of one trade: its funds times the market's maker or taker rate for the side ({@code orders/chance}). */
    interface Fees {
        BigDecimal of(OrderSpec spec, BigDecimal funds, boolean maker);
    }

    /**
     * A working order: who asked, Upbit's uuid, the trades of Upbit's answer to it (they took liquidity), and
     * the trades of an order by amount seen on the private stream, held until its end.
     */
    record Working(DomainEvent<OrderRequested> request, String uuid, Set<String> immediateTrades, List<Fill> held) {
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
    private final Fees fees;
    private final Function<Market, BigDecimal> minTotal;
    private final Supplier<String> defaultSmp;
    private final Map<ClientOrderId, Working> working = new ConcurrentHashMap<>();
    private final Set<String> publishedTrades = ConcurrentHashMap.newKeySet();
    /** Base volume bought minus sold per market, from every fill published or stored: what Upbit should hold for us. */
    private final Map<Market, BigDecimal> filledVolume = new ConcurrentHashMap<>();
    /** Per working order's uuid, the state and executed volume last published: a poll reads its trades only when they change. */
    private final Map<String, String> seen = new ConcurrentHashMap<>();
    /** {@code myOrder} messages of orders not accepted yet, by uuid, oldest order first. */
    private final Map<String, List<UpbitJson.MyOrder>> early = new LinkedHashMap<>();

    /**
     * @param client     Upbit's REST API, for polling
     * @param bus        where fills and ends are published
     * @param log        warnings
     * @param fees       the fee of a trade Upbit reports without one
     * @param minTotal   the market's minimum buy total ({@code orders/chance})
     * @param defaultSmp the adapter's {@code smp_type}, for the reason of a prevented order sent without its own
     */
    OrderTracker(UpbitClient client, EventBus bus, Consumer<String> log, Fees fees, Function<Market, BigDecimal> minTotal,
            Supplier<String> defaultSmp) {
        this.client = client;
        this.bus = bus;
        this.log = log;
        this.fees = fees;
        this.minTotal = minTotal;
        this.defaultSmp = defaultSmp;
    }

    /**
     * Follows an order Upbit accepted: publishes the {@link OrderAccepted}, then what Upbit's answer already
     * says of it, then any {@code myOrder} message that came before the answer.
     *
     * @param request the order's request
     * @param placed  Upbit's answer; its trades took liquidity (taker), later ones filled it resting (maker)
     */
    synchronized void accepted(DomainEvent<OrderRequested> request, UpbitJson.Order placed) {
        OrderRequested r = request.payload();
        Working w = new Working(request, placed.uuid(),
                placed.trades().stream().map(UpbitJson.Trade::uuid).collect(java.util.stream.Collectors.toUnmodifiableSet()));
        working.put(r.orderId(), w);
        bus.publish(DomainEvent.causedBy(request, new OrderAccepted(r.orderId(), r.strategyId(), r.order().market(),
                placed.uuid()), Instant.now()));
        update(w, placed);
        List<UpbitJson.MyOrder> before = early.remove(placed.uuid());
        if (before != null) {
            before.forEach(this::onMyOrder); // the private stream told of it before Upbit's answer arrived
        }
    }

    /** Follows an order found again at start (store or {@code orders/open}); which of its trades were immediate is not known. */
    void follow(DomainEvent<OrderRequested> request, String uuid) {
        working.put(request.payload().orderId(), new Working(request, uuid));
    }

    /** @return whether the order is working here */
    boolean isWorking(ClientOrderId id) {
        return working.containsKey(id);
    }

    /** @return Upbit's uuid of a working order, or null */
    String uuid(ClientOrderId id) {
        Working w = working.get(id);
        return w == null ? null : w.uuid();
    }

    /** @return the market of a working order, or null */
    Market market(ClientOrderId id) {
        Working w = working.get(id);
        return w == null ? null : w.spec().market();
    }

    /** @return the working orders by our id: Upbit's uuid */
    Map<ClientOrderId, String> working() {
        Map<ClientOrderId, String> out = new HashMap<>();
        working.forEach((k, v) -> out.put(k, v.uuid()));
        return out;
    }

    /** Publishes what Upbit's view of a working order (a reply naming it) says that is new. */
    void update(ClientOrderId id, UpbitJson.Order now) {
        Working w = working.get(id);
        if (w != null) {
            update(w, now);
        }
    }

    /** Reads one working order again ({@code GET order}) and publishes what is new. */
    void refresh(ClientOrderId id) {
        String uuid = uuid(id);
        if (uuid != null) {
            update(id, UpbitJson.order(client.get("/order", new Query().add("uuid", uuid))));
        }
    }

    /** Counts a trade stored before this start: never published again, and part of what Upbit should hold. */
    void known(String tradeId) {
        publishedTrades.add(tradeId);
    }

    /** @return trades published or known */
    int tradesKnown() {
        return publishedTrades.size();
    }

    /** @return per market, the base volume this runtime's fills bought minus sold */
    Map<Market, BigDecimal> filledVolume() {
        return Map.copyOf(filledVolume);
    }

    void count(Market market, Side side, BigDecimal volume) {
        filledVolume.merge(market, side == Side.BID ? volume : volume.negate(), BigDecimal::add);
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
                && spec.price().subtract(executedFunds).compareTo(minTotal.apply(spec.market())) < 0;
        boolean done = complete || filledThenCanceled;
        for (int i = 0; i < fresh.size(); i++) {
            Fill t = fresh.get(i);
            boolean last = i == fresh.size() - 1 && done;
            BigDecimal fee = t.fee() != null ? t.fee() : fees.of(spec, t.funds(), t.maker());
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
                    PREVENTED + ": Upbit's self-match prevention (smp_type " + (spec.smp() != null ? spec.smp().upbitName() : defaultSmp.get())
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
     * Asks Upbit about the working orders, 100 per {@code GET orders/uuids}, and reads the trades
     * ({@code GET order}) only of those whose state or executed volume changed, publishing what is new.
     */
    void poll() {
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
}
