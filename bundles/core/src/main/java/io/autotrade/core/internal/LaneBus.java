package io.autotrade.core.internal;

import io.autotrade.api.event.CriticalFailure;
import io.autotrade.api.event.DeadLetter;
import io.autotrade.api.event.DeadLetterStore;
import io.autotrade.api.event.DomainEvent;
import io.autotrade.api.event.EventBus;
import io.autotrade.api.event.EventBusAdmin.ReplayOutcome;
import io.autotrade.api.event.EventBusException;
import io.autotrade.api.event.EventJournal;
import io.autotrade.api.event.EventStoreException;
import io.autotrade.api.event.LaneStatistics;
import io.autotrade.api.event.Priority;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import org.osgi.framework.Filter;
import org.osgi.framework.FrameworkUtil;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.service.log.Logger;

/**
 * The bus engine, free of OSGi lifecycle: lanes, workers, retries, dead letters, the watchdog and
 * quiescence. {@link EventBusComponent} feeds it configuration and the whiteboard handlers.
 *
 * <p>Threads: per lane its workers ({@code autotrade-bus-<LANE>-<n>}), one retry timer
 * ({@code autotrade-bus-retry}) and one watchdog ({@code autotrade-bus-watchdog}); all of them end
 * in {@link #stop()}.
 *
 * <p>Why it is longer than 400 lines: a delivery's life (publish, journal commit, queue, call, retry,
 * dead letter, drain on stop) runs over the same lanes, in-flight count and registration lock, and each
 * step is short; what stands apart is elsewhere ({@link JournalFaults}, {@link Recovery},
 * {@link DeadLetterReplay}, {@link Worker}, {@link Lane}).
 */
final class LaneBus implements EventBus {

    /**
     * Everything configurable about the bus.
     *
     * @param capacity                   queue bound per lane, events
     * @param workers                    worker threads per lane
     * @param criticalOfferTimeoutMillis how long a publisher to the full trading lane waits, ms
     * @param drainTimeoutMillis         how long stopping waits for queued work, ms
     * @param retry                      handler retry policy
     * @param slowCallMillis             the watchdog's threshold, ms
     * @param routes                     topic-to-lane mapping
     * @param journalProbeMillis         while the journal fails, how often it is probed for recovery, ms
     */
    record Settings(Map<Priority, Integer> capacity, Map<Priority, Integer> workers, long criticalOfferTimeoutMillis,
            long drainTimeoutMillis, RetryPolicy retry, long slowCallMillis, Routes routes, long journalProbeMillis) {
    }

    /** The source of the CRITICAL_FAILURE raised when the journal fails. */
    static final String JOURNAL_SOURCE = "core.journal";

    private final Handlers handlers = new Handlers();
    private final DeadLetterStore deadLetters;
    private final EventJournal journal;
    /** Every handler the journal knows, present or not, by id: absent ones still get pending deliveries. */
    private final Map<String, Subscription> known = new ConcurrentHashMap<>();
    private final Logger logger;
    private final Lane[] lanes = new Lane[Priority.values().length];
    private final InFlight inFlight = new InFlight();
    /** Whether the driver's commits are deferred and grouped by the journal ({@link EventJournal#commitDeferred}). */
    private volatile boolean deferDrivenCommits;
    /** Deliveries the driver ended without outputs, to record with its next commit (driver thread only). */
    private final List<EventJournal.Delivery> deferredDone = new ArrayList<>();
    /** The thread delivering every event while it {@link #drive}s the bus, or null. */
    private final java.util.concurrent.atomic.AtomicReference<Thread> driver = new java.util.concurrent.atomic.AtomicReference<>();
    /** The driver's delivery-context slot ({@link DeliveryContext#slot()}), set as it starts driving (driver thread only). */
    private DeliveryContext[] driverSlot;
    private final ScheduledThreadPoolExecutor timer;
    private final Map<Worker.Retry, Worker> pendingRetries = new ConcurrentHashMap<>();
    private final Thread watchdog;
    private volatile Settings settings;
    private volatile long slowCallNanos;
    private volatile boolean open;
    private final JournalFaults faults;
    private final Recovery recovery;
    private final DeadLetterReplay replays;
    /**
     * Orders a handler's registration (add, then read its pending deliveries) against durable publishes
     * (choose recipients, then commit): a publish either commits before the registration, with a pending
     * row the registration's read finds, or chooses its recipients after it, with the handler among them.
     * Without it an event could be committed pending for a handler whose recovery had already read.
     */
    private final ReentrantReadWriteLock registration = new ReentrantReadWriteLock();

