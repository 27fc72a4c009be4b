package io.autotrade.api.trading;

import static io.autotrade.api.trading.Decimals.positive;
import static io.autotrade.api.trading.Decimals.required;

import io.autotrade.api.event.EventKind;
import io.autotrade.api.event.EventPayload;
import io.autotrade.api.event.Priority;
import io.autotrade.api.event.Topics;
import java.math.BigDecimal;
import java.time.Instant;

/**
 * The prices a market traded at over a span, for the protective exits: a replayed candle's range (published
 * after its opening and before its close, so exits happen inside the candle and strategies see the position
 * as the exits left it), or one live trade price (Upbit's {@code ticker}: open = low = high). Not stored: after
 * a restart the next price decides.
 *
 * @param market the market
 * @param from   when the span began (a candle's open time, a trade's time), UTC
 * @param open   the first price of the span, quote currency per base unit
 * @param low    the lowest price, &le; open and high
 * @param high   the highest price, &ge; open and low
 */
public record PriceRange(Market market, Instant from, BigDecimal open, BigDecimal low, BigDecimal high)
        implements EventPayload, MarketScoped {
    /** Type {@code market.price_range}, topic {@link Topics#PRICE_RANGE}, trading lane, not durable. */
    public static final EventKind KIND = new EventKind("market.price_range", 1, Topics.PRICE_RANGE,
            Priority.CRITICAL_TRADING, false, PriceRange.class);

    /** @throws IllegalArgumentException if a field is missing, a price not positive, or low &gt; open or high &lt; open */
    public PriceRange {
        required(market, "market");
        required(from, "from");
        positive(open, "open");
        positive(low, "low");
        positive(high, "high");
        if (low.compareTo(open) > 0 || high.compareTo(open) < 0) {
            throw new IllegalArgumentException("price range of " + market + " at " + from + ": low " + low.toPlainString()
                    + " and high " + high.toPlainString() + " must enclose the open " + open.toPlainString());
        }
    }

    /**
     * @param market the market
     * @param at     when it traded, UTC
     * @param price  the trade price
     * @return one trade price as a range (open = low = high)
     */
    public static PriceRange trade(Market market, Instant at, BigDecimal price) {
        return new PriceRange(market, at, price, price, price);
    }

    /**
     * @param candle a candle
     * @return its range (open, low, high), from its open time
     */
    public static PriceRange of(Candle candle) {
        return new PriceRange(candle.market(), candle.openTime(), candle.open(), candle.low(), candle.high());
    }

    @Override
    public EventKind kind() {
        return KIND;
    }

    @Override
    public String aggregateId() {
        return market.code();
    }
}
