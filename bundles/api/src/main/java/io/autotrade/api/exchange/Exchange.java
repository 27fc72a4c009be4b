package io.autotrade.api.exchange;

import io.autotrade.api.trading.ClientOrderId;
import io.autotrade.api.trading.Market;
import java.util.Map;

/**
 * An exchange adapter. Registered as a service with the property {@value #EXCHANGE_ID} naming it
 * ({@code paper}, {@code upbit}). Orders reach it by one channel: the order manager's {@code order.submitted}
 * event naming its id (topic {@code autotrade/order/SUBMITTED}; the request is the {@code order.requested} of
 * the same order, published just before). The adapter answers through the event bus with
 * {@code OrderAccepted}, {@code OrderFilled}, {@code OrderCanceled} or {@code OrderRejected}, each caused by
 * the request event.
 */
public interface Exchange {
    /** Service property naming the adapter. */
    String EXCHANGE_ID = "exchange.id";

    /** @return the adapter's id, equal to its {@value #EXCHANGE_ID} service property */
    String id();

    /**
     * Rounds a limit price to the exchange's price unit (tick) at that price (Upbit API docs, "order price unit"
     * by quote currency and band; the live adapter also asks {@code orderbook/instruments}).
     *
     * @param market the market
     * @param price  a price, quote currency per base unit, &gt; 0
     * @param mode   {@code DOWN} for a bid (never pay more), {@code UP} for an ask (never sell for less)
     * @return the price on the tick
     * @throws IllegalArgumentException if the price is not positive or the quote currency has no known ticks
     */
    java.math.BigDecimal roundToTick(Market market, java.math.BigDecimal price, java.math.RoundingMode mode);

    /**
     * Asks the exchange to cancel an open order; the answer comes as {@code OrderCanceled}.
     *
     * @param orderId our client order id
     * @throws ExchangeException if the exchange does not know the order or it is already final
     */
    void cancel(ClientOrderId orderId);

    /**
     * Asks the exchange to cancel every open order of these markets at once (the operator's kill switch,
     * {@code trade:cancel --all}); each answer comes as {@code OrderCanceled}. An exchange with a batch
     * endpoint uses it (Upbit: {@code DELETE orders/open}, which also cancels orders of those markets placed
     * elsewhere); the default cancels the given orders one by one.
     *
     * @param orderIds the open orders of this runtime
     * @throws ExchangeException if the exchange refuses or cannot be reached
     */
    default void cancelAll(java.util.List<ClientOrderId> orderIds) {
        orderIds.forEach(this::cancel);
    }

    /** @return balances by currency code (e.g. {@code KRW}, {@code BTC}) */
    Map<String, Balance> balances();

    /**
     * One currency's balance, for a caller that asks at every candle (a backtest marking its equity): the default
     * looks it up in {@link #balances()}; an adapter that holds its balances can answer without building that map.
     *
     * @param currency a currency code, e.g. {@code KRW}
     * @return its balance, or null when the account holds none of it
     * @throws ExchangeException if the exchange cannot be reached
     */
    default Balance balance(String currency) {
        return balances().get(currency);
    }

    /**
     * @param market a market
     * @return the market's trading rules
     * @throws ExchangeException if the exchange does not trade that market
     */
    MarketRules rules(Market market);

    /**
     * @return the connection and request budget now; the default, for an exchange inside this process (the paper
     *         exchange), is connected with no rate limits
     */
    default ExchangeStatus status() {
        return new ExchangeStatus(true, "in-process simulation", java.util.List.of());
    }
}
