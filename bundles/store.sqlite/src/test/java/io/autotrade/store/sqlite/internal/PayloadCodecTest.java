package io.autotrade.store.sqlite.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.autotrade.api.trading.ClientOrderId;
import io.autotrade.api.trading.Market;
import io.autotrade.api.trading.OrderRequested;
import io.autotrade.api.trading.OrderSpec;
import io.autotrade.api.trading.SelfMatchPrevention;
import io.autotrade.api.trading.TimeInForce;
import java.math.BigDecimal;
import org.junit.jupiter.api.Test;

/** Stored payloads decode as they were written, and ones written before an optional field existed still do. */
class PayloadCodecTest {
    private final PayloadCodec codec = new PayloadCodec();

    @Test
    void anOrderRequestStoredBeforeTimeInForceAndSmpExistedDecodesWithNeither() {
        OrderRequested now = new OrderRequested(new ClientOrderId("o1"), "rsi-KRW-BTC",
                OrderSpec.marketBuy(Market.of("KRW-BTC"), new BigDecimal("1000000")));
        String encoded = codec.encode(now);
        String stored = encoded.replace(",\"timeInForce\":null,\"smp\":null", ""); // as written before they existed
        assertEquals(false, stored.equals(encoded), "the new fields were in the encoding: " + encoded);
        OrderRequested r = (OrderRequested) codec.decode(OrderRequested.KIND, stored);
        assertEquals(OrderSpec.marketBuy(Market.of("KRW-BTC"), new BigDecimal("1000000")), r.order());
        assertNull(r.order().timeInForce());
        assertNull(r.order().smp());
    }

    @Test
    void aBestOrderWithItsOptionsRoundTrips() {
        OrderRequested r = new OrderRequested(new ClientOrderId("o2"), "s", OrderSpec.bestSell(Market.of("KRW-BTC"),
                new BigDecimal("0.01"), TimeInForce.FOK).with(TimeInForce.FOK, SelfMatchPrevention.REDUCE));
        assertEquals(r, codec.decode(OrderRequested.KIND, codec.encode(r)));
    }
}
