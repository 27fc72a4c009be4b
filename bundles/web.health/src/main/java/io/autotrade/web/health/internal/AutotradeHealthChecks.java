package io.autotrade.web.health.internal;

import io.autotrade.api.event.EventBusAdmin;
import io.autotrade.api.event.EventStore;
import io.autotrade.api.exchange.Exchange;
import io.autotrade.api.trading.KillSwitch;
import io.autotrade.api.trading.TradingStatus;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.felix.hc.api.HealthCheck;
import org.apache.felix.hc.api.Result;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;

/**
 * The runtime's Felix Health Checks (Apache Felix Health Checks: a {@link HealthCheck} service per check, named by
 * {@code hc.name}, selected by {@code hc.tags}), all tagged {@value #TAG}: one component per check.
 */
public final class AutotradeHealthChecks {
    /** The tag every autotrade check carries; {@code /system/health} runs the checks with it. */
    static final String TAG = "autotrade";
    /** Felix caches a check's result (2 s by default); ours are cheap, and a halt lifted must show at once. */
    static final String CACHE = HealthCheck.RESULT_CACHE_TTL_IN_MS + ":Long=250";

    private AutotradeHealthChecks() {
    }

    /** The event store answers and the journal takes commits. */
    @Component(service = HealthCheck.class, property = {HealthCheck.NAME + "=event store", HealthCheck.TAGS + "=" + TAG, CACHE,
            HealthCheck.TAGS + "=store"})
    public static class StoreCheck implements HealthCheck {
        private final EventStore store;
        private final EventBusAdmin bus;

        /**
         * @param store the event store
         * @param bus   the journal's fault
         */
        @Activate
        public StoreCheck(@Reference EventStore store, @Reference EventBusAdmin bus) {
            this.store = store;
            this.bus = bus;
        }

        @Override
        public Result execute() {
            return Checks.store(bus.journalFault(), store.location(), store.count());
        }
    }

    /** No lane of the bus is backing up; no dead letter waits. */
    @Component(service = HealthCheck.class, property = {HealthCheck.NAME + "=event bus back-pressure",
            HealthCheck.TAGS + "=" + TAG, CACHE, HealthCheck.TAGS + "=bus"})
    public static class BusCheck implements HealthCheck {
        private final EventBusAdmin bus;

        /** @param bus lane statistics */
        @Activate
        public BusCheck(@Reference EventBusAdmin bus) {
            this.bus = bus;
        }

        @Override
        public Result execute() {
            return Checks.bus(bus);
        }
    }

    /** Trading is not halted. */
    @Component(service = HealthCheck.class, property = {HealthCheck.NAME + "=trading halted", HealthCheck.TAGS + "=" + TAG, CACHE,
            HealthCheck.TAGS + "=trading"})
    public static class TradingCheck implements HealthCheck {
        private final TradingStatus status;
        private final KillSwitch killSwitch;

        /**
         * @param status     the trading state
         * @param killSwitch the halt
         */
        @Activate
        public TradingCheck(@Reference TradingStatus status, @Reference KillSwitch killSwitch) {
            this.status = status;
            this.killSwitch = killSwitch;
        }

        @Override
        public Result execute() {
            return Checks.trading(status.state(), killSwitch.haltReason());
        }
    }

    /** An exchange runs, is connected, and has request budget left. */
    @Component(service = HealthCheck.class, property = {HealthCheck.NAME + "=exchange connectivity and rate limits",
            HealthCheck.TAGS + "=" + TAG, CACHE, HealthCheck.TAGS + "=exchange"})
    public static class ExchangeCheck implements HealthCheck {
        @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC)
        private final List<Exchange> exchanges = new CopyOnWriteArrayList<>();

        @Override
        public Result execute() {
            return Checks.exchanges(Checks.named(exchanges), Instant.now());
        }
    }
}
