package io.autotrade.shell.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.autotrade.api.event.DeadLetter;
import io.autotrade.api.event.DomainEvent;
import io.autotrade.api.event.LaneStatistics;
import io.autotrade.api.event.Priority;
import io.autotrade.api.trading.ClientOrderId;
import io.autotrade.api.trading.Market;
import io.autotrade.api.trading.OrderRequested;
import io.autotrade.api.trading.OrderSpec;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class BusCommandsTest {
    @Test
    void theLaneTableShowsEveryCounterAndLatencyInMicroseconds() {
        String table = BusCommands.laneTable(List.of(new LaneStatistics(Priority.CRITICAL_TRADING, 2, 65536, 3, 17,
                1000, 998, 4, 1, 0, 2, 1_500, 42_250)));
        String[] lines = table.split("\n");
        assertEquals(2, lines.length);
        assertTrue(lines[0].startsWith("lane"), lines[0]);
        assertTrue(lines[1].matches("CRITICAL_TRADING\\s+2\\s+3\\s+17\\s+65536\\s+1000\\s+998\\s+4\\s+1\\s+0\\s+2\\s+1\\.5 us\\s+42\\.3 us\\s*"),
                lines[1]);
    }

    @Test
    void theLetterListNamesHandlerEventAndError() {
        DomainEvent<OrderRequested> event = DomainEvent.of(new OrderRequested(new ClientOrderId("o-7"), "rsi",
                OrderSpec.marketBuy(Market.of("KRW-BTC"), new BigDecimal("5000"))), Instant.EPOCH);
        String text = BusCommands.letters(List.of(new DeadLetter(7, event, "manager.position", Priority.CRITICAL_TRADING,
                3, "java.lang.IllegalStateException: no price", "", Instant.parse("2026-11-21T10:00:00Z"))));
        assertTrue(text.contains("manager.position"), text);
        assertTrue(text.contains("order.requested"), text);
        assertTrue(text.contains(event.eventId().toString()), text);
        assertTrue(text.contains("java.lang.IllegalStateException: no price"), text);
        assertEquals("no dead letters", BusCommands.letters(List.of()));
    }
}
