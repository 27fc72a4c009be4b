package io.autotrade.manager.risk.internal;

import io.autotrade.api.event.DomainEvent;
import io.autotrade.api.risk.RiskLimit;
import io.autotrade.api.trading.CandleClosed;
import io.autotrade.api.trading.Market;
import io.autotrade.api.trading.OrderRequested;
import io.autotrade.api.trading.OrderSpec;
import io.autotrade.api.trading.Position;
import io.autotrade.api.trading.PositionUpdated;
import io.autotrade.api.trading.Side;
import io.autotrade.api.portfolio.OrderView;
import java.util.function.Supplier;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * What the risk rules need to know: the orders in flight, read from the order manager's blotter (the one
 * view of them; a buy counts with the notional it has not filled yet), and as a fold over events the
 * positions, last prices, realized PnL net of fees per trading day and the last losing sell per market. Not
 * thread safe: the component serialises calls.
 *
 * <p>Risk-increasing orders (buys) face every rule; sells face the halt, the minimum total, the
 * order notional and the open-order count only, so a position can always be closed. A protective exit
 * (a stop-loss, take-profit, trailing or time exit: {@code OrderRequested.exit()}) passes every rule, the halt
 * too, as a cancel does: it only reduces risk.
 */
final class RiskBook {
    /** Upbit's trading day is the Korean calendar day. */
    static final ZoneId KST = ZoneId.of("Asia/Seoul");

    /** A refusal: the rule (its configuration key), the limit, the value that went past it, and a message. */
    record Breach(String rule, BigDecimal limit, BigDecimal value, String message) {
    }

    /** An order in flight: its market, side and the notional it has not filled yet (quote currency). */
    private record Open(Market market, Side side, BigDecimal notional) {
    }

    private RiskLimits limits;
    private final Supplier<List<OrderView>> inFlight;
    private final Map<Market, Position> positions = new HashMap<>();
    private final Map<Market, BigDecimal> marks = new HashMap<>();
    /** Realized PnL net of fees by {@code day/quote currency}. */
    private final Map<String, BigDecimal> netRealized = new HashMap<>();
    private final Map<Market, Instant> lastLoss = new HashMap<>();
    private final Set<String> lossHaltDays = new HashSet<>();
    private Instant latest;

    /**
     * @param limits   the rules' limits
     * @param inFlight the orders in flight, from the blotter ({@code OrderBlotter.openOrders()})
     */
    RiskBook(RiskLimits limits, Supplier<List<OrderView>> inFlight) {
        this.limits = limits;
        this.inFlight = inFlight;
    }

    /** @return the orders in flight with what each has not filled yet */
    private List<Open> open() {
        List<Open> out = new ArrayList<>();
        for (OrderView v : inFlight.get()) {
            BigDecimal notional = notional(v.spec());
            BigDecimal left = notional == null ? BigDecimal.ZERO
                    : v.spec().side() == Side.BID ? notional.subtract(v.executedFunds()).max(BigDecimal.ZERO) : notional;
            out.add(new Open(v.spec().market(), v.spec().side(), left));
        }
        return out;
    }

    void limits(RiskLimits next) {
        this.limits = next;
    }

    RiskLimits limits() {
        return limits;
    }

    /** @return the order's notional in the quote currency, or null when a market or best sell meets no known price */
    BigDecimal notional(OrderSpec spec) {
        if (spec.byAmount()) {
            return spec.price(); // a market or best buy spends its amount
        }
        return switch (spec.type()) {
            case LIMIT -> spec.price().multiply(spec.volume());
            case PRICE, MARKET, BEST -> {
                BigDecimal mark = marks.get(spec.market());
                yield mark == null ? null : spec.volume().multiply(mark);
            }
        };
    }

    /**
     * Checks an order request against the rules in order; the first refusal decides. A passed order counts as
     * in flight once the blotter has it (the order manager adds it at once).
     *
     * @param order           the request
     * @param at              when it was requested (market time in a backtest)
     * @param exchangeMinimum the exchange's minimum order total for the market, or null if unknown
     * @param haltReason      why trading is halted, or null
     * @return the breach, or empty if the order passes
     */
    Optional<Breach> check(OrderRequested order, Instant at, BigDecimal exchangeMinimum, String haltReason) {
        return firstBreach(order, at, exchangeMinimum, haltReason, open());
    }

