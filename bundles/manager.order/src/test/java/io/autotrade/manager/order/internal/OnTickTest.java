package io.autotrade.manager.order.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import io.autotrade.api.exchange.Exchange;
import io.autotrade.api.trading.Market;
import io.autotrade.api.trading.OrderSpec;
import java.math.BigDecimal;
import org.junit.jupiter.api.Test;

/** Limit prices from signals go on the tick of the exchange they are sent to. */
class OnTickTest {
    private static final Market BTC = Market.of("KRW-BTC");
    /** An exchange whose tick is 1,000 KRW at every price (only its rounding is used here). */
    private static final Exchange THOUSANDS = (Exchange) java.lang.reflect.Proxy.newProxyInstance(OnTickTest.class.getClassLoader(),
            new Class<?>[] {Exchange.class}, (proxy, method, args) -> {
                if (!method.getName().equals("roundToTick")) {
                    throw new UnsupportedOperationException(method.getName());
                }
                BigDecimal tick = new BigDecimal("1000");
                return ((BigDecimal) args[1]).divide(tick, 0, (java.math.RoundingMode) args[2]).multiply(tick);
            });

    @Test
    void limitPricesFromSignalsAreRoundedToTheTickInTheTradersFavour() {
        assertEquals(new BigDecimal("90123000"),
                OrderManager.onTick(OrderSpec.limitBuy(BTC, BigDecimal.ONE, new BigDecimal("90123456.7")), THOUSANDS).price());
        assertEquals(new BigDecimal("90124000"),
                OrderManager.onTick(OrderSpec.limitSell(BTC, BigDecimal.ONE, new BigDecimal("90123456.7")), THOUSANDS).price());
        OrderSpec market = OrderSpec.marketBuy(BTC, new BigDecimal("10000"));
        assertSame(market, OrderManager.onTick(market, THOUSANDS), "market orders have no limit price");
    }
}
