package io.autotrade.bench;

import io.autotrade.api.event.EventKind;
import io.autotrade.api.event.EventPayload;
import io.autotrade.api.event.Priority;

/**
 * A market-data payload that is not journaled, on {@code autotrade/market/TICK} (the trading lane): the
 * in-memory path of the bus, which the dispatch benchmarks measure against raw EventAdmin.
 *
 * @param market the aggregate
 * @param n      a sequence number
 */
public record BenchTick(String market, long n) implements EventPayload {
    static final EventKind KIND = new EventKind("bench.tick", 1, "autotrade/market/TICK", Priority.CRITICAL_TRADING,
            false, BenchTick.class);

    @Override
    public EventKind kind() {
        return KIND;
    }

    @Override
    public String aggregateId() {
        return market;
    }
}
