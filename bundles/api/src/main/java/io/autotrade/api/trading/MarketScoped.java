package io.autotrade.api.trading;

/**
 * A payload about one market; the bus then sets the {@code market} event property so handlers can
 * filter with {@code (market=KRW-BTC)}.
 */
public interface MarketScoped {
    /** @return the market the event is about */
    Market market();
}
