package io.autotrade.core.internal;

import io.autotrade.api.event.DomainEvent;
import io.autotrade.api.event.EventBus;
import io.autotrade.api.event.EventBusException;
import io.autotrade.api.event.Priority;
import java.time.Duration;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.TimeoutException;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.event.EventAdmin;
import org.osgi.service.log.Logger;
import org.osgi.service.log.LoggerFactory;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/**
 * The event bus: five priority lanes, each a bounded queue with its own worker, delivering through
 * EventAdmin's synchronous {@code sendEvent} on the lane's thread (OSGi Compendium 113.7.1), so a
 * lane's order is the delivery order and a slow handler delays only its own lane.
 */
@Component(immediate = true, service = EventBus.class)
@Designate(ocd = PriorityEventBus.Config.class)
public class PriorityEventBus implements EventBus {

    /** Configuration, PID {@code io.autotrade.core.internal.PriorityEventBus}. */
    @ObjectClassDefinition(name = "autotrade event bus", description = "Priority lanes over EventAdmin")
    public @interface Config {
        /** @return queue bound per lane, events */
        @AttributeDefinition(name = "Lane capacity", description = "Bound of each lane's queue, in events", min = "1")
        int lane_capacity() default 10_000;

        /** @return how long a publisher to the trading lane waits for room, ms */
        @AttributeDefinition(name = "Trading lane wait (ms)",
                description = "How long a publisher waits for room in a full CRITICAL_TRADING lane before it gets an exception; lower lanes reject at once",
                min = "0")
        long critical_offer_timeout_ms() default 5_000;

        /** @return how long stopping waits for queued events, ms */
        @AttributeDefinition(name = "Drain on stop (ms)", description = "How long stopping the bus lets each lane deliver what is queued", min = "0")
        long drain_timeout_ms() default 5_000;
    }

    private final EventAdmin eventAdmin;
    private final Logger logger;
    private final InFlight inFlight = new InFlight();
    private final Map<Priority, Lane> lanes = new EnumMap<>(Priority.class);
    private final long drainMillis;

    /**
     * @param eventAdmin    delivers to the handlers
     * @param loggerFactory for failure logs
     * @param config        lane sizes and timeouts
     */
    @Activate
    public PriorityEventBus(@Reference EventAdmin eventAdmin, @Reference LoggerFactory loggerFactory, Config config) {
        this.eventAdmin = eventAdmin;
        this.logger = loggerFactory.getLogger(PriorityEventBus.class);
        this.drainMillis = config.drain_timeout_ms();
        for (Priority priority : Priority.values()) {
            long wait = priority == Priority.CRITICAL_TRADING ? config.critical_offer_timeout_ms() : 0;
            lanes.put(priority, new Lane(priority, config.lane_capacity(), wait, this::deliver));
        }
        lanes.values().forEach(Lane::start);
    }

    @Deactivate
    void stop() throws InterruptedException {
        for (Lane lane : lanes.values()) {
            int left = lane.stop(drainMillis);
            if (left > 0) {
                logger.warn("lane {} stopped with {} undelivered events", lane.priority(), left);
            }
        }
    }

    @Override
    public void publish(DomainEvent<?> event) {
        Objects.requireNonNull(event, "event");
        Lane lane = lanes.get(event.priority());
        inFlight.begin();
        try {
            lane.offer(event);
        } catch (EventBusException e) {
            inFlight.end();
            logger.error(e.getMessage());
            throw e;
        }
    }

    private void deliver(DomainEvent<?> event) {
        try {
            eventAdmin.sendEvent(OsgiEvents.toOsgi(event));
        } catch (RuntimeException e) {
            logger.error("delivery of {} {} on {} failed", event.type(), event.eventId(), event.topic(), e);
            throw e;
        } finally {
            inFlight.end();
        }
    }

    @Override
    public void awaitQuiescence(Duration timeout) throws TimeoutException, InterruptedException {
        for (Lane lane : lanes.values()) {
            if (lane.isWorker(Thread.currentThread())) {
                throw new IllegalStateException("awaitQuiescence called from the " + lane.priority()
                        + " lane's own worker: it would wait for itself");
            }
        }
        inFlight.await(timeout);
    }

    /** @return counters of every lane, highest priority first */
    public List<LaneStats> stats() {
        return lanes.values().stream().map(Lane::stats).toList();
    }
}
