package io.autotrade.bench;

import io.autotrade.api.event.DomainEvent;
import io.autotrade.api.event.EventProperties;
import io.autotrade.api.trading.Candle;
import io.autotrade.api.trading.CandleClosed;
import io.autotrade.api.trading.Market;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;

/** Events for the benchmarks: a pool of real candle events and the OSGi properties the bus gives them. */
final class Samples {
    static final int POOL = 1024;

    private Samples() {
    }

    /** @return a pool of in-memory (not journaled) trading-lane events of one market */
    static DomainEvent<?>[] ticks(String market) {
        DomainEvent<?>[] pool = new DomainEvent<?>[POOL];
        for (int i = 0; i < POOL; i++) {
            pool[i] = DomainEvent.of(new BenchTick(market, i), Instant.EPOCH.plusSeconds(i));
        }
        return pool;
    }

    static DomainEvent<?>[] candles(String market) {
        DomainEvent<?>[] pool = new DomainEvent<?>[POOL];
        for (int i = 0; i < POOL; i++) {
            BigDecimal price = new BigDecimal(90_000_000 + i * 1000);
            Instant open = Instant.parse("2024-10-15T00:00:00Z").plus(Duration.ofMinutes(i));
            pool[i] = DomainEvent.of(new CandleClosed(new Candle(Market.of(market), Duration.ofMinutes(1), open, price,
                    price, price, price, new BigDecimal("1.5"), price)), open.plus(Duration.ofMinutes(1)));
        }
        return pool;
    }

    /** @return the same properties the autotrade bus puts on an OSGi event, for the raw EventAdmin baseline */
    static Map<String, Object> properties(DomainEvent<?> event) {
        Map<String, Object> props = new HashMap<>(16);
        props.put(EventProperties.EVENT, event);
        props.put(EventProperties.EVENT_ID, event.eventId().toString());
        props.put(EventProperties.EVENT_TYPE, event.type());
        props.put(EventProperties.EVENT_VERSION, event.version());
        props.put(EventProperties.OCCURRED_AT, event.occurredAt().toEpochMilli());
        props.put(EventProperties.AGGREGATE_ID, event.aggregateId());
        props.put(EventProperties.CORRELATION_ID, event.correlationId().toString());
        props.put(EventProperties.CAUSATION_ID, event.causationId().toString());
        props.put(EventProperties.PRIORITY, event.priority().rank());
        props.put(EventProperties.DURABLE, event.kind().durable());
        props.put(EventProperties.MARKET, "KRW-BTC");
        return props;
    }
}
