package io.autotrade.exchange.upbit.internal;

import com.fasterxml.jackson.databind.JsonNode;
import io.autotrade.api.exchange.ExchangeException;
import io.autotrade.api.trading.Market;
import io.autotrade.api.trading.OrderSpec;
import io.autotrade.api.trading.OrderType;
import io.autotrade.api.trading.Side;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The adapter's pre-trade checks of an order against what Upbit says about its market, each refusal a code
 * and a reason; none sends anything to Upbit's order endpoint:
 * <ul>
 *   <li><b>Flagged markets</b> ({@code market_flagged}): buys into a market Upbit flags ({@code market/all}
 *       {@code market_event}) unless allowed; sells pass.</li>
 *   <li><b>Totals</b> ({@code under_min_total_bid}, {@code under_min_total_ask}, {@code over_max_total}):
 *       the order's total against {@code orders/chance}'s {@code market.bid.min_total},
 *       {@code market.ask.min_total} and {@code market.max_total} (a market or best sell is valued at the
 *       book's best bid, when the book is read).</li>
 *   <li><b>The book</b>, for market and best orders ({@code GET orderbook}, up to 30 levels a side): the spread
 *       ({@code wide_spread}), the depth ({@code thin_book}: Upbit refuses a market order beyond its 30 levels
 *       since 2025-05-07) and the estimated slippage ({@code slippage}).</li>
 * </ul>
 */
final class OrderGuards {
    /** How long the market flags read from {@code market/all} are used before they are read again. */
    static final Duration MARKET_EVENT_TTL = Duration.ofMinutes(1);

    private final UpbitClient client;
    private final Consumer<String> log;
    private final Supplier<Instant> clock;
    private final Function<Market, UpbitJson.Totals> totals;
    private volatile boolean allowFlagged;
    private volatile BigDecimal maxSlippage = BigDecimal.ZERO;
    private volatile BigDecimal maxSpread = BigDecimal.ZERO;
    private volatile Map<String, List<String>> marketEvents = Map.of();
    private volatile Instant marketEventsReadAt;

    /**
     * @param client Upbit's REST API
     * @param log    warnings
     * @param clock  the time
     * @param totals the market's order totals ({@code orders/chance}, cached by the caller), or null when unknown
     */
    OrderGuards(UpbitClient client, Consumer<String> log, Supplier<Instant> clock, Function<Market, UpbitJson.Totals> totals) {
        this.client = client;
        this.log = log;
        this.clock = clock;
        this.totals = totals;
    }

    /** @param allow {@code true} to let buys into markets Upbit flags (market_event) through */
    void allowFlagged(boolean allow) {
        this.allowFlagged = allow;
    }

    /** @return whether buys into flagged markets are let through */
    boolean allowFlagged() {
        return allowFlagged;
    }

    /** @param fraction the largest estimated slippage of a market order's average price from the best, 0.01 = 1%; 0 = off */
    void maxSlippage(BigDecimal fraction) {
        this.maxSlippage = fraction;
    }

    /** @param fraction the widest spread (over the mid) at which a market order is still sent, 0.01 = 1%; 0 = off */
    void maxSpread(BigDecimal fraction) {
        this.maxSpread = fraction;
    }

    /** Reads the market flags again when the last read is older than {@link #MARKET_EVENT_TTL}. */
    void refreshIfDue() {
        Instant read = marketEventsReadAt;
        if (read != null && Duration.between(read, clock.get()).compareTo(MARKET_EVENT_TTL) >= 0) {
            refreshMarketEvents();
        }
    }

    /**
     * @param spec an order about to be sent
     * @return the rejection code and reason, or null when the order may go
     */
    String[] problem(OrderSpec spec) {
        if (spec.side() == Side.BID && !allowFlagged) {
            List<String> flags = marketEvent(spec.market());
            if (!flags.isEmpty()) {
                return new String[] {"market_flagged", spec.market() + " is flagged by Upbit (market_event: "
                        + String.join(", ", flags) + "): buys into it are refused (allow.flagged.markets = true to trade it);"
                        + " sells still pass"};
            }
        }
        UpbitJson.Orderbook book = null;
        if (spec.type() != OrderType.LIMIT && (maxSpread.signum() > 0 || maxSlippage.signum() > 0)) {
            try {
                book = book(spec.market());
            } catch (ExchangeException e) {
                log.accept("orderbook of " + spec.market() + " not read (" + e.getMessage() + "); the order goes without the book checks");
            }
            if (book != null && book.levels().isEmpty()) {
                return new String[] {"wide_spread", "the orderbook of " + spec.market() + " is empty: no market order"};
            }
        }
        String[] total = totalProblem(spec, book);
        if (total != null || book == null) {
            return total;
        }
        return bookProblem(spec, book);
    }

    /** @return the order's total against Upbit's minimum of its side and maximum, or null when within them or unknown */
    private String[] totalProblem(OrderSpec spec, UpbitJson.Orderbook book) {
        UpbitJson.Totals limits = totals.apply(spec.market());
        if (limits == null) {
            return null;
        }
        boolean bid = spec.side() == Side.BID;
        BigDecimal total;
        if (spec.type() == OrderType.LIMIT) {
            total = spec.price().multiply(spec.volume());
        } else if (spec.byAmount()) {
            total = spec.price();
        } else if (book != null && !book.levels().isEmpty()) {
            total = spec.volume().multiply(book.levels().get(0).bidPrice());
        } else {
            return null; // a sell by volume with no price to value it: Upbit decides
        }
        String quote = spec.market().quote();
        BigDecimal min = bid ? limits.bidMin() : limits.askMin();
        if (total.compareTo(min) < 0) {
            return new String[] {"under_min_total_" + spec.side().upbitName(), "the order's total " + total.toPlainString() + " "
                    + quote + (spec.type() != OrderType.LIMIT && !bid ? " (at the best bid)" : "") + " is under Upbit's minimum "
                    + min.toPlainString() + " " + quote + " for a " + (bid ? "buy" : "sell") + " on " + spec.market()
                    + " (orders/chance market." + spec.side().upbitName() + ".min_total)"};
        }
        if (limits.maxTotal() != null && total.compareTo(limits.maxTotal()) > 0) {
            return new String[] {"over_max_total", "the order's total " + total.toPlainString() + " " + quote + " is over Upbit's"
                    + " maximum " + limits.maxTotal().toPlainString() + " " + quote + " on " + spec.market()
                    + " (orders/chance market.max_total)"};
        }
        return null;
    }

    private UpbitJson.Orderbook book(Market market) {
        JsonNode books = client.publicGet("/orderbook", new Query().add("markets", market.code()));
        return books.isEmpty() ? new UpbitJson.Orderbook(market, clock.get(), List.of()) : UpbitJson.orderbook(books.get(0));
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
     * Checks a market or best order against the book: the spread ({@code wide_spread}, over
     * {@code market.order.max.spread.pct}), the depth ({@code thin_book}) and the estimated slippage of the
     * average fill price from the best price ({@code slippage}, over {@code market.order.max.slippage.pct}).
     *
     * @return the rejection code and reason, or null when the order may go
     */
    private String[] bookProblem(OrderSpec spec, UpbitJson.Orderbook book) {
        Market market = spec.market();
        UpbitJson.Level best = book.levels().get(0);
        BigDecimal mid = best.askPrice().add(best.bidPrice()).divide(BigDecimal.TWO);
        BigDecimal spread = best.askPrice().subtract(best.bidPrice()).divide(mid, 8, RoundingMode.HALF_UP);
        if (maxSpread.signum() > 0 && spread.compareTo(maxSpread) > 0) {
            return new String[] {"wide_spread", "the spread of " + market + " is " + percent(spread) + "% (ask "
                    + best.askPrice().toPlainString() + ", bid " + best.bidPrice().toPlainString() + "), above "
                    + percent(maxSpread) + "%: no market order into so thin a book"};
        }
        // a best order takes the best level only (the rest is canceled, IOC, or nothing fills, FOK): it cannot slip
        return maxSlippage.signum() > 0 && spec.type() != OrderType.BEST ? depthProblem(spec, book) : null;
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
}
