package io.autotrade.exchange.paper.internal;

import io.autotrade.api.event.DomainEvent;
import io.autotrade.api.exchange.Balance;
import io.autotrade.api.exchange.ExchangeException;
import io.autotrade.api.exchange.MarketRules;
import io.autotrade.api.trading.CandleClosed;
import io.autotrade.api.trading.CandleOpened;
import io.autotrade.api.trading.ClientOrderId;
import io.autotrade.api.trading.Market;
import io.autotrade.api.trading.OrderAccepted;
import io.autotrade.api.trading.OrderCanceled;
import io.autotrade.api.trading.OrderFilled;
import io.autotrade.api.trading.OrderRejected;
import io.autotrade.api.trading.OrderRequested;
import io.autotrade.api.trading.OrderSpec;
import io.autotrade.api.trading.OrderType;
import io.autotrade.api.trading.Side;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The simulated exchange's books: balances (available and locked, as Upbit's accounts) and the
 * market orders waiting for the next price. Returns the events that result; publishes nothing itself.
 *
 * <p>Rules, after Upbit's KRW market: a market buy spends a quote amount ({@code ord_type=price}),
 * a market sell sells a volume ({@code ord_type=market}); an order placed while candle t closes fills
 * at candle t+1's open (no look-ahead). Bought volume is the amount divided by the price, rounded down
 * to {@value #VOLUME_SCALE} decimals. The fee is {@code feeRate} of the filled notional, unrounded:
 * on a buy it is paid on top of the notional, on a sell it is taken from the proceeds. A buy locks
 * {@code amount * (1 + feeRate)} until it fills; a sell locks its volume. Not thread safe: the
 * component serialises calls.
 */
final class PaperBook {
    /** Decimals of base-currency volume (Upbit: 8). */
    static final int VOLUME_SCALE = 8;

    private final BigDecimal feeRate;
    private final Map<String, BigDecimal> minTotal;
    private final Map<String, BigDecimal[]> balances = new TreeMap<>();
    private final Map<ClientOrderId, Pending> pending = new LinkedHashMap<>();
    private final Map<Market, BigDecimal> lastPrice = new LinkedHashMap<>();
    private long sequence;

    private record Pending(DomainEvent<OrderRequested> request, String venueOrderId, BigDecimal locked) {
        OrderRequested order() {
            return request.payload();
        }
    }

    /**
     * @param initialBalances available amount per currency code
     * @param feeRate         fee as a fraction of notional, both sides
     * @param minTotal        smallest order total per quote currency
     */
    PaperBook(Map<String, BigDecimal> initialBalances, BigDecimal feeRate, Map<String, BigDecimal> minTotal) {
        this.feeRate = feeRate;
        this.minTotal = Map.copyOf(minTotal);
        initialBalances.forEach((currency, amount) -> balances.put(currency, new BigDecimal[] {amount, BigDecimal.ZERO}));
    }

    MarketRules rules(Market market) {
        BigDecimal min = minTotal.get(market.quote());
        if (min == null) {
            throw new ExchangeException("the paper exchange has no minimum order total for quote currency "
                    + market.quote() + " (configure min.order.total)");
        }
        return new MarketRules(market, feeRate, feeRate, min);
    }

    Map<String, Balance> balances() {
        Map<String, Balance> view = new LinkedHashMap<>();
        balances.forEach((currency, b) -> view.put(currency, new Balance(currency, b[0], b[1])));
        return view;
    }

    private BigDecimal[] balance(String currency) {
        return balances.computeIfAbsent(currency, c -> new BigDecimal[] {BigDecimal.ZERO, BigDecimal.ZERO});
    }

    List<DomainEvent<?>> submit(DomainEvent<OrderRequested> request) {
        OrderRequested order = request.payload();
        if (pending.containsKey(order.orderId())) {
            throw new ExchangeException("order " + order.orderId() + " was already submitted");
        }
        OrderSpec spec = order.order();
        Market market = spec.market();
        if (spec.type() == OrderType.LIMIT) {
            return List.of(reject(request, "unsupported_ord_type", "the paper exchange fills market orders only"));
        }
        BigDecimal min = rules(market).minTotal();
        BigDecimal toLock;
        String lockCurrency;
        if (spec.side() == Side.BID) {
            BigDecimal amount = spec.price();
            if (amount.compareTo(min) < 0) {
                return List.of(reject(request, "under_min_total_bid", "order total " + amount.toPlainString() + " "
                        + market.quote() + " is under the minimum " + min.toPlainString()));
            }
            toLock = amount.add(amount.multiply(feeRate));
            lockCurrency = market.quote();
        } else {
            BigDecimal price = lastPrice.get(market);
            if (price == null) {
                return List.of(reject(request, "no_price", "no price seen yet for " + market));
            }
            BigDecimal total = spec.volume().multiply(price);
            if (total.compareTo(min) < 0) {
                return List.of(reject(request, "under_min_total_ask", "order total " + total.toPlainString() + " "
                        + market.quote() + " (at the last price " + price.toPlainString() + ") is under the minimum "
                        + min.toPlainString()));
            }
            toLock = spec.volume();
            lockCurrency = market.base();
        }
        BigDecimal[] b = balance(lockCurrency);
        if (b[0].compareTo(toLock) < 0) {
            String code = spec.side() == Side.BID ? "insufficient_funds_bid" : "insufficient_funds_ask";
            return List.of(reject(request, code, "needs " + toLock.toPlainString() + " " + lockCurrency
                    + " but only " + b[0].toPlainString() + " is available"));
        }
        b[0] = b[0].subtract(toLock);
        b[1] = b[1].add(toLock);
        String venueId = "paper-" + (++sequence);
        pending.put(order.orderId(), new Pending(request, venueId, toLock));
        return List.of(DomainEvent.causedBy(request,
                new OrderAccepted(order.orderId(), order.strategyId(), market, venueId), request.occurredAt()));
    }

    private static DomainEvent<OrderRejected> reject(DomainEvent<OrderRequested> request, String code, String reason) {
        OrderRequested order = request.payload();
        return DomainEvent.causedBy(request, new OrderRejected(order.orderId(), order.strategyId(),
                order.order().market(), code, reason), request.occurredAt());
    }

    /** Fills every waiting order of the candle's market at its open. */
    List<DomainEvent<?>> onOpen(DomainEvent<CandleOpened> event) {
        CandleOpened open = event.payload();
        lastPrice.put(open.market(), open.openPrice());
        List<DomainEvent<?>> out = new ArrayList<>();
        for (Iterator<Pending> it = pending.values().iterator(); it.hasNext();) {
            Pending p = it.next();
            if (p.order().order().market().equals(open.market())) {
                it.remove();
                out.add(fill(p, open));
            }
        }
        return out;
    }

    private DomainEvent<?> fill(Pending p, CandleOpened open) {
        OrderRequested order = p.order();
        OrderSpec spec = order.order();
        Market market = spec.market();
        BigDecimal price = open.openPrice();
        BigDecimal[] quote = balance(market.quote());
        BigDecimal[] base = balance(market.base());
        if (spec.side() == Side.BID) {
            BigDecimal volume = spec.price().divide(price, VOLUME_SCALE, RoundingMode.DOWN);
            quote[1] = quote[1].subtract(p.locked());
            if (volume.signum() == 0) {
                quote[0] = quote[0].add(p.locked());
                return DomainEvent.causedBy(p.request(), new OrderCanceled(order.orderId(), order.strategyId(), market,
                        "amount " + spec.price().toPlainString() + " buys no volume at " + price.toPlainString()),
                        open.openTime());
            }
            BigDecimal notional = volume.multiply(price);
            BigDecimal fee = notional.multiply(feeRate);
            quote[0] = quote[0].add(p.locked()).subtract(notional).subtract(fee);
            base[0] = base[0].add(volume);
            return DomainEvent.causedBy(p.request(), new OrderFilled(order.orderId(), order.strategyId(), market,
                    Side.BID, p.venueOrderId() + "-1", price, volume, fee, true), open.openTime());
        }
        BigDecimal volume = spec.volume();
        BigDecimal notional = volume.multiply(price);
        BigDecimal fee = notional.multiply(feeRate);
        base[1] = base[1].subtract(volume);
        quote[0] = quote[0].add(notional).subtract(fee);
        return DomainEvent.causedBy(p.request(), new OrderFilled(order.orderId(), order.strategyId(), market,
                Side.ASK, p.venueOrderId() + "-1", price, volume, fee, true), open.openTime());
    }

    /** Remembers the close as the market's last price (used to check a sell's minimum total). */
    void onClose(CandleClosed closed) {
        lastPrice.put(closed.market(), closed.candle().close());
    }

    DomainEvent<?> cancel(ClientOrderId orderId, java.time.Instant at) {
        Pending p = pending.remove(orderId);
        if (p == null) {
            throw new ExchangeException("the paper exchange has no open order " + orderId);
        }
        OrderSpec spec = p.order().order();
        BigDecimal[] b = balance(spec.side() == Side.BID ? spec.market().quote() : spec.market().base());
        b[1] = b[1].subtract(p.locked());
        b[0] = b[0].add(p.locked());
        return DomainEvent.causedBy(p.request(), new OrderCanceled(orderId, p.order().strategyId(), spec.market(),
                "canceled on request"), at);
    }
}