    private Optional<Breach> firstBreach(OrderRequested order, Instant at, BigDecimal exchangeMinimum, String haltReason,
            List<Open> open) {
        if (order.exit() != null) {
            return Optional.empty();
        }
        OrderSpec spec = order.order();
        Market market = spec.market();
        String quote = market.quote();
        RiskLimits.QuoteLimits q = limits.of(quote);
        String suffix = RiskLimit.quoteSuffix(quote);
        if (haltReason != null) {
            return breach("halted", BigDecimal.ZERO, BigDecimal.ZERO, "trading is halted (" + haltReason
                    + "): no new order passes until trade:resume");
        }
        BigDecimal notional = notional(spec);
        BigDecimal minimum = exchangeMinimum != null ? exchangeMinimum : RiskLimits.on(q.minOrderTotal()) ? q.minOrderTotal() : null;
        if (notional != null && minimum != null && notional.compareTo(minimum) < 0) {
            return breach("min.order.total", minimum, notional, "order total " + plain(notional) + " " + quote
                    + " is under the minimum " + plain(minimum) + " " + quote);
        }
        if (notional != null && RiskLimits.on(q.maxOrderNotional()) && notional.compareTo(q.maxOrderNotional()) > 0) {
            return breach("max.order.notional", q.maxOrderNotional(), notional, "order notional "
                    + plain(notional) + " " + quote + " is over max.order.notional" + suffix + " " + plain(q.maxOrderNotional())
                    + " " + quote);
        }
        if (limits.maxOpenOrders() > 0 && open.size() + 1 > limits.maxOpenOrders()) {
            return breach("max.open.orders", BigDecimal.valueOf(limits.maxOpenOrders()), BigDecimal.valueOf(open.size() + 1),
                    (open.size() + 1) + " orders would be in flight, over max.open.orders " + limits.maxOpenOrders());
        }
        return spec.side() == Side.ASK ? Optional.empty() : buyBreach(market, notional, at, q, suffix, open);
    }

    /** The rules that only a buy can break: exposure per market and in all, the daily loss, the cooldown. */
    private Optional<Breach> buyBreach(Market market, BigDecimal notional, Instant at, RiskLimits.QuoteLimits q, String suffix,
            List<Open> open) {
        String quote = market.quote();
        BigDecimal add = notional == null ? BigDecimal.ZERO : notional;
        if (RiskLimits.on(q.maxPositionNotional())) {
            BigDecimal after = exposure(market, open).add(add);
            if (after.compareTo(q.maxPositionNotional()) > 0) {
                return breach("max.position.notional", q.maxPositionNotional(), after, market + " position value"
                        + " plus open buys would be " + plain(after) + " " + quote + ", over max.position.notional" + suffix
                        + " " + plain(q.maxPositionNotional()) + " " + quote);
            }
        }
        if (RiskLimits.on(q.maxTotalExposure())) {
            BigDecimal after = totalExposure(quote, open).add(add);
            if (after.compareTo(q.maxTotalExposure()) > 0) {
                return breach("max.total.exposure", q.maxTotalExposure(), after, "total exposure in " + quote
                        + " markets would be " + plain(after) + " " + quote + ", over max.total.exposure" + suffix + " "
                        + plain(q.maxTotalExposure()) + " " + quote);
            }
        }
        if (RiskLimits.on(q.dailyLossLimit())) {
            BigDecimal loss = lossOn(day(at), quote);
            if (loss.compareTo(q.dailyLossLimit()) > 0) {
                return breach("daily.loss.limit", q.dailyLossLimit(), loss, "realized loss on " + day(at)
                        + " (KST) is " + plain(loss) + " " + quote + ", past daily.loss.limit" + suffix + " "
                        + plain(q.dailyLossLimit()) + " " + quote);
            }
        }
        Instant loss = lastLoss.get(market);
        if (limits.cooldownMinutes() > 0 && loss != null) {
            Instant until = loss.plus(Duration.ofMinutes(limits.cooldownMinutes()));
            if (at.isBefore(until)) {
                long since = Duration.between(loss, at).toMinutes();
                return breach("cooldown.after.loss.minutes", BigDecimal.valueOf(limits.cooldownMinutes()),
                        BigDecimal.valueOf(since), "a losing sell in " + market + " at " + loss + ": no buy until " + until);
            }
        }
        return Optional.empty();
    }

    private static Optional<Breach> breach(String rule, BigDecimal limit, BigDecimal value, String message) {
        return Optional.of(new Breach(rule, limit, value, message));
    }

    private static String plain(BigDecimal value) {
        return value.stripTrailingZeros().toPlainString();
    }

    static LocalDate day(Instant at) {
        return at.atZone(KST).toLocalDate();
    }

    /** @return the realized loss net of fees on that day in markets of that quote currency, positive when losing, else 0 */
    BigDecimal lossOn(LocalDate day, String quote) {
        return netRealized.getOrDefault(day + "/" + quote, BigDecimal.ZERO).negate().max(BigDecimal.ZERO);
    }

    private BigDecimal exposure(Market market, List<Open> open) {
        BigDecimal value = BigDecimal.ZERO;
        Position p = positions.get(market);
        BigDecimal mark = marks.get(market);
        if (p != null) {
            value = p.volume().multiply(mark != null ? mark : p.markPrice());
        }
        for (Open o : open) {
            if (o.side() == Side.BID && o.market().equals(market)) {
                value = value.add(o.notional());
            }
        }
        return value;
    }

    private BigDecimal totalExposure(String quote, List<Open> open) {
        Set<Market> markets = new HashSet<>(positions.keySet());
        open.forEach(o -> markets.add(o.market()));
        return markets.stream().filter(m -> m.quote().equals(quote)).map(m -> exposure(m, open))
                .reduce(BigDecimal.ZERO, BigDecimal::add);
    }

