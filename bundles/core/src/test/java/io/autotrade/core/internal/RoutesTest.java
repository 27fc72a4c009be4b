package io.autotrade.core.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.autotrade.api.event.DomainEvent;
import io.autotrade.api.event.Priority;
import io.autotrade.api.trading.Candle;
import io.autotrade.api.trading.CandleClosed;
import io.autotrade.api.trading.ClientOrderId;
import io.autotrade.api.trading.Market;
import io.autotrade.api.trading.OrderRequested;
import io.autotrade.api.trading.OrderSpec;
import java.math.BigDecimal;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class RoutesTest {
    private static final DomainEvent<OrderRequested> ORDER = DomainEvent.of(new OrderRequested(new ClientOrderId("o1"),
            "s", OrderSpec.marketBuy(Market.of("KRW-BTC"), new BigDecimal("5000"))), Instant.EPOCH);
    private static final DomainEvent<LogLine> LOG = DomainEvent.of(new LogLine("x", "y"), Instant.EPOCH);

    @Test
    void defaultsPutTradingCriticalAndLogsLow() {
        Routes routes = new Routes(Routes.DEFAULTS);
        assertEquals(Priority.CRITICAL_TRADING, routes.laneOf(ORDER));
        assertEquals(Priority.LOW_LOGGING, routes.laneOf(LOG));
    }

    @Test
    void theMostSpecificPatternWins() {
        Routes routes = new Routes(new String[] {"*=5", "autotrade/*=MEDIUM_CONFIG", "autotrade/order/*=high_safety",
            "autotrade/order/REQUESTED=LOW_LOGGING"});
        assertEquals(Priority.LOW_LOGGING, routes.laneOf(ORDER));
        assertEquals(Priority.MEDIUM_CONFIG, routes.laneOf(LOG));
        Routes prefixOnly = new Routes(new String[] {"*=5", "autotrade/order/*=2"});
        assertEquals(Priority.HIGH_SAFETY, prefixOnly.laneOf(ORDER));
        assertEquals(Priority.LOWEST_CLEANUP, prefixOnly.laneOf(LOG));
    }

    @Test
    void anUnroutedTopicKeepsItsKindsDefault() {
        assertEquals(Priority.CRITICAL_TRADING, new Routes(new String[0]).laneOf(ORDER));
    }

    @Test
    void anEventsOwnPriorityWinsOverTheRoutes() {
        Routes routes = new Routes(new String[] {"autotrade/order/*=MEDIUM_CONFIG"});
        assertEquals(Priority.LOWEST_CLEANUP, routes.laneOf(ORDER.withPriority(Priority.LOWEST_CLEANUP)));
        assertEquals(Priority.MEDIUM_CONFIG, routes.laneOf(ORDER));
    }

    @Test
    void malformedRoutesAreRefusedNamingTheEntry() {
        IllegalArgumentException noLane = assertThrows(IllegalArgumentException.class,
                () -> new Routes(new String[] {"autotrade/order/*=URGENT"}));
        assertTrue(noLane.getMessage().contains("'autotrade/order/*=URGENT' names no lane"), noLane.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new Routes(new String[] {"autotrade/order/*"}));
        assertThrows(IllegalArgumentException.class, () -> new Routes(new String[] {"autotrade/*/FILLED=1"}));
        assertThrows(IllegalArgumentException.class, () -> new Routes(new String[] {"autotrade/order/*=9"}));
    }

    @Test
    void candlesTravelCritical() {
        Candle candle = new Candle(Market.of("KRW-BTC"), java.time.Duration.ofDays(1), Instant.EPOCH, BigDecimal.ONE,
                BigDecimal.ONE, BigDecimal.ONE, BigDecimal.ONE, BigDecimal.ONE, BigDecimal.ONE);
        assertEquals(Priority.CRITICAL_TRADING, new Routes(Routes.DEFAULTS).laneOf(DomainEvent.of(new CandleClosed(candle),
                Instant.EPOCH)));
    }
}
