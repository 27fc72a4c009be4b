package io.autotrade.manager.order.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import io.autotrade.api.trading.Market;
import io.autotrade.api.trading.OrderSpec;
import java.math.BigDecimal;
import org.junit.jupiter.api.Test;

class OnTickTest {
    private static final Market BTC = Market.of("KRW-BTC");

    @Test
    void limitPricesFromSignalsAreRoundedToTheTickInTheTradersFavour() {
        assertEquals(new BigDecimal("90123000"),
                OrderManager.onTick(OrderSpec.limitBuy(BTC, BigDecimal.ONE, new BigDecimal("90123456.7"))).price());
        assertEquals(new BigDecimal("90124000"),
                OrderManager.onTick(OrderSpec.limitSell(BTC, BigDecimal.ONE, new BigDecimal("90123456.7"))).price());
        OrderSpec market = OrderSpec.marketBuy(BTC, new BigDecimal("10000"));
        assertSame(market, OrderManager.onTick(market), "market orders have no limit price");
    }
}
