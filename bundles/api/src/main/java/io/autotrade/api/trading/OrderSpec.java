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
 * </ul>
 *
 * @param market the market
 * @param side   bid or ask
 * @param type   limit, price (market buy) or market (market sell)
 * @param volume base-currency volume, or null for {@code PRICE}
 * @param price  limit price, or the quote amount for {@code PRICE}, or null for {@code MARKET}
 */
public record OrderSpec(Market market, Side side, OrderType type, BigDecimal volume, BigDecimal price) {

    /** @throws IllegalArgumentException if the fields do not fit the order type as described above */
    public OrderSpec {
        required(market, "order market");
        required(side, "order side");
        required(type, "order type");
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
        }
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
        return new OrderSpec(market, side, type, volume, newPrice);
    }

    /**
     * @param market the market
     * @param volume base currency to sell
     * @return a market sell by volume ({@code ord_type=market})
     */
    public static OrderSpec marketSell(Market market, BigDecimal volume) {
        return new OrderSpec(market, Side.ASK, OrderType.MARKET, volume, null);
    }
}
