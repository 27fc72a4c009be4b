package io.autotrade.api.trading;

import static io.autotrade.api.trading.Decimals.positive;
import static io.autotrade.api.trading.Decimals.required;

import java.math.BigDecimal;

/**
 * What to trade, in the shape of Upbit's order request (Upbit API, POST /v1/orders):
 * <ul>
 * <li>{@link OrderType#LIMIT}: {@code volume} (base currency) at {@code price} (quote per base), bid or ask;</li>
 * <li>{@link OrderType#PRICE}: market buy spending {@code price} in the quote currency; bid only, no volume;</li>
 * <li>{@link OrderType#MARKET}: market sell of {@code volume}; ask only, no price.</li>
 * <li>{@link OrderType#BEST}: at the best opposite price, with {@code timeInForce} IOC or FOK; a bid spends
 * {@code price} in the quote currency (no volume), an ask sells {@code volume} (no price).</li>
 * </ul>
 * {@code timeInForce} is allowed on limit orders (IOC, FOK, POST_ONLY) and required on best orders (IOC,
 * FOK); market orders take none. {@code smp} is Upbit's {@code smp_type}; null leaves it to the exchange
 * adapter's default. A post-only order takes none (Upbit refuses the two together).
 *
 * @param market      the market
 * @param side        bid or ask
 * @param type        limit, price (market buy), market (market sell) or best
 * @param volume      base-currency volume, or null for {@code PRICE} and a {@code BEST} bid
 * @param price       limit price, or the quote amount for {@code PRICE} and a {@code BEST} bid, or null for
 *                    {@code MARKET} and a {@code BEST} ask
 * @param timeInForce how long it works, or null: until filled or canceled
 * @param smp         self-match prevention, or null for the exchange's default
 */