    /**
     * @param settings    lanes, retries, watchdog, routes
     * @param deadLetters where failed deliveries go
     * @param logger      for failures, retries and slow calls
     */
    LaneBus(Settings settings, DeadLetterStore deadLetters, Logger logger) {
        this(settings, deadLetters, null, logger);
    }

    /**
     * @param settings    lanes, retries, watchdog, routes
     * @param deadLetters where failed deliveries go
     * @param journal     the write-ahead journal for durable events, or null for a bus in memory only
     * @param logger      for failures, retries and slow calls
     */
    LaneBus(Settings settings, DeadLetterStore deadLetters, EventJournal journal, Logger logger) {
        this.deadLetters = deadLetters;
        this.journal = journal;
        this.logger = logger;
        for (Priority p : Priority.values()) {
            long wait = p == Priority.CRITICAL_TRADING ? settings.criticalOfferTimeoutMillis() : 0;
            lanes[p.ordinal()] = new Lane(p, settings.capacity().get(p), settings.workers().get(p), wait, this);
        }
        this.timer = new ScheduledThreadPoolExecutor(1, r -> {
            Thread t = new Thread(r, "autotrade-bus-retry");
            t.setDaemon(true);
            return t;
        });
        this.timer.setRemoveOnCancelPolicy(true);
        this.faults = new JournalFaults(journal, timer, logger, () -> this.settings.journalProbeMillis(), () -> open,
                raised -> dispatch(new Envelope(raised, System.nanoTime())));
        this.replays = new DeadLetterReplay(deadLetters, handlers, inFlight, lanes, logger);
        this.recovery = new Recovery(journal, logger, envelope -> dispatch(envelope, true), this::publish);
        this.watchdog = new Thread(this::watch, "autotrade-bus-watchdog");
        this.watchdog.setDaemon(true);
        reconfigure(settings);
    }

    /** Starts the workers and the watchdog; the bus accepts events from now on. */
    void start() {
        if (journal != null) {
            for (EventJournal.DurableSubscription d : journal.subscriptions()) {
                try {
                    Filter filter = d.filter() == null ? null : FrameworkUtil.createFilter(d.filter());
                    known.put(d.handlerId(), new Subscription(d.handlerId(), d.topics().toArray(String[]::new), filter,
                            () -> null));
                } catch (InvalidSyntaxException e) {
                    logger.error("the journal's subscription of {} has a bad filter {}: {}", d.handlerId(), d.filter(),
                            e.getMessage());
                }
            }
        }
        for (Lane lane : lanes) {
            lane.start();
        }
        watchdog.start();
        open = true;
    }

    /**
     * Applies the settings that can change while running: routes, retry policy, watchdog threshold
     * and the trading lane's wait. Lane capacities and worker counts are fixed for the bus's life.
     */
    void reconfigure(Settings next) {
        this.settings = next;
        this.slowCallNanos = TimeUnit.MILLISECONDS.toNanos(next.slowCallMillis());
        lanes[Priority.CRITICAL_TRADING.ordinal()].offerTimeoutMillis(next.criticalOfferTimeoutMillis());
    }

    /** @return {@code false} once stopping has given up draining: workers then leave the rest to be dead-lettered */
    boolean isOpen() {
        return open;
    }

    Settings settings() {
        return settings;
    }

    Handlers handlers() {
        return handlers;
    }

    RetryPolicy retryPolicy() {
        return settings.retry();
    }

    long slowCallNanos() {
        return slowCallNanos;
    }

    void subscribe(Subscription subscription) {
        if (journal == null) {
            handlers.add(subscription);
            return;
        }
        registration.writeLock().lock();
        try {
            handlers.add(subscription);
            known.put(subscription.id(), subscription);
            try {
                journal.remember(subscription.durable());
            } catch (EventStoreException e) {
                logger.error("cannot remember the subscription of {}: {}", subscription.id(), e.getMessage());
            }
            if (open) {
                recovery.recover(subscription);
            }
        } finally {
            registration.writeLock().unlock();
        }
    }

