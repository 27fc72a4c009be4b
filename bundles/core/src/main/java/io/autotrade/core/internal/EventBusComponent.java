package io.autotrade.core.internal;

import io.autotrade.api.event.DeadLetter;
import io.autotrade.api.event.DeadLetterStore;
import io.autotrade.api.event.DomainEvent;
import io.autotrade.api.event.EventBus;
import io.autotrade.api.event.EventBusAdmin;
import io.autotrade.api.event.EventJournal;
import io.autotrade.api.event.EventProperties;
import io.autotrade.api.event.LaneStatistics;
import io.autotrade.api.event.Priority;
import io.autotrade.api.event.Topics;
import java.time.Duration;
import java.util.Collection;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeoutException;
import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;
import org.osgi.framework.Filter;
import org.osgi.framework.FrameworkUtil;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.framework.ServiceReference;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.event.EventConstants;
import org.osgi.service.event.EventHandler;
import org.osgi.service.log.Logger;
import org.osgi.service.log.LoggerFactory;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.osgi.util.tracker.ServiceTracker;
import org.osgi.util.tracker.ServiceTrackerCustomizer;

/**
 * The event bus component, PID {@value #PID}: five priority lanes delivering domain events to the
 * {@code EventHandler} whiteboard (OSGi Compendium R8, 113.4: {@code event.topics},
 * {@code event.filter}) for every handler that subscribes to an {@code autotrade/} topic. The lanes
 * live as long as the component: they start on activation and are drained and stopped, threads and
 * all, on deactivation (bundle stop).
 */
@Component(immediate = true, service = {EventBus.class, EventBusAdmin.class}, configurationPid = EventBusComponent.PID)
@Designate(ocd = EventBusComponent.Config.class)
public class EventBusComponent implements EventBus, EventBusAdmin {
    /** Configuration PID of the bus. */
    public static final String PID = "io.autotrade.core.bus";
    /**
     * Framework property: {@code true} groups a replay driver's journal commits (the {@code backtest} feature sets it;
     * paper and live trading commit every step).
     */
    public static final String DEFER_DRIVEN_COMMITS = "autotrade.bus.defer.driven.commits";

    /** Configuration, PID {@value EventBusComponent#PID}. */
    @ObjectClassDefinition(name = "autotrade event bus",
            description = "Priority lanes, handler retries, dead letters and the slow-handler watchdog")
    public @interface Config {
        /** @return queue bound of the CRITICAL_TRADING lane, events */
        @AttributeDefinition(name = "Trading lane capacity", min = "1") int critical_capacity() default 65_536;

        /** @return workers of the CRITICAL_TRADING lane */
        @AttributeDefinition(name = "Trading lane workers", description = "More than one runs different aggregates in parallel; one aggregate is always in order", min = "1")
        int critical_workers() default 1;

        /** @return queue bound of the HIGH_SAFETY lane, events */
        @AttributeDefinition(name = "Safety lane capacity", min = "1") int high_capacity() default 16_384;

        /** @return workers of the HIGH_SAFETY lane */
        @AttributeDefinition(name = "Safety lane workers", min = "1") int high_workers() default 1;

        /** @return queue bound of the MEDIUM_CONFIG lane, events */
        @AttributeDefinition(name = "Config lane capacity", min = "1") int medium_capacity() default 16_384;

        /** @return workers of the MEDIUM_CONFIG lane */
        @AttributeDefinition(name = "Config lane workers", min = "1") int medium_workers() default 1;

        /** @return queue bound of the LOW_LOGGING lane, events */
        @AttributeDefinition(name = "Logging lane capacity", min = "1") int low_capacity() default 65_536;

        /** @return workers of the LOW_LOGGING lane */
        @AttributeDefinition(name = "Logging lane workers", min = "1") int low_workers() default 1;

        /** @return queue bound of the LOWEST_CLEANUP lane, events */
        @AttributeDefinition(name = "Cleanup lane capacity", min = "1") int lowest_capacity() default 16_384;

        /** @return workers of the LOWEST_CLEANUP lane */
        @AttributeDefinition(name = "Cleanup lane workers", min = "1") int lowest_workers() default 1;

        /** @return how long a publisher to the full trading lane waits, ms */
        @AttributeDefinition(name = "Trading lane wait (ms)",
                description = "How long a publisher waits for room in a full CRITICAL_TRADING lane before it gets an exception; lower lanes reject at once",
                min = "0")
        long critical_offer_timeout_ms() default 5_000;