    /**
     * Folds an event in: candle closes (the marks) and position updates (exposure, realized PnL, losses).
     *
     * @param event      any domain event
     * @return the breach when this event put the day's loss past the limit for the first time that day
     */
    Optional<Breach> apply(DomainEvent<?> event) {
        if (latest == null || event.occurredAt().isAfter(latest)) {
            latest = event.occurredAt();
        }
        switch (event.payload()) {
            case CandleClosed c -> marks.put(c.market(), c.candle().close());
            case PositionUpdated u -> {
                return position(u.position(), event.occurredAt());
            }
            default -> {
                // not about risk
            }
        }
        return Optional.empty();
    }

    private Optional<Breach> position(Position now, Instant at) {
        Market market = now.market();
        Position before = positions.getOrDefault(market, Position.flat(market, at));
        positions.put(market, now);
        marks.put(market, now.markPrice());
        BigDecimal realized = now.realizedPnl().subtract(before.realizedPnl());
        BigDecimal net = realized.subtract(now.feesPaid().subtract(before.feesPaid()));
        LocalDate day = day(at);
        String quote = market.quote();
        netRealized.merge(day + "/" + quote, net, BigDecimal::add);
        boolean sold = now.volume().compareTo(before.volume()) < 0;
        if (sold && net.signum() < 0) {
            lastLoss.put(market, at);
        }
        BigDecimal loss = lossOn(day, quote);
        BigDecimal limit = limits.of(quote).dailyLossLimit();
        if (RiskLimits.on(limit) && loss.compareTo(limit) > 0 && lossHaltDays.add(day + "/" + quote)) {
            return breach("daily.loss.limit", limit, loss, "realized loss on " + day + " (KST) is "
                    + plain(loss) + " " + quote + ", past daily.loss.limit" + RiskLimit.quoteSuffix(quote)
                    + " " + plain(limit) + " " + quote + ": trading halts");
        }
        return Optional.empty();
    }

    /**
     * @param wallClock the time to use when no event has been seen yet
     * @return every rule with its limit and current usage, as of the latest event (market time)
     */
    List<RiskLimit> usage(Instant wallClock) {
        Instant now = latest != null ? latest : wallClock;
        LocalDate today = day(now);
        List<Open> open = open();
        List<RiskLimit> out = new ArrayList<>();
        Set<String> quotes = new java.util.TreeSet<>(limits.otherQuotes().keySet());
        positions.keySet().forEach(m -> quotes.add(m.quote()));
        open.forEach(o -> quotes.add(o.market().quote()));
        quotes.remove("KRW");
        List<String> ordered = new ArrayList<>();
        ordered.add("KRW");
        ordered.addAll(quotes);
        for (String quote : ordered) {
            RiskLimits.QuoteLimits q = limits.of(quote);
            String suffix = RiskLimit.quoteSuffix(quote);
            out.add(new RiskLimit("min.order.total" + suffix, q.minOrderTotal(), BigDecimal.ZERO, quote,
                    "per order; the exchange's minimum applies where it states one"));
            BigDecimal largest = open.stream().filter(o -> o.market().quote().equals(quote)).map(Open::notional)
                    .reduce(BigDecimal.ZERO, BigDecimal::max);
            out.add(new RiskLimit("max.order.notional" + suffix, q.maxOrderNotional(), largest, quote, "largest order in flight"));
            Market top = null;
            BigDecimal topValue = BigDecimal.ZERO;
            Set<Market> markets = new HashSet<>(positions.keySet());
            open.forEach(o -> markets.add(o.market()));
            for (Market m : markets) {
                BigDecimal v = exposure(m, open);
                if (m.quote().equals(quote) && v.compareTo(topValue) > 0) {
                    top = m;
                    topValue = v;
                }
            }
            out.add(new RiskLimit("max.position.notional" + suffix, q.maxPositionNotional(), topValue, quote,
                    top == null ? "no position" : "largest: " + top + " (position value + open buys)"));
            out.add(new RiskLimit("max.total.exposure" + suffix, q.maxTotalExposure(), totalExposure(quote, open), quote,
                    "position values + open buys, " + quote + " markets"));
            out.add(new RiskLimit("daily.loss.limit" + suffix, q.dailyLossLimit(), lossOn(today, quote), quote,
                    "realized loss net of fees on " + today + " (KST)"));
        }
        out.add(new RiskLimit("max.open.orders", BigDecimal.valueOf(limits.maxOpenOrders()), BigDecimal.valueOf(open.size()),
                "orders", "orders in flight"));
        long left = 0;
        for (Instant loss : lastLoss.values()) {
            long minutes = Duration.between(now, loss.plus(Duration.ofMinutes(limits.cooldownMinutes()))).toMinutes();
            left = Math.max(left, minutes);
        }
        out.add(new RiskLimit("cooldown.after.loss.minutes", BigDecimal.valueOf(limits.cooldownMinutes()),
                BigDecimal.valueOf(left), "minutes", "longest cooldown still running"));
        return out;
    }
}
