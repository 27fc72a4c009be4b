package io.autotrade.it.osgi;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import io.autotrade.api.config.DbProfileSwitched;
import io.autotrade.api.event.DomainEvent;
import io.autotrade.api.event.EventBus;
import io.autotrade.api.event.EventQuery;
import io.autotrade.api.event.EventStore;
import io.autotrade.api.portfolio.OrderBlotter;
import io.autotrade.api.portfolio.OrderView;
import io.autotrade.api.trading.CandleOpened;
import io.autotrade.api.trading.Market;
import io.autotrade.api.trading.OrderState;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
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
import org.sqlite.SQLiteDataSource;

/**
 * Database profiles in Felix with the backtest feature's real bundles: while an order is in flight a
 * switch is refused with {@code --no-wait} and held otherwise; when the order is final the held switch
 * happens by itself: it backs the database up (a readable copy holding its events), moves the runtime to
 * the other file (components rebuild from it: an empty blotter there) and stores
 * {@code db.profile_switched} in it; switching back finds the first database's orders again.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class ProfileIT {
    private static final Market BTC = Market.of("KRW-BTC");

    @Inject
    private BundleContext context;

    @Configuration
    public Option[] config() {
        return FeatureOptions.of("backtest");
    }

    private List<OrderView> orders() throws Exception {
        return Probe.service(context, OrderBlotter.class).orders();
    }

    private static long events(Path db, String type) throws Exception {
        SQLiteDataSource ds = new SQLiteDataSource();
        ds.setUrl("jdbc:sqlite:" + db);
        try (Connection c = ds.getConnection(); Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT count(*) FROM events WHERE type = '" + type + "'")) {
            rs.next();
            return rs.getLong(1);
        }
    }

    @Test
    public void aSwitchIsHeldWhileAnOrderIsInFlightThenBacksUpAndRebuildsFromTheOtherDatabase() throws Exception {
        Probe.paperExchange(context);
        Path folder = Paths.get(context.getProperty("autotrade.data.dir"));

        Probe.service(context, EventBus.class).publish(DomainEvent.of(new CandleOpened(BTC, Instant.now(),
                new BigDecimal("90000000")), Instant.now()));
        OrderView resting = Probe.restingBuy(context);
        String listed = Probe.shell(context, "trade:profile list");
        assertTrue(listed, listed.contains("* ") && listed.contains("pax"));

        String refused = Probe.shell(context, "trade:profile switch --no-wait live");
        assertTrue(refused, refused.contains("refused") && refused.contains(resting.orderId().value()));
        String held = Probe.shell(context, "trade:profile switch live");
        assertTrue(held, held.contains("held") && held.contains(resting.orderId().value()));
        assertTrue(Probe.shell(context, "trade:pending").contains("profile=live"));
        Probe.sleep(500);
        assertTrue("still on the first database while the order rests",
                Probe.service(context, EventStore.class).location().endsWith("pax.db"));

        Probe.service(context, OrderBlotter.class).cancel(resting.orderId());
        Probe.settle(context);
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (System.nanoTime() < deadline && !(Probe.service(context, EventStore.class).location().endsWith("live.db")
                && !Probe.service(context, EventStore.class).query(EventQuery.ofType(DbProfileSwitched.KIND.type())).isEmpty())) {
            Probe.sleep(50);
        }
        EventStore live = Probe.service(context, EventStore.class);
        assertTrue(live.location(), live.location().endsWith("live.db"));
        List<DomainEvent<?>> marks = live.query(EventQuery.ofType(DbProfileSwitched.KIND.type()));
        assertEquals(1, marks.size());
        DbProfileSwitched mark = (DbProfileSwitched) marks.get(0).payload();
        assertEquals("pax", mark.from());
        Path backup = Paths.get(mark.backupFile());
        assertTrue(backup.toString(), Files.exists(backup) && backup.startsWith(folder.resolve("backups")));
        assertEquals("the backup holds the order's history", 1, events(backup, "order.canceled"));
        assertEquals(1, events(backup, "candle.opened"));
        assertEquals("components rebuilt from the new database", List.of(), orders());
        listed = Probe.shell(context, "trade:profile list");
        assertTrue(listed, listed.lines().anyMatch(l -> l.startsWith("*") && l.contains("live")));

        String back = Probe.shell(context, "trade:profile switch pax");
        assertTrue(back, back.startsWith("switched live -> pax"));
        assertEquals("the first database's orders are back", List.of(OrderState.CANCELED),
                orders().stream().map(OrderView::state).toList());
        assertEquals(1, Probe.service(context, EventStore.class).query(EventQuery.ofType(DbProfileSwitched.KIND.type())).size());
    }
}
