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
 * A candle's interval began and its first trade price is known. The paper exchange fills market
 * orders placed during the previous candle at this price (no look-ahead); strategies see the
 * candle only when it closes. Not stored (raw market data).
 *
 * @param market    the market
 * @param openTime  start of the interval, UTC
 * @param openPrice first trade price, quote currency per base unit
 */
public record CandleOpened(Market market, Instant openTime, BigDecimal openPrice) implements EventPayload, MarketScoped {
    /**
     * Type {@code candle.opened}, topic {@link Topics#CANDLE_OPENED}, trading lane, durable: journaled
     * so a restart knows which candles were handled (fills depend on them).
     */
    public static final EventKind KIND = new EventKind("candle.opened", 1, Topics.CANDLE_OPENED,
            Priority.CRITICAL_TRADING, true, CandleOpened.class);

    /** @throws IllegalArgumentException if a field is missing or the price is not positive */
    public CandleOpened {
        required(market, "market");
        required(openTime, "open time");
        positive(openPrice, "open price");
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
