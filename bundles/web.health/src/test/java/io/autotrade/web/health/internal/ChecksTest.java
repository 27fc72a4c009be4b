package io.autotrade.web.health.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.autotrade.api.event.LaneStatistics;
import io.autotrade.api.event.Priority;
import io.autotrade.api.exchange.ExchangeStatus;
import io.autotrade.api.trading.TradingState;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.apache.felix.hc.api.Result;
import org.junit.jupiter.api.Test;

class ChecksTest {
    private static final Instant NOW = Instant.parse("2026-12-06T00:00:00Z");

    private static LaneStatistics lane(Priority p, int depth, int capacity) {
        return new LaneStatistics(p, 1, capacity, depth, depth, 0, 0, 0, 0, 0, 0, 0, 0);
    }

    @Test
    void theStoreIsCriticalWhileTheJournalRefusesCommits() {
        assertEquals(Result.Status.OK, Checks.store(null, "/data/paper.db", 12).getStatus());
        Result fault = Checks.store("disk full", "/data/paper.db", 12);
        assertEquals(Result.Status.CRITICAL, fault.getStatus());
        assertTrue(fault.toString().contains("disk full"));
    }

    @Test
    void aLaneHalfFullWarnsNineTenthsIsCriticalAndDeadLettersWarn() {
        assertEquals(Result.Status.OK, Checks.bus(List.of(lane(Priority.CRITICAL_TRADING, 49, 100)), 0).getStatus());
        assertEquals(Result.Status.WARN, Checks.bus(List.of(lane(Priority.CRITICAL_TRADING, 50, 100)), 0).getStatus());
        assertEquals(Result.Status.CRITICAL, Checks.bus(List.of(lane(Priority.LOW_LOGGING, 90, 100),
                lane(Priority.CRITICAL_TRADING, 0, 100)), 0).getStatus());
        assertEquals(Result.Status.WARN, Checks.bus(List.of(lane(Priority.CRITICAL_TRADING, 0, 100)), 2).getStatus());
    }

    @Test
    void aHaltWarnsWithItsReason() {
        assertEquals(Result.Status.OK, Checks.trading(TradingState.TRADING, null).getStatus());
        Result halted = Checks.trading(TradingState.IDLE, "daily loss limit");
        assertEquals(Result.Status.WARN, halted.getStatus());
        assertTrue(halted.toString().contains("daily loss limit"));
    }

    @Test
    void noExchangeADisconnectedOneOrABlockIsCriticalLowHeadroomWarns() {
        assertEquals(Result.Status.CRITICAL, Checks.exchanges(List.of(), NOW).getStatus());
        ExchangeStatus.RateLimitUsage roomy = new ExchangeStatus.RateLimitUsage("order", 2, 8, Duration.ofSeconds(1), null);
        ExchangeStatus.RateLimitUsage tight = new ExchangeStatus.RateLimitUsage("order", 7, 8, Duration.ofSeconds(1), null);
        ExchangeStatus.RateLimitUsage blocked = new ExchangeStatus.RateLimitUsage("order", 0, 8, Duration.ofSeconds(1),
                NOW.plusSeconds(30));
        assertEquals(Result.Status.OK, Checks.exchanges(List.of(new Checks.Named("upbit",
                new ExchangeStatus(true, "private WebSocket up", List.of(roomy)))), NOW).getStatus());
        assertEquals(Result.Status.WARN, Checks.exchanges(List.of(new Checks.Named("upbit",
                new ExchangeStatus(true, "private WebSocket up", List.of(tight)))), NOW).getStatus());
        Result block = Checks.exchanges(List.of(new Checks.Named("upbit",
                new ExchangeStatus(true, "REST polling", List.of(blocked)))), NOW);
        assertEquals(Result.Status.CRITICAL, block.getStatus());
        assertTrue(block.toString().contains("(30 s)"), block.toString());
        assertEquals(Result.Status.CRITICAL, Checks.exchanges(List.of(new Checks.Named("upbit",
                new ExchangeStatus(false, "no reply from api.upbit.com", List.of()))), NOW).getStatus());
        assertEquals(0.75, roomy.headroom(), 1e-9);
        assertEquals(0, blocked.headroom());
    }

    @Test
    void onlyOkAndWarnAreHealthy() {
        assertTrue(HealthResource.healthy(Result.Status.OK));
        assertTrue(HealthResource.healthy(Result.Status.WARN));
        assertFalse(HealthResource.healthy(Result.Status.CRITICAL));
        assertFalse(HealthResource.healthy(Result.Status.HEALTH_CHECK_ERROR));
        assertFalse(HealthResource.healthy(Result.Status.TEMPORARILY_UNAVAILABLE));
    }
}
