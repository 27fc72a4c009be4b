package io.autotrade.it.osgi;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import io.autotrade.api.event.CriticalFailure;
import io.autotrade.api.event.DomainEvent;
import io.autotrade.api.event.EventBus;
import io.autotrade.api.event.EventBusAdmin;
import io.autotrade.api.event.EventBusException;
import io.autotrade.api.event.EventProperties;
import io.autotrade.api.event.EventQuery;
import io.autotrade.api.event.EventStore;
import io.autotrade.api.trading.CandleOpened;
import io.autotrade.api.trading.Market;
import io.autotrade.api.trading.TradingState;
import io.autotrade.api.trading.TradingStatus;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Hashtable;
import java.util.List;
import javax.inject.Inject;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.service.event.EventHandler;
import org.sqlite.SQLiteDataSource;

/**
 * The journal meets a lock held by another process on its database (what a backup tool or a second
 * runtime pointed at the same file does), in Felix with the backtest feature's real bundles: the
 * publisher gets an exception and nothing is acknowledged, a CRITICAL_FAILURE reaches its handlers,
 * trading is HALTED with the reason; when the lock goes, the probe notices, trading is no longer
 * halted, publishing works again and the failure is in the store.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class JournalFaultIT {
    private static final Market BTC = Market.of("KRW-BTC");

    @Inject
    private BundleContext context;

    @Configuration
    public Option[] config() {
        return FeatureOptions.of("backtest");
    }

    private DomainEvent<CandleOpened> candle(long second) {
        return DomainEvent.of(new CandleOpened(BTC, Instant.ofEpochSecond(second), new BigDecimal("90000000")),
                Instant.ofEpochSecond(second));
    }

    @Test
    public void aLockHeldElsewhereHaltsTradingUntilItIsReleased() throws Exception {
        ConfigurationAdmin cm = Probe.service(context, ConfigurationAdmin.class);
        Hashtable<String, Object> store = new Hashtable<>();
        store.put("busy.timeout.ms", 300);
        cm.getConfiguration("io.autotrade.store.sqlite.internal.SqliteEventStore", null).update(store);
        Hashtable<String, Object> bus = new Hashtable<>();
        bus.put("journal.probe.ms", 100L);
        cm.getConfiguration("io.autotrade.core.bus", null).update(bus);
        Probe.sleep(1_000); // the store and the bus restart with the new settings
        Path file = Paths.get(context.getProperty("autotrade.data.dir")).resolve("pax.db");

        List<DomainEvent<?>> alarms = Collections.synchronizedList(new ArrayList<>());
        ServiceRegistration<EventHandler> alarm = Probe.handler(context, "it.alarm", "autotrade/system/CRITICAL_FAILURE",
                e -> alarms.add(EventProperties.domainEvent(e)));
        EventBus eventBus = Probe.service(context, EventBus.class);
        TradingStatus status = Probe.service(context, TradingStatus.class);
        eventBus.publish(candle(1));
        assertEquals(TradingState.IDLE, status.state());

        SQLiteDataSource other = new SQLiteDataSource();
        other.setUrl("jdbc:sqlite:" + file);
        DomainEvent<CandleOpened> refused = candle(2);
        try (Connection c = other.getConnection(); Statement s = c.createStatement()) {
            s.execute("BEGIN EXCLUSIVE");
            EventBusException e = assertThrows(EventBusException.class, () -> eventBus.publish(refused));
            assertTrue(e.getMessage(), e.getMessage().contains("locked"));
            assertEquals(TradingState.HALTED, status.state());
            String shown = Probe.shell(context, "trade:status");
            assertTrue(shown, shown.contains("HALTED") && shown.contains("event journal failing") && shown.contains("locked"));
            assertTrue(Probe.service(context, EventBusAdmin.class).journalFault().contains(file.getFileName().toString()));
            eventBus.awaitQuiescence(Duration.ofSeconds(10));
            assertEquals(1, alarms.size());
            assertEquals("core.journal", ((CriticalFailure) alarms.get(0).payload()).source());
            s.execute("COMMIT");
        }
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (status.state() == TradingState.HALTED && System.nanoTime() < deadline) {
            Probe.sleep(20);
        }
        assertEquals("the probe found the lock gone", TradingState.IDLE, status.state());
        assertNull(Probe.service(context, EventBusAdmin.class).journalFault());
        eventBus.publish(candle(3));
        eventBus.awaitQuiescence(Duration.ofSeconds(10));
        EventStore events = Probe.service(context, EventStore.class);
        assertEquals("never acknowledged, never stored", List.of(),
                events.query(EventQuery.all()).stream().filter(ev -> ev.eventId().equals(refused.eventId())).toList());
        assertEquals(List.of(alarms.get(0)), events.query(EventQuery.ofType(CriticalFailure.KIND.type())));
        assertEquals(1, alarms.size());
        alarm.unregister();
    }
}