        /** @return how long stopping waits for queued work, ms */
        @AttributeDefinition(name = "Drain on stop (ms)", description = "How long stopping the bus lets queued events and retries finish; the rest is dead-lettered", min = "0")
        long drain_timeout_ms() default 5_000;

        /** @return handler calls in all, first included */
        @AttributeDefinition(name = "Retry: attempts", description = "Calls of a failing handler per event, first included, before the event is dead-lettered", min = "1")
        int retry_max_attempts() default 3;

        /** @return wait before the second call, ms */
        @AttributeDefinition(name = "Retry: base delay (ms)", min = "0") long retry_base_ms() default 100;

        /** @return backoff growth per attempt */
        @AttributeDefinition(name = "Retry: factor", min = "1") double retry_factor() default 2.0;

        /** @return longest wait between calls, ms */
        @AttributeDefinition(name = "Retry: cap (ms)", min = "0") long retry_cap_ms() default 10_000;

        /** @return random share of each wait */
        @AttributeDefinition(name = "Retry: jitter", description = "Share of each wait that is random, 0..1", min = "0", max = "1")
        double retry_jitter() default 0.5;

        /** @return the watchdog's threshold, ms */
        @AttributeDefinition(name = "Slow handler threshold (ms)", description = "A handler call longer than this is logged with the handler and event", min = "1")
        long slow_call_ms() default 500;

        /** @return topic-to-lane routes */
        /** @return while the journal refuses commits, how often it is probed, ms */
        @AttributeDefinition(name = "Journal probe (ms)", description = "While the event journal refuses commits (full disk, read-only file, lock held elsewhere) trading is halted; this is how often a test write checks whether the fault has cleared", min = "1")
        long journal_probe_ms() default 1_000;

        @AttributeDefinition(name = "Lane routes",
                description = "topic-pattern=LANE; pattern is a topic, a prefix ending in /* or *; LANE a lane name or 1..5. An event published with a lane other than its kind's default keeps it.")
        String[] lane_routes() default {
            "autotrade/candle/*=CRITICAL_TRADING", "autotrade/market/*=CRITICAL_TRADING", "autotrade/signal/*=CRITICAL_TRADING",
            "autotrade/order/*=CRITICAL_TRADING", "autotrade/position/*=CRITICAL_TRADING",
            "autotrade/protection/*=CRITICAL_TRADING", "autotrade/risk/*=HIGH_SAFETY", "autotrade/trading/*=HIGH_SAFETY", "autotrade/system/*=HIGH_SAFETY",
            "autotrade/config/*=MEDIUM_CONFIG", "autotrade/db/*=MEDIUM_CONFIG", "autotrade/log/*=LOW_LOGGING",
            "autotrade/cleanup/*=LOWEST_CLEANUP"};
    }

    private final Logger logger;
    private final LaneBus bus;
    private final ServiceTracker<EventHandler, Tracked> tracker;
    /** The handlers the whiteboard has taken up, with or without a subscription; the monitor {@link #tracks} waits on. */
    private final java.util.Set<ServiceReference<?>> taken = new java.util.HashSet<>();

    /**
     * @param context       for tracking the handler whiteboard
     * @param deadLetters   where handlers' failed events go
     * @param journal       the write-ahead journal durable events are committed to before dispatch
     * @param loggerFactory for failures, retries and slow calls
     * @param config        lanes, retries, watchdog, routes
     * @throws IllegalArgumentException naming the setting that is invalid
     */
    @Activate
    public EventBusComponent(BundleContext context, @Reference DeadLetterStore deadLetters,
            @Reference EventJournal journal, @Reference LoggerFactory loggerFactory, Config config) {
        this.logger = loggerFactory.getLogger(EventBusComponent.class);
        this.bus = new LaneBus(settings(config), deadLetters, journal, logger);
        bus.deferDrivenCommits(Boolean.parseBoolean(context.getProperty(DEFER_DRIVEN_COMMITS)));
        bus.start();
        this.tracker = new ServiceTracker<>(context, EventHandler.class, new Whiteboard(context));
        tracker.open();
    }