    /**
     * Forgets a handler that will not come back: its journaled subscription and pending deliveries.
     *
     * @return the pending deliveries dropped
     */
    public int forget(String handlerId) {
        known.remove(handlerId);
        return journal == null ? 0 : journal.forget(handlerId);
    }

    /** @return {@code true} if durable events are journaled before dispatch */
    boolean journaling() {
        return journal != null;
    }

    void unsubscribe(Subscription subscription) {
        handlers.remove(subscription);
    }

    @Override
    public void publish(DomainEvent<?> event) {
        if (event == null) {
            throw new NullPointerException("event");
        }
        if (journal != null) {
            DeliveryContext context = DeliveryContext.current();
            if (context != null) {
                context.publish(event); // journaled with the handler's record when its call succeeds
                return;
            }
            if (event.kind().durable()) {
                publishJournaled(List.of(event), null);
                return;
            }
        }
        dispatch(new Envelope(event, System.nanoTime()));
    }

    /**
     * Delivers a replay's market data without journaling it while this thread drives a bus whose driven commits are
     * grouped (a backtest; the replay journals checkpoints instead, see {@link #boundary}); otherwise publishes it.
     */
    @Override
    public void publishReplayed(DomainEvent<?> event) {
        if (event == null) {
            throw new NullPointerException("event");
        }
        if (journal != null && deferDrivenCommits && isDriver(Thread.currentThread()) && driverSlot[0] == null) {
            dispatch(new Envelope(event, System.nanoTime(), false));
            return;
        }
        publish(event);
    }

    /**
     * On the driver of a bus whose driven commits are grouped: hands the journal the deliveries ended without outputs
     * so far, then marks the point at which the group may be committed, with its checkpoint.
     */
    @Override
    public void boundary(java.util.function.Supplier<DomainEvent<?>> checkpoint) {
        if (journal == null || !deferDrivenCommits || !isDriver(Thread.currentThread())) {
            return;
        }
        if (!deferredDone.isEmpty()) {
            try {
                journal.commitDeferred(new EventJournal.Batch(List.of(), Map.of(), doneWith(null)));
            } catch (EventStoreException e) {
                faults.failed(e);
                throw new EventBusException("the journal did not take the finished deliveries: " + e.getMessage(), e);
            }
        }
        journal.boundary(checkpoint);
    }

    /**
     * Publishes many events with one journal commit (and one wait for it), in order.
     *
     * @param events events to publish
     * @throws EventBusException if the journal cannot commit them (then none is published) or a lane is full
     */
    @Override
    public void publishAll(List<DomainEvent<?>> events) {
        if (journal == null || DeliveryContext.current() != null) {
            events.forEach(this::publish);
            return;
        }
        publishJournaled(events, null);
    }

    /**
     * Journals the durable events (with a pending delivery per matching handler, and the finished
     * delivery if any) in one commit, then dispatches what the journal took; events it already held
     * are not dispatched again.
     */
    private void publishJournaled(List<DomainEvent<?>> events, EventJournal.Delivery done) {
        if (!open) {
            throw new EventBusException("event bus is stopped: " + events.size() + " events were not published");
        }
        List<Envelope> committed;
        registration.readLock().lock();
        try {
            committed = commit(events, done);
        } finally {
            registration.readLock().unlock();
        }
        committed.forEach(this::dispatch); // outside the lock: a full lane may make this wait
    }