public record OrderSpec(Market market, Side side, OrderType type, BigDecimal volume, BigDecimal price,
        TimeInForce timeInForce, SelfMatchPrevention smp) {

    /** @throws IllegalArgumentException if the fields do not fit the order type as described above */
    public OrderSpec {
        required(market, "order market");
        required(side, "order side");
        required(type, "order type");
        checkOptions(type, timeInForce, smp);
        switch (type) {
            case LIMIT -> {
                positive(volume, "limit order volume");
                positive(price, "limit order price");
            }
            case PRICE -> {
                if (side != Side.BID) {
                    throw new IllegalArgumentException("ord_type price (market buy by amount) must be a bid");
                }
                if (volume != null) {
                    throw new IllegalArgumentException("ord_type price takes no volume, was " + volume.toPlainString());
                }
                positive(price, "market buy amount (price)");
            }
            case MARKET -> {
                if (side != Side.ASK) {
                    throw new IllegalArgumentException("ord_type market (market sell by volume) must be an ask");
                }
                if (price != null) {
                    throw new IllegalArgumentException("ord_type market takes no price, was " + price.toPlainString());
                }
                positive(volume, "market sell volume");
            }
            case BEST -> {
                if (side == Side.BID) {
                    if (volume != null) {
                        throw new IllegalArgumentException("a best bid spends an amount (price) and takes no volume, was "
                                + volume.toPlainString());
                    }
                    positive(price, "best bid amount (price)");
                } else {
                    if (price != null) {
                        throw new IllegalArgumentException("a best ask sells a volume and takes no price, was " + price.toPlainString());
                    }
                    positive(volume, "best ask volume");
                }
            }
        }
    }

    /**
     * An order without time in force or self-match prevention: it works until filled or canceled, with the
     * exchange's default {@code smp_type}.
     *
     * @param market the market
     * @param side   bid or ask
     * @param type   limit, price or market
     * @param volume as in the record
     * @param price  as in the record
     * @throws IllegalArgumentException as the record's constructor
     */
    public OrderSpec(Market market, Side side, OrderType type, BigDecimal volume, BigDecimal price) {
        this(market, side, type, volume, price, null, null);
    }

    private static void checkOptions(OrderType type, TimeInForce timeInForce, SelfMatchPrevention smp) {
        if (type == OrderType.BEST && timeInForce != TimeInForce.IOC && timeInForce != TimeInForce.FOK) {
            throw new IllegalArgumentException("a best order needs time in force ioc or fok (Upbit), was "
                    + (timeInForce == null ? "none" : timeInForce.upbitName()));
        }
        if ((type == OrderType.PRICE || type == OrderType.MARKET) && timeInForce != null) {
            throw new IllegalArgumentException("a market order (ord_type " + type.upbitName() + ") takes no time in force, was "
                    + timeInForce.upbitName() + "; use ord_type best with ioc or fok");
        }
        if (timeInForce == TimeInForce.POST_ONLY && smp != null) {
            throw new IllegalArgumentException("a post-only order takes no self-match prevention (Upbit refuses post_only"
                    + " with smp_type), was " + smp.upbitName());
        }
    }

    /**
     * @param tif how long the order works, or null
     * @param selfMatch self-match prevention, or null for the exchange's default
     * @return this order with those options
     * @throws IllegalArgumentException if they do not fit its type
     */
    public OrderSpec with(TimeInForce tif, SelfMatchPrevention selfMatch) {
        return new OrderSpec(market, side, type, volume, price, tif, selfMatch);
    }

    /**
     * @return Upbit's {@code ord_type}, with the {@code time_in_force} when there is one, e.g. {@code limit},
     *         {@code best/ioc} (Upbit API, "주문하기" / create order: ord_type, time_in_force)
     */
    public String upbitTypeName() {
        return type.upbitName() + (timeInForce == null ? "" : "/" + timeInForce.upbitName());
    }

    /**
     * @return whether the order spends a quote amount ({@code price}) rather than selling or buying a volume: a
     *         market buy, or a best bid
     */
    public boolean byAmount() {
        return side == Side.BID && (type == OrderType.PRICE || type == OrderType.BEST);
    }

    /**
     * @param market the market
     * @param amount quote currency to spend (KRW on KRW markets)
     * @return a market buy by amount ({@code ord_type=price})
     */
    public static OrderSpec marketBuy(Market market, BigDecimal amount) {
        return new OrderSpec(market, Side.BID, OrderType.PRICE, null, amount);
    }

    /**
     * @param market the market
     * @param volume base currency to buy
     * @param price  limit price, quote per base
     * @return a limit buy ({@code ord_type=limit}, {@code side=bid})
     */
    public static OrderSpec limitBuy(Market market, BigDecimal volume, BigDecimal price) {
        return new OrderSpec(market, Side.BID, OrderType.LIMIT, volume, price);
    }

    /**
     * @param market the market
     * @param volume base currency to sell
     * @param price  limit price, quote per base
     * @return a limit sell ({@code ord_type=limit}, {@code side=ask})
     */
    public static OrderSpec limitSell(Market market, BigDecimal volume, BigDecimal price) {
        return new OrderSpec(market, Side.ASK, OrderType.LIMIT, volume, price);
    }

    /**
     * @param newPrice a limit price
     * @return this limit order at another price
     * @throws IllegalStateException if this is not a limit order
     */
    public OrderSpec withLimitPrice(BigDecimal newPrice) {
        if (type != OrderType.LIMIT) {
            throw new IllegalStateException("only a limit order has a limit price; this is ord_type " + type.upbitName());
        }
        return new OrderSpec(market, side, type, volume, newPrice, timeInForce, smp);
    }

    /**
     * @param market the market
     * @param volume base currency to sell
     * @return a market sell by volume ({@code ord_type=market})
     */
    public static OrderSpec marketSell(Market market, BigDecimal volume) {
        return new OrderSpec(market, Side.ASK, OrderType.MARKET, volume, null);
    }

    /**
     * @param market the market
     * @param amount quote currency to spend
     * @param tif    {@link TimeInForce#IOC} or {@link TimeInForce#FOK}
     * @return a best-price buy ({@code ord_type=best}, {@code side=bid})
     */
    public static OrderSpec bestBuy(Market market, BigDecimal amount, TimeInForce tif) {
        return new OrderSpec(market, Side.BID, OrderType.BEST, null, amount, tif, null);
    }

    /**
     * @param market the market
     * @param volume base currency to sell
     * @param tif    {@link TimeInForce#IOC} or {@link TimeInForce#FOK}
     * @return a best-price sell ({@code ord_type=best}, {@code side=ask})
     */
    public static OrderSpec bestSell(Market market, BigDecimal volume, TimeInForce tif) {
        return new OrderSpec(market, Side.ASK, OrderType.BEST, volume, null, tif, null);
    }
}