    /**
     * Applies routes, retry policy, watchdog threshold and the trading lane's wait at once; lane
     * capacities and worker counts take effect when the bus is next activated.
     */
    @Modified
    void modified(Config config) {
        LaneBus.Settings next = settings(config);
        LaneBus.Settings now = bus.settings();
        if (!next.capacity().equals(now.capacity()) || !next.workers().equals(now.workers())) {
            logger.warn("lane capacities and workers changed; they take effect when the core bundle restarts");
        }
        bus.reconfigure(next);
    }

    @Deactivate
    void stop() throws InterruptedException {
        bus.stop();
        tracker.close();
    }

    static LaneBus.Settings settings(Config c) {
        Map<Priority, Integer> capacity = new EnumMap<>(Priority.class);
        Map<Priority, Integer> workers = new EnumMap<>(Priority.class);
        capacity.put(Priority.CRITICAL_TRADING, c.critical_capacity());
        workers.put(Priority.CRITICAL_TRADING, c.critical_workers());
        capacity.put(Priority.HIGH_SAFETY, c.high_capacity());
        workers.put(Priority.HIGH_SAFETY, c.high_workers());
        capacity.put(Priority.MEDIUM_CONFIG, c.medium_capacity());
        workers.put(Priority.MEDIUM_CONFIG, c.medium_workers());
        capacity.put(Priority.LOW_LOGGING, c.low_capacity());
        workers.put(Priority.LOW_LOGGING, c.low_workers());
        capacity.put(Priority.LOWEST_CLEANUP, c.lowest_capacity());
        workers.put(Priority.LOWEST_CLEANUP, c.lowest_workers());
        for (Priority p : Priority.values()) {
            if (capacity.get(p) < 1 || workers.get(p) < 1) {
                throw new IllegalArgumentException("lane " + p + ": capacity and workers must be >= 1, were "
                        + capacity.get(p) + " and " + workers.get(p));
            }
        }
        return new LaneBus.Settings(capacity, workers, c.critical_offer_timeout_ms(), c.drain_timeout_ms(),
                new RetryPolicy(c.retry_max_attempts(), c.retry_base_ms(), c.retry_factor(), c.retry_cap_ms(),
                        c.retry_jitter()),
                c.slow_call_ms(), new Routes(c.lane_routes()), c.journal_probe_ms());
    }

    /** One tracked EventHandler service: its current subscription (null if it reaches no autotrade topic). */
    private static final class Tracked {
        private final BundleContext context;
        private final ServiceReference<EventHandler> reference;
        private EventHandler service;
        volatile Subscription subscription;

        Tracked(BundleContext context, ServiceReference<EventHandler> reference) {
            this.context = context;
            this.reference = reference;
        }

        synchronized EventHandler service() {
            if (service == null) {
                service = context.getService(reference);
            }
            return service;
        }

        synchronized void release() {
            if (service != null) {
                context.ungetService(reference);
                service = null;
            }
        }
    }

    /** Follows the EventHandler whiteboard; handlers that subscribe to autotrade topics get subscriptions. */
    private final class Whiteboard implements ServiceTrackerCustomizer<EventHandler, Tracked> {
        private final BundleContext context;

        Whiteboard(BundleContext context) {
            this.context = context;
        }

        @Override
        public Tracked addingService(ServiceReference<EventHandler> reference) {
            Tracked tracked = new Tracked(context, reference);
            tracked.subscription = subscription(tracked);
            if (tracked.subscription != null) {
                bus.subscribe(tracked.subscription);
            }
            taken(reference, true);
            return tracked;
        }

        @Override
        public void modifiedService(ServiceReference<EventHandler> reference, Tracked tracked) {
            Subscription old = tracked.subscription;
            if (old != null) {
                bus.unsubscribe(old);
            }
            tracked.subscription = subscription(tracked);
            if (tracked.subscription != null) {
                bus.subscribe(tracked.subscription);
            }
        }

        @Override
        public void removedService(ServiceReference<EventHandler> reference, Tracked tracked) {
            taken(reference, false);
            if (tracked.subscription != null) {
                bus.unsubscribe(tracked.subscription);
            }
            tracked.release();
        }