    /** Chooses the recipients and commits; @return the envelopes to dispatch: what the journal took, and non-durable events */
    private List<Envelope> commit(List<DomainEvent<?>> events, EventJournal.Delivery done) {
        List<DomainEvent<?>> durable = new ArrayList<>(events.size());
        Map<UUID, List<String>> recipientIds = new java.util.HashMap<>();
        List<Envelope> envelopes = new ArrayList<>(events.size());
        for (DomainEvent<?> event : events) {
            Envelope envelope = new Envelope(event, System.nanoTime());
            envelopes.add(envelope);
            if (!event.kind().durable()) {
                continue;
            }
            envelope.recipients = java.util.Arrays.stream(handlers.forTopic(event.topic()))
                    .filter(s -> s.accepts(envelope.osgi())).toArray(Subscription[]::new);
            List<String> ids = new ArrayList<>(java.util.Arrays.stream(envelope.recipients).map(Subscription::id).toList());
            for (Subscription away : known.values()) {
                if (!handlers.has(away.id()) && away.subscribes(event.topic()) && away.accepts(envelope.osgi())) {
                    ids.add(away.id()); // pending until it comes back
                }
            }
            durable.add(event);
            recipientIds.put(event.eventId(), ids);
        }
        boolean[] appended;
        try {
            EventJournal.Batch batch = new EventJournal.Batch(durable, recipientIds, doneWith(done));
            if (deferDrivenCommits && isDriver(Thread.currentThread())) {
                appended = journal.commitDeferred(batch); // grouped: no transaction of its own to time
            } else {
                long started = System.nanoTime();
                appended = journal.commit(batch);
                recordCommit(System.nanoTime() - started);
            }
        } catch (EventStoreException e) {
            String message = "the journal did not commit " + events.size() + " event(s) (" + events.get(0).type()
                    + (events.size() > 1 ? ", ..." : "") + "): " + e.getMessage();
            logger.error(message);
            faults.failed(e);
            throw new EventBusException(message, e);
        }
        faults.committed();
        List<Envelope> toDispatch = new ArrayList<>(envelopes.size());
        int next = 0;
        for (Envelope envelope : envelopes) {
            if (!envelope.event.kind().durable() || appended[next++]) {
                toDispatch.add(envelope);
            }
        }
        return toDispatch;
    }

    /**
     * @return the deliveries to record as done with the commit: on the driver's thread first those it deferred
     *         (in the order they ended), then {@code done}
     */
    private List<EventJournal.Delivery> doneWith(EventJournal.Delivery done) {
        if (deferredDone.isEmpty() || !isDriver(Thread.currentThread())) {
            return done == null ? List.of() : List.of(done);
        }
        List<EventJournal.Delivery> all = new ArrayList<>(deferredDone);
        deferredDone.clear();
        if (done != null) {
            all.add(done);
        }
        return all;
    }

    /** Records what the driver deferred (at the end of its drive): nothing is left unrecorded. */
    private void flushDeferredDone() {
        if (!deferredDone.isEmpty()) {
            journal.commitLater(new ArrayList<>(deferredDone));
            deferredDone.clear();
        }
    }

    /** @return why the journal refuses commits now, or null */
    public String journalFault() {
        return faults.fault();
    }

    /** Queues the envelope in its lane, counted in flight until every delivery of it has ended. */
    private void dispatch(Envelope envelope) {
        dispatch(envelope, false);
    }

    /** @param beyondBound redelivered journal work: queued even past the lane's bound (see {@link Lane#enqueue(Envelope, boolean)}) */
    private void dispatch(Envelope envelope, boolean beyondBound) {
        DomainEvent<?> event = envelope.event;
        Lane lane = lanes[settings.routes().laneOf(event).ordinal()];
        if (!open) {
            lane.rejected.increment();
            String message = "event bus is stopped: " + event.type() + " " + event.eventId() + " was not published";
            logger.error(message);
            throw new EventBusException(message);
        }
        inFlight.begin();
        try {
            lane.enqueue(envelope, beyondBound);
        } catch (EventBusException e) {
            inFlight.end();
            logger.error(e.getMessage());
            throw e;
        }
    }

    @Override
    public void awaitQuiescence(Duration timeout) throws TimeoutException, InterruptedException {
        for (Lane lane : lanes) {
            if (lane.isWorker(Thread.currentThread())) {
                throw new IllegalStateException("awaitQuiescence called from a " + lane.priority
                        + " lane worker: it would wait for itself");
            }
        }
        if (isDriver(Thread.currentThread())) {
            deliverUntilQuiet(timeout);
            return;
        }
        inFlight.await(timeout);
    }

    /**
     * @param defer whether a driver's commits are deferred and grouped by the journal ({@link EventJournal#commitDeferred}):
     *              one transaction per few thousand events of a replay instead of one per step; a crash loses the
     *              group not yet committed whole (a backtest is resumed from the journal's last candle)
     */
    void deferDrivenCommits(boolean defer) {
        this.deferDrivenCommits = defer;
    }

