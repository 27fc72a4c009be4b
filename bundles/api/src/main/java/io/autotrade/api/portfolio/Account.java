package io.autotrade.api.portfolio;

import io.autotrade.api.trading.Market;
import java.math.BigDecimal;
import java.util.Optional;

/**
 * The account's value per quote currency, for position sizing: the exchange's balance of the currency
 * (available and locked) plus every position quoted in it at its mark price.
 */
public interface Account {

    /**
     * @param quoteCurrency a quote currency, e.g. {@code KRW}
     * @param market        a market to value at {@code price} instead of its mark (the caller's latest close, so a
     *                      backtest's figure does not depend on which handler saw the close first), or null
     * @param price         that market's price, quote per base, or null
     * @return cash + positions' value, in the quote currency; empty while no exchange is running
     */
    Optional<BigDecimal> equity(String quoteCurrency, Market market, BigDecimal price);

    /**
     * @param market a market
     * @return the most a market buy on it can spend now: the quote currency's available balance less the fee on
     *         top ({@code Exchange.rules(market).bidFee()}), rounded down to 8 decimals; empty while no exchange
     *         is running
     */
    Optional<BigDecimal> buyingPower(Market market);
}