        private Subscription subscription(Tracked tracked) {
            ServiceReference<EventHandler> reference = tracked.reference;
            String[] topics = strings(reference.getProperty(EventConstants.EVENT_TOPIC));
            String id = handlerId(reference);
            Filter filter = null;
            Object filterText = reference.getProperty(EventConstants.EVENT_FILTER);
            if (filterText instanceof String text && !text.isBlank()) {
                try {
                    filter = FrameworkUtil.createFilter(text);
                } catch (InvalidSyntaxException e) {
                    logger.error("event handler {} has an invalid event.filter '{}' ({}); it gets no autotrade events",
                            id, text, e.getMessage());
                    return null;
                }
            }
            Subscription s = new Subscription(id, topics, filter, tracked::service);
            if (!s.reaches(Topics.PREFIX)) {
                return null;
            }
            Subscription clash = bus.handlers().byId(id);
            if (clash != null && clash != tracked.subscription) {
                String unique = id + "#" + reference.getProperty(Constants.SERVICE_ID);
                logger.warn("two event handlers share the id {}; this one is {} (set {} to keep dead letters stable)",
                        id, unique, EventProperties.HANDLER_ID);
                s = new Subscription(unique, topics, filter, tracked::service);
            }
            return s;
        }
    }

    /**
     * The stable id of a handler: {@value EventProperties#HANDLER_ID}, else the configuration PID of
     * a component instance made from a factory configuration, else {@code component.name}, else
     * {@code service.pid}, else bundle symbolic name and service id.
     */
    static String handlerId(ServiceReference<?> reference) {
        Object explicit = reference.getProperty(EventProperties.HANDLER_ID);
        if (explicit instanceof String s && !s.isBlank()) {
            return s;
        }
        Object component = reference.getProperty("component.name");
        Object pid = reference.getProperty(Constants.SERVICE_PID);
        if (component instanceof String name) {
            return pid instanceof String p && !p.equals(name) ? p : name;
        }
        if (pid instanceof String p) {
            return p;
        }
        return reference.getBundle().getSymbolicName() + "#" + reference.getProperty(Constants.SERVICE_ID);
    }

    private static String[] strings(Object value) {
        return switch (value) {
            case String s -> new String[] {s};
            case String[] a -> a;
            case Collection<?> c -> c.stream().map(String::valueOf).toArray(String[]::new);
            case null, default -> new String[0];
        };
    }

    @Override
    public void publish(DomainEvent<?> event) {
        bus.publish(event);
    }

    @Override
    public void publishAll(List<DomainEvent<?>> events) {
        bus.publishAll(events);
    }

    @Override
    public void awaitQuiescence(Duration timeout) throws TimeoutException, InterruptedException {
        bus.awaitQuiescence(timeout);
    }

    @Override
    public void drive(Runnable work) {
        bus.drive(work);
    }

    @Override
    public void publishReplayed(DomainEvent<?> event) {
        bus.publishReplayed(event);
    }

    @Override
    public void boundary(java.util.function.Supplier<DomainEvent<?>> checkpoint) {
        bus.boundary(checkpoint);
    }

    @Override
    public boolean tracks(ServiceReference<?> handler, Duration wait) throws InterruptedException {
        long until = System.nanoTime() + wait.toNanos();
        synchronized (taken) {
            while (!taken.contains(handler)) {
                long left = until - System.nanoTime();
                if (left <= 0) {
                    return false;
                }
                java.util.concurrent.TimeUnit.NANOSECONDS.timedWait(taken, left);
            }
            return true;
        }
    }

    /** Notes a handler the whiteboard took up (or let go), and wakes whoever waits for it ({@link #tracks}). */
    private void taken(ServiceReference<EventHandler> reference, boolean in) {
        synchronized (taken) {
            if (in) {
                taken.add(reference);
                taken.notifyAll();
            } else {
                taken.remove(reference);
            }
        }
    }

    @Override
    public String journalFault() {
        return bus.journalFault();
    }

    @Override
    public io.autotrade.api.event.LatencySummary journalCommits() {
        return bus.journalCommits();
    }

    @Override
    public List<LaneStatistics> statistics() {
        return bus.statistics();
    }

    @Override
    public List<DeadLetter> deadLetters() {
        return bus.deadLetters();
    }

    @Override
    public ReplayOutcome replay(long id) throws InterruptedException {
        return bus.replay(id);
    }

    @Override
    public boolean discard(long id) {
        return bus.discard(id);
    }

    @Override
    public int forget(String handlerId) {
        return bus.forget(handlerId);
    }
}