    /** @return whether {@code thread} drives the bus now ({@link #drive}) */
    boolean isDriver(Thread thread) {
        return driver.get() == thread;
    }

    /**
     * Runs the work with this thread as the only deliverer: every lane worker pauses (it finishes the item in hand
     * first) and {@link #awaitQuiescence} on this thread delivers what is queued, lane by lane from the trading
     * lane down, until nothing is in flight. The workers resume when the work ends, with whatever is still queued.
     */
    @Override
    public void drive(Runnable work) {
        Thread me = Thread.currentThread();
        for (Lane lane : lanes) {
            if (lane.isWorker(me)) {
                throw new IllegalStateException("drive called from a " + lane.priority + " lane worker");
            }
        }
        if (driver.get() == me) {
            work.run(); // already driving
            return;
        }
        if (!driver.compareAndSet(null, me)) {
            throw new EventBusException("the event bus is driven by thread " + driver.get().getName() + " already");
        }
        driverSlot = DeliveryContext.slot();
        try {
            for (Lane lane : lanes) {
                for (Worker w : lane.workers()) {
                    w.pause();
                }
            }
            work.run();
        } finally {
            try {
                if (journal != null) {
                    flushDeferredDone();
                    journal.flushDeferred();
                }
            } finally { // a journal that fails here still gives the workers back their items
                for (Lane lane : lanes) {
                    for (Worker w : lane.workers()) {
                        w.resume();
                    }
                }
                driver.set(null);
            }
        }
    }

