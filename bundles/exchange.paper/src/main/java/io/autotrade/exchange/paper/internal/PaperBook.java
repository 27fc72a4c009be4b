package io.autotrade.exchange.paper.internal;

import io.autotrade.api.event.DomainEvent;
import io.autotrade.api.exchange.Balance;
import io.autotrade.api.exchange.ExchangeException;
import io.autotrade.api.exchange.MarketRules;
import io.autotrade.exchange.rules.TickSize;
import io.autotrade.api.trading.Candle;
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
import io.autotrade.api.trading.TimeInForce;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The simulated exchange's books: balances (available and locked, as Upbit's {@code balance} and
 * {@code locked}) and the working orders. Returns the events that result; publishes nothing itself.
 * Not thread safe: the component serialises calls.
 *
 * <p>Order types, after Upbit (API "POST /v1/orders"): a market buy spends a quote amount
 * ({@code ord_type=price}), a market sell sells a volume ({@code ord_type=market}), a limit order
 * buys or sells a volume at a price on the market's tick ({@link TickSize}; off-tick prices are
 * refused with {@code invalid_price_bid}/{@code invalid_price_ask}, as Upbit does).
 *
 * <p>Fills, with no look-ahead: an order works from the first candle that opens after it was
 * accepted. With the default participation rate of 1 a market order fills completely at that
 * candle's open; a limit buy fills at the open if the open is at or below its price, else at its price
 * when the candle's low reaches it (a limit sell mirrors this with the high); an unfilled limit order
 * stays open across candles until it fills or is canceled. With a participation rate below 1 fills
 * are decided when the candle closes and its traded volume is known: the orders of a market share
 * {@code rate * candle volume} in the order they were accepted, each fill at the open (market orders
 * and marketable limits) or at the limit price; what is left works on in later candles.
 *
 * <p>Time in force and best orders (Upbit's {@code time_in_force}, {@code ord_type=best}), decided at the
 * order's arrival, the first candle that opens after it was accepted: a best order is taken at that open,
 * as a market order is (the candle holds no book levels); an IOC order fills what fills there and the rest
 * is canceled; a FOK order fills whole or is canceled with nothing filled (with a participation rate below
 * 1: when the candle's share cannot take it whole); an IOC or FOK limit whose price the open does not reach
 * is canceled; a post-only limit whose price the open already reaches (it would take liquidity) is
 * canceled, otherwise it rests like any limit order. There is no self-matching here: {@code smp} has no
 * effect on paper.
 *
 * <p>A protective exit (a market sell with {@code OrderRequested.exit()}, sent by the protection inside a candle)
 * fills at once and whole at its trigger price: the stop or target level, or the open when the candle opened
 * beyond it. The participation rate does not cap it.
 *
 * <p>Money: bought volume is rounded down to {@value #VOLUME_SCALE} decimals; the fee is
 * {@code feeRate} of each fill's notional, unrounded, on top of the notional on a buy and out of the
 * proceeds on a sell. A limit buy locks {@code price * volume * (1 + feeRate)}, a market buy
 * {@code amount * (1 + feeRate)}, a sell its volume; each fill releases its share, and the rest
 * returns to available when the order completes or is canceled.
 *
 * <p>Why it is longer than 400 lines: the simulated book's state (balances, locks, working orders) and every rule that changes it stay together, so one property test (PaperAccountingPropertyTest) can hold all of them to the books balancing after every step.
 */
final class PaperBook {
    /** Decimals of base-currency volume (Upbit: 8). */
    static final int VOLUME_SCALE = 8;

    private final BigDecimal feeRate;
    private final Map<String, BigDecimal> minTotal;
    private final BigDecimal participation;
    private final Map<String, BigDecimal[]> balances = new TreeMap<>();
    private final Map<ClientOrderId, Working> working = new LinkedHashMap<>();
    private final Map<Market, BigDecimal> lastPrice = new LinkedHashMap<>();
    private long sequence;

    /** An accepted order that is not final yet. */
    private static final class Working {
        final DomainEvent<OrderRequested> request;
        final String venueOrderId;
        /** Still locked for this order, in the lock currency (quote for bids, base for asks). */
        BigDecimal locked;
        /** Base volume still to fill (limit orders and market sells). */
        BigDecimal remainingVolume;
        /** Quote amount still to spend (market buys). */
        BigDecimal remainingAmount;
        /** Works from the first candle that opens after acceptance. */
        boolean armed;
        int fills;

        Working(DomainEvent<OrderRequested> request, String venueOrderId, BigDecimal locked) {
            this.request = request;
            this.venueOrderId = venueOrderId;
            this.locked = locked;
            OrderSpec spec = spec();
            this.remainingVolume = spec.byAmount() ? null : spec.volume();
            this.remainingAmount = spec.byAmount() ? spec.price() : null;
        }

        OrderRequested order() {
            return request.payload();
        }

        OrderSpec spec() {
            return request.payload().order();
        }
    }

    /**
     * @param initialBalances   available amount per currency code
     * @param feeRate           fee as a fraction of notional, both sides
     * @param minTotal          smallest order total per quote currency
     * @param participationRate share of a candle's traded volume the paper orders may take, in (0, 1];
     *                          1 means fills are not capped
     * @throws IllegalArgumentException if the participation rate is out of range
     */
    PaperBook(Map<String, BigDecimal> initialBalances, BigDecimal feeRate, Map<String, BigDecimal> minTotal,
            BigDecimal participationRate) {
        if (participationRate.signum() <= 0 || participationRate.compareTo(BigDecimal.ONE) > 0) {
            throw new IllegalArgumentException("participation.rate must be in (0, 1], was "
                    + participationRate.toPlainString());
        }
        this.feeRate = feeRate;
        this.minTotal = Map.copyOf(minTotal);
        this.participation = participationRate;
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

    /** @return one currency's balance, or null if the book never held it */
    Balance balanceOf(String currency) {
        BigDecimal[] b = balances.get(currency);
        return b == null ? null : new Balance(currency, b[0], b[1]);
    }

    Map<String, Balance> balances() {
        Map<String, Balance> view = new LinkedHashMap<>();
        balances.forEach((currency, b) -> view.put(currency, new Balance(currency, b[0], b[1])));
        return view;
    }

    private BigDecimal[] balance(String currency) {
        return balances.computeIfAbsent(currency, c -> new BigDecimal[] {BigDecimal.ZERO, BigDecimal.ZERO});
    }

    /** @return client order ids of the working orders, oldest first */
    List<ClientOrderId> workingOrders() {
        return new ArrayList<>(working.keySet());
    }

    List<DomainEvent<?>> submit(DomainEvent<OrderRequested> request) {
        OrderRequested order = request.payload();
        if (working.containsKey(order.orderId())) {
            throw new ExchangeException("order " + order.orderId() + " was already submitted");
        }
        OrderSpec spec = order.order();
        Market market = spec.market();
        boolean bid = spec.side() == Side.BID;
        String suffix = bid ? "_bid" : "_ask";
        BigDecimal min = rules(market).minTotal();
        if (spec.volume() != null && spec.volume().stripTrailingZeros().scale() > VOLUME_SCALE) {
            return List.of(reject(request, "invalid_volume" + suffix, "volume " + spec.volume().toPlainString()
                    + " has more than " + VOLUME_SCALE + " decimals"));
        }
        if (spec.type() == OrderType.LIMIT && !TickSize.isOnTick(market, spec.price())) {
            return List.of(reject(request, "invalid_price" + suffix, "limit price " + spec.price().toPlainString()
                    + " is not a multiple of the tick " + TickSize.of(market, spec.price()).toPlainString()
                    + " " + market.quote()));
        }
        BigDecimal total = total(order);
        if (total == null) {
            return List.of(reject(request, "no_price", "no price seen yet for " + market));
        }
        if (total.compareTo(min) < 0) {
            return List.of(reject(request, "under_min_total" + suffix, "order total " + total.toPlainString() + " "
                    + market.quote() + (spec.side() == Side.ASK && spec.type() != OrderType.LIMIT ? " (at the last price)" : "")
                    + " is under the minimum " + min.toPlainString()));
        }
        BigDecimal toLock = toLock(spec, total);
        String lockCurrency = bid ? market.quote() : market.base();
        BigDecimal[] b = balance(lockCurrency);
        if (b[0].compareTo(toLock) < 0) {
            return List.of(reject(request, "insufficient_funds" + suffix, "needs " + toLock.toPlainString() + " "
                    + lockCurrency + " but only " + b[0].toPlainString() + " is available"));
        }
        b[0] = b[0].subtract(toLock);
        b[1] = b[1].add(toLock);
        String venueId = "paper-" + (++sequence);
        Working w = new Working(request, venueId, toLock);
        working.put(order.orderId(), w);
        List<DomainEvent<?>> out = new ArrayList<>(List.of(DomainEvent.causedBy(request,
                new OrderAccepted(order.orderId(), order.strategyId(), market, venueId), request.occurredAt())));
        if (order.exit() != null) { // a protective exit: fills at once, whole, at the price that triggered it
            w.armed = true;
            fill(w, order.exit().triggerPrice(), null, request.occurredAt(), out);
        }
        return out;
    }

    /**
     * @return the order's total in its quote currency: a limit's price times volume, a market buy's amount, a market
     *         order by volume at its exit's trigger price or else the market's last price; null when there is no price
     */
    private BigDecimal total(OrderRequested order) {
        OrderSpec spec = order.order();
        return switch (spec.type()) {
            case LIMIT -> spec.price().multiply(spec.volume());
            case PRICE -> spec.price();
            case BEST, MARKET -> {
                if (spec.byAmount()) {
                    yield spec.price();
                }
                BigDecimal price = order.exit() != null ? order.exit().triggerPrice() : lastPrice.get(spec.market());
                yield price == null ? null : spec.volume().multiply(price);
            }
        };
    }

    /** @return what an order locks: a bid its total and the fee on it (quote currency), an ask its volume (base) */
    private BigDecimal toLock(OrderSpec spec, BigDecimal total) {
        return spec.side() == Side.BID ? total.add(total.multiply(feeRate)) : spec.volume();
    }

    private static DomainEvent<OrderRejected> reject(DomainEvent<OrderRequested> request, String code, String reason) {
        OrderRequested order = request.payload();
        return DomainEvent.causedBy(request, new OrderRejected(order.orderId(), order.strategyId(),
                order.order().market(), code, reason), request.occurredAt());
    }

    /**
     * A candle opened: arms the market's waiting orders and, uncapped, fills what fills at the open. The
     * first open an order meets is its arrival: a post-only limit that would trade there is canceled, an
     * IOC or FOK limit that would not is canceled, and (uncapped) an IOC or FOK order fills at the open or
     * not at all.
     */
    List<DomainEvent<?>> onOpen(DomainEvent<CandleOpened> event) {
        CandleOpened open = event.payload();
        BigDecimal price = open.openPrice();
        lastPrice.put(open.market(), price);
        List<DomainEvent<?>> out = new ArrayList<>();
        for (Working w : List.copyOf(working.values())) {
            if (!w.spec().market().equals(open.market())) {
                continue;
            }
            boolean arriving = !w.armed;
            w.armed = true;
            TimeInForce tif = w.spec().timeInForce();
            if (arriving && tif == TimeInForce.POST_ONLY && fillsAtOpen(w.spec(), price)) {
                finish(w, "post_only: the limit " + w.spec().price().toPlainString() + " would have traded at the open "
                        + price.toPlainString() + " (taking liquidity); canceled instead", open.openTime(), out);
                continue;
            }
            if (arriving && immediate(tif) && !fillsAtOpen(w.spec(), price)) {
                finish(w, tif.upbitName() + ": the limit " + w.spec().price().toPlainString() + " did not reach the open "
                        + price.toPlainString() + "; nothing filled", open.openTime(), out);
                continue;
            }
            if (participation.compareTo(BigDecimal.ONE) == 0 && fillsAtOpen(w.spec(), price)) {
                fill(w, price, null, open.openTime(), out);
                if (immediate(tif) && working.containsKey(w.order().orderId())) {
                    finish(w, tif.upbitName() + ": the rest was canceled", open.openTime(), out);
                }
            }
        }
        return out;
    }

    /** @return whether the order trades on arrival only (IOC or FOK) */
    private static boolean immediate(TimeInForce tif) {
        return tif == TimeInForce.IOC || tif == TimeInForce.FOK;
    }

    private static boolean fillsAtOpen(OrderSpec spec, BigDecimal open) {
        if (spec.type() != OrderType.LIMIT) {
            return true;
        }
        return spec.side() == Side.BID ? open.compareTo(spec.price()) <= 0 : open.compareTo(spec.price()) >= 0;
    }

    /** A candle closed: limit orders its range reached fill; capped fills are shared out. */
    List<DomainEvent<?>> onClose(DomainEvent<CandleClosed> event) {
        Candle candle = event.payload().candle();
        Market market = candle.market();
        if (event.payload().warmingUp()) { // handled before (a resumed replay) or a window's lead-in: nothing fills
            restoreCandle(market, candle.openTime(), candle.close());
            return List.of();
        }
        List<DomainEvent<?>> out = new ArrayList<>();
        boolean capped = participation.compareTo(BigDecimal.ONE) < 0;
        BigDecimal capLeft = capped ? candle.volume().multiply(participation).setScale(VOLUME_SCALE, RoundingMode.DOWN) : null;
        for (Working w : List.copyOf(working.values())) {
            if (!w.armed || !w.spec().market().equals(market)) {
                continue;
            }
            BigDecimal price = capped && fillsAtOpen(w.spec(), candle.open()) ? candle.open() : touchedAt(w.spec(), candle);
            TimeInForce tif = w.spec().timeInForce();
            if (price == null) {
                continue;
            }
            if (capped && tif == TimeInForce.FOK && capLeft.compareTo(wanted(w, price)) < 0) {
                finish(w, "fok: " + capLeft.toPlainString() + " " + market.base() + " of the candle's volume (participation "
                        + participation.toPlainString() + ") is less than the whole order; nothing filled", event.occurredAt(), out);
                continue;
            }
            if (capped && capLeft.signum() <= 0) {
                if (immediate(tif)) {
                    finish(w, tif.upbitName() + ": no volume left in the candle; the rest was canceled", event.occurredAt(), out);
                }
                continue;
            }
            BigDecimal taken = fill(w, price, capLeft, event.occurredAt(), out);
            if (capped) {
                capLeft = capLeft.subtract(taken);
            }
            if (immediate(tif) && working.containsKey(w.order().orderId())) {
                finish(w, tif.upbitName() + ": the rest was canceled", event.occurredAt(), out);
            }
        }
        lastPrice.put(market, candle.close());
        return out;
    }

    /** @return the base volume the order still wants at the price */
    private static BigDecimal wanted(Working w, BigDecimal price) {
        return w.spec().byAmount() ? w.remainingAmount.divide(price, VOLUME_SCALE, RoundingMode.DOWN) : w.remainingVolume;
    }

    /** @return the limit price if the candle's range reached it, else null (market orders fill at the open only) */
    private static BigDecimal touchedAt(OrderSpec spec, Candle candle) {
        if (spec.type() != OrderType.LIMIT) {
            return null;
        }
        boolean reached = spec.side() == Side.BID ? candle.low().compareTo(spec.price()) <= 0
                : candle.high().compareTo(spec.price()) >= 0;
        return reached ? spec.price() : null;
    }

    /**
     * Fills as much of the order as it needs and the cap allows, at the price.
     *
     * @param cap most base volume to fill, or null for no cap
     * @return the filled volume (0 if nothing filled)
     */
    private BigDecimal fill(Working w, BigDecimal price, BigDecimal cap, Instant at, List<DomainEvent<?>> out) {
        OrderSpec spec = w.spec();
        Market market = spec.market();
        BigDecimal wanted = wanted(w, price);
        BigDecimal volume = cap == null ? wanted : wanted.min(cap);
        if (volume.signum() <= 0) {
            if (spec.byAmount() && wanted.signum() == 0) {
                finish(w, "amount " + w.remainingAmount.toPlainString() + " buys no volume at " + price.toPlainString(),
                        at, out);
            }
            return BigDecimal.ZERO;
        }
        BigDecimal fee = volume.multiply(price).multiply(feeRate);
        boolean complete = settle(w, price, volume, fee);
        OrderRequested order = w.order();
        out.add(DomainEvent.causedBy(w.request, new OrderFilled(order.orderId(), order.strategyId(), market, spec.side(),
                w.venueOrderId + "-" + (++w.fills), price, volume, fee, complete), at));
        return volume;
    }

    /**
     * Books a fill of the working order: balances, its lock and what it still wants; a complete order leaves the book.
     *
     * @return whether the order is complete
     */
    private boolean settle(Working w, BigDecimal price, BigDecimal volume, BigDecimal fee) {
        OrderSpec spec = w.spec();
        Market market = spec.market();
        BigDecimal notional = volume.multiply(price);
        BigDecimal[] quote = balance(market.quote());
        BigDecimal[] base = balance(market.base());
        boolean complete;
        if (spec.side() == Side.BID) {
            BigDecimal release = spec.type() == OrderType.LIMIT
                    ? spec.price().multiply(volume).multiply(BigDecimal.ONE.add(feeRate))
                    : notional.add(fee);
            w.locked = w.locked.subtract(release);
            quote[1] = quote[1].subtract(release);
            quote[0] = quote[0].add(release).subtract(notional).subtract(fee);
            base[0] = base[0].add(volume);
            if (spec.byAmount()) {
                w.remainingAmount = w.remainingAmount.subtract(notional);
                complete = w.remainingAmount.divide(price, VOLUME_SCALE, RoundingMode.DOWN).signum() == 0;
            } else {
                w.remainingVolume = w.remainingVolume.subtract(volume);
                complete = w.remainingVolume.signum() == 0;
            }
        } else {
            w.locked = w.locked.subtract(volume);
            base[1] = base[1].subtract(volume);
            quote[0] = quote[0].add(notional).subtract(fee);
            w.remainingVolume = w.remainingVolume.subtract(volume);
            complete = w.remainingVolume.signum() == 0;
        }
        if (complete) {
            unlockRest(w);
            working.remove(w.order().orderId());
        }
        return complete;
    }

    /**
     * Restores an order the exchange accepted before a restart, as its acceptance left it: locked, working, not
     * armed (the journal's next candle open, or a warm-up close, arms it); a protective exit is armed, as it fills at
     * once. Nothing is published: its fills and cancel come from the journal too ({@link #restoreFill}, {@link #cancel}).
     *
     * @param request      the order's request
     * @param venueOrderId the id the acceptance gave it ({@code paper-N})
     */
    void restore(DomainEvent<OrderRequested> request, String venueOrderId) {
        OrderRequested order = request.payload();
        OrderSpec spec = order.order();
        // null only for a bid by volume restored before any price is known (a resumed backtest journals no candle)
        BigDecimal total = total(order);
        BigDecimal toLock = toLock(spec, total == null ? BigDecimal.ZERO : total);
        BigDecimal[] b = balance(spec.side() == Side.BID ? spec.market().quote() : spec.market().base());
        b[0] = b[0].subtract(toLock);
        b[1] = b[1].add(toLock);
        Working w = new Working(request, venueOrderId, toLock);
        w.armed = order.exit() != null;
        working.put(order.orderId(), w);
        try {
            sequence = Math.max(sequence, Long.parseLong(venueOrderId.substring(venueOrderId.lastIndexOf('-') + 1)));
        } catch (NumberFormatException | IndexOutOfBoundsException e) {
            // not one of this book's ids: the sequence goes on from the others
        }
    }

    /**
     * Books a fill from the journal (a restart): as {@link #fill} booked it, nothing published.
     *
     * @param fill the journaled fill; ignored if its order is not working here
     */
    void restoreFill(OrderFilled fill) {
        Working w = working.get(fill.orderId());
        if (w != null) {
            w.fills++;
            settle(w, fill.price(), fill.volume(), fill.fee());
        }
    }

    /**
     * The journal's or a warm-up's view of a candle (a restart, a replay resumed after one): the market's last price,
     * and the market's working orders accepted by the candle's open are armed. Nothing fills: the fills of the
     * journaled candles are journaled, and a warm-up candle is one handled before.
     *
     * @param market   the candle's market
     * @param openTime its open time
     * @param price    its open, or its close when it closed
     */
    void restoreCandle(Market market, Instant openTime, BigDecimal price) {
        lastPrice.put(market, price);
        for (Working w : working.values()) {
            if (w.spec().market().equals(market) && !w.request.occurredAt().isAfter(openTime)) {
                w.armed = true;
            }
        }
    }

    /** Returns what is still locked for the order to available. */
    private void unlockRest(Working w) {
        OrderSpec spec = w.spec();
        BigDecimal[] b = balance(spec.side() == Side.BID ? spec.market().quote() : spec.market().base());
        b[1] = b[1].subtract(w.locked);
        b[0] = b[0].add(w.locked);
        w.locked = BigDecimal.ZERO;
    }

    /** Ends an order that cannot fill further: canceled with the reason (Upbit: a market order's rest is canceled). */
    private void finish(Working w, String reason, Instant at, List<DomainEvent<?>> out) {
        unlockRest(w);
        working.remove(w.order().orderId());
        out.add(DomainEvent.causedBy(w.request, new OrderCanceled(w.order().orderId(), w.order().strategyId(),
                w.spec().market(), reason), at));
    }

    /**
     * Cancels a working order; what filled stays filled, the rest of the lock returns to available.
     *
     * @throws ExchangeException if the order is not working here
     */
    DomainEvent<?> cancel(ClientOrderId orderId, Instant at) {
        Working w = working.get(orderId);
        if (w == null) {
            throw new ExchangeException("the paper exchange has no open order " + orderId);
        }
        List<DomainEvent<?>> out = new ArrayList<>(1);
        finish(w, "canceled on request", at, out);
        return out.get(0);
    }
}