    /** The driver's wait: delivers every queued item itself until nothing is in flight (a retry may still be on the timer). */
    private void deliverUntilQuiet(Duration timeout) throws TimeoutException, InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            boolean delivered = false;
            for (Lane lane : lanes) {
                for (Worker w : lane.workers()) {
                    delivered |= w.drainDriven(driverSlot);
                }
            }
            if (delivered) {
                continue;
            }
            if (inFlight.count() == 0) {
                return;
            }
            if (System.nanoTime() - deadline > 0) {
                throw new TimeoutException(inFlight.count() + " events still in flight after " + timeout.toMillis() + " ms");
            }
            java.util.concurrent.locks.LockSupport.parkNanos(20_000); // a retry on the timer, another thread's commit
            if (Thread.interrupted()) {
                throw new InterruptedException("interrupted while delivering as the bus's driver");
            }
        }
    }

    /**
     * A handler call succeeded on a worker: journals what it published together with the record that it
     * handled the event, then dispatches that. A handler that published nothing is recorded without
     * waiting. While the journal fails the commit is retried (the handler already acted and must not
     * run again), holding this worker; if the bus stops meanwhile, the delivery stays pending and is
     * redelivered on the next start.
     */
    void handled(Worker worker, DeliveryContext context) {
        DomainEvent<?> event = context.envelope.event;
        EventJournal.Delivery done = context.envelope.journaled
                ? new EventJournal.Delivery(event.eventId(), context.subscription.id()) : null;
        if (context.outputs().isEmpty()) {
            if (done != null && isDriver(Thread.currentThread())) {
                deferredDone.add(done); // recorded with the driver's next commit, in order, with no commit of its own
            } else if (done != null) {
                journal.commitLater(List.of(done));
            }
            return;
        }
        long backoff = 50;
        while (true) {
            try {
                publishJournaled(context.outputs(), done);
                return;
            } catch (EventBusException e) {
                if (!open || !(e.getCause() instanceof EventStoreException)) {
                    logger.error("outputs of handler {} for {} {} were not dispatched: {}", context.subscription.id(),
                            event.type(), event.eventId(), e.getMessage());
                    return;
                }
                try {
                    Thread.sleep(backoff);
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    return;
                }
                backoff = Math.min(backoff * 2, 5_000);
            }
        }
    }

    /** One handler delivery of the envelope ended (handled or dead-lettered). */
    void finished(Envelope envelope) {
        if (--envelope.pending == 0) {
            inFlight.end();
        }
    }

    void scheduleRetry(Worker worker, Worker.Retry retry, Throwable failure) {
        long delay = retryPolicy().delayMillis(retry.attempt() - 1);
        DomainEvent<?> event = retry.envelope().event;
        logger.warn("handler {} failed on {} {} (aggregate {}), attempt {} of {}: {}; retrying in {} ms",
                retry.subscription().id(), event.type(), event.eventId(), event.aggregateId(), retry.attempt() - 1,
                retryPolicy().maxAttempts(), Failures.error(failure), delay);
        pendingRetries.put(retry, worker);
        try {
            timer.schedule(() -> {
                if (pendingRetries.remove(retry) != null) {
                    worker.submit(retry);
                }
            }, delay, TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException stopping) {
            // the bus is stopping: the retry stays in pendingRetries and is dead-lettered by stop()
        }
    }

    /**
     * Writes a dead letter for one (event, handler) pair and raises a {@code CRITICAL_FAILURE}. A
     * letter that cannot be written is logged with the whole event, so it is still not silent.
     */
    void deadLetter(Lane lane, Envelope envelope, String handlerId, int attempts, Throwable failure) {
        DomainEvent<?> event = envelope.event;
        DeadLetter letter = new DeadLetter(0, event, handlerId, lane.priority, attempts, Failures.error(failure),
                Failures.stackSummary(failure), Instant.now());
        long id = 0;
        try {
            id = deadLetters.add(letter).id();
            if (journal != null && envelope.journaled) {
                journal.abandon(new EventJournal.Delivery(event.eventId(), handlerId)); // the letter owns it now
            }
        } catch (RuntimeException storeFailure) {
            logger.error("could not store the dead letter of handler {} for {}: {}", handlerId, event, storeFailure);
        }
        lane.deadLettered.increment();
        logger.error("handler {} gave up on {} {} (aggregate {}) after {} attempts: {}; dead letter #{}", handlerId,
                event.type(), event.eventId(), event.aggregateId(), attempts, letter.lastError(), id);
        if (open && !(event.payload() instanceof CriticalFailure)) {
            CriticalFailure payload = new CriticalFailure(handlerId, event.eventId(), event.type(), attempts,
                    letter.lastError(), id);
            try {
                publish(DomainEvent.causedBy(event, payload, Instant.now()));
            } catch (EventBusException e) {
                logger.error("could not raise CRITICAL_FAILURE for dead letter #{}: {}", id, e.getMessage());
            }
        }
    }

    void slowCall(Lane lane, Subscription subscription, Envelope envelope, long nanos, boolean finished) {
        if (subscription == null || envelope == null) {
            return;
        }
        logger.warn("slow handler {}: {} ms on {} {} (aggregate {}) in lane {}{} (threshold {} ms)", subscription.id(),
                TimeUnit.NANOSECONDS.toMillis(nanos), envelope.event.type(), envelope.event.eventId(),
                envelope.event.aggregateId(), lane.priority, finished ? "" : ", still running",
                settings.slowCallMillis());
    }

    void unexpected(Lane lane, Object item, Throwable failure) {
        logger.error("lane {} worker failed on {}: {}", lane.priority, item, failure);
    }

    private void watch() {
        try {
            while (!Thread.currentThread().isInterrupted()) {
                long threshold = slowCallNanos;
                long period = Math.clamp(TimeUnit.NANOSECONDS.toMillis(threshold) / 4, 5, 250);
                Thread.sleep(period);
                long now = System.nanoTime();
                for (Lane lane : lanes) {
                    for (Worker w : lane.workers()) {
                        w.watch(now, threshold);
                    }
                }
            }
        } catch (InterruptedException stop) {
            // stop() ends the watchdog
        }
    }

    public List<LaneStatistics> statistics() {
        List<LaneStatistics> stats = new ArrayList<>(lanes.length);
        for (Lane lane : lanes) {
            stats.add(lane.statistics());
        }
        return stats;
    }

    /** Journal commit times, ns; written by publishers under its own lock. */
    private final org.HdrHistogram.Histogram commitNanos = new org.HdrHistogram.Histogram(Worker.MAX_TRACKED_LATENCY_NANOS, 2);
    private long commitSumNanos;

    private void recordCommit(long nanos) {
        synchronized (commitNanos) {
            commitNanos.recordValue(Math.min(Math.max(nanos, 0), Worker.MAX_TRACKED_LATENCY_NANOS));
            commitSumNanos += nanos;
        }
    }

    public io.autotrade.api.event.LatencySummary journalCommits() {
        synchronized (commitNanos) {
            long n = commitNanos.getTotalCount();
            return n == 0 ? io.autotrade.api.event.LatencySummary.NONE : new io.autotrade.api.event.LatencySummary(n,
                    commitNanos.getValueAtPercentile(50), commitNanos.getValueAtPercentile(99), commitNanos.getMaxValue(),
                    commitSumNanos);
        }
    }

    public List<DeadLetter> deadLetters() {
        return deadLetters.list();
    }

    public boolean discard(long id) {
        boolean gone = deadLetters.discard(id);
        if (gone) {
            logger.warn("dead letter #{} discarded by request", id);
        }
        return gone;
    }

    public ReplayOutcome replay(long id) throws InterruptedException {
        if (!open) {
            throw new EventBusException("event bus is stopped: cannot replay dead letter #" + id);
        }
        return replays.replay(id);
    }

    /** Runs on the worker owning the letter's aggregate ({@link DeadLetterReplay#onWorker}). */
    ReplayOutcome replayOnWorker(Worker worker, DeadLetter queued) {
        return replays.onWorker(worker, queued);
    }

    /**
     * Stops the bus: lets queued work and its consequences finish for up to the drain timeout, then
     * refuses new events, ends every thread and dead-letters each (event, handler) delivery that was
     * still queued, parked or waiting for a retry, so nothing is lost silently.
     *
     * @throws InterruptedException if interrupted while waiting
     */
    void stop() throws InterruptedException {
        try {
            inFlight.await(Duration.ofMillis(settings.drainTimeoutMillis()));
        } catch (TimeoutException e) {
            logger.warn("event bus stopping with work left after {} ms: {}", settings.drainTimeoutMillis(), e.getMessage());
        }
        open = false;
        long lettingGo = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(settings.drainTimeoutMillis());
        while (driver.get() != null && System.nanoTime() - lettingGo < 0) {
            Thread.sleep(10); // a replay driving the bus ends at its next publish, which is refused now
        }
        watchdog.interrupt();
        timer.shutdownNow();
        for (Lane lane : lanes) {
            for (Worker w : lane.workers()) {
                w.submit(Worker.STOP);
            }
        }
        int undelivered = 0;
        for (Lane lane : lanes) {
            for (Worker w : lane.workers()) {
                if (!w.join(100)) {
                    logger.error("lane {} worker did not end: a handler is blocked; its queue is left as is", lane.priority);
                    continue;
                }
                for (Object item : w.leftovers()) {
                    undelivered += leftover(lane, item);
                }
            }
        }
        for (Map.Entry<Worker.Retry, Worker> e : pendingRetries.entrySet()) {
            undelivered += leftover(e.getValue().lane(), e.getKey());
        }
        pendingRetries.clear();
        watchdog.join(1_000);
        timer.awaitTermination(1, TimeUnit.SECONDS);
        if (undelivered > 0) {
            logger.warn("event bus stopped: {} undelivered handler deliveries were dead-lettered", undelivered);
        }
    }

    private int leftover(Lane lane, Object item) {
        IllegalStateException stopped = new IllegalStateException("undelivered: the event bus stopped");
        switch (item) {
            case Envelope e -> {
                int n = 0;
                if (e.recipients == null) {
                    for (Subscription s : handlers.forTopic(e.event.topic())) {
                        if (s.accepts(e.osgi())) {
                            deadLetter(lane, e, s.id(), 0, stopped);
                            n++;
                        }
                    }
                } // journaled: its deliveries stay pending and are redelivered on the next start
                lane.taken();
                inFlight.end();
                return n;
            }
            case Worker.Retry r -> {
                if (r.envelope().recipients == null) {
                    deadLetter(lane, r.envelope(), r.subscription().id(), r.attempt() - 1, stopped);
                }
                finished(r.envelope());
                return r.envelope().recipients == null ? 1 : 0;
            }
            case Worker.Replay r -> {
                r.outcome().completeExceptionally(new EventBusException("event bus stopped before the replay"));
                return 0;
            }
            default -> {
                return 0;
            }
        }
    }

}
