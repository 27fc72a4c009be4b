package io.autotrade.core.internal;

import io.autotrade.api.event.DeadLetter;
import io.autotrade.api.event.EventBusAdmin.ReplayOutcome;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.SingleWriterRecorder;

/**
 * A lane worker: one thread that delivers the envelopes of the aggregates it owns, to every matching
 * handler, in queue order. Everything about those aggregates (retry sequencing, parked events) is
 * confined to this thread, so it needs no locks.
 *
 * <p>The queue is lock-free: the worker spins briefly when it runs dry, then parks; a publisher
 * unparks it only when it announced that it parks.
 *
 * <p>When a handler fails, the (aggregate, handler) pair is blocked: the retry is scheduled on the
 * bus's timer and comes back through this worker's queue, while later events of that aggregate for
 * that handler are parked behind it. Other handlers and other aggregates keep flowing.
 */
final class Worker implements Runnable {
    /** Ends the worker's loop once everything before it is handled. */
    static final Object STOP = new Object();
    /** What {@link #next()} gives when a driver asked the worker to pause. */
    private static final Object PAUSE = new Object();

    /** A retry of one (envelope, handler) delivery. */
    record Retry(Envelope envelope, Subscription subscription, int attempt) {
    }

    /** A dead letter to deliver once to its handler, answering through the future. */
    record Replay(DeadLetter letter, CompletableFuture<ReplayOutcome> outcome) {
    }

    /** An event parked behind a blocked (aggregate, handler) pair. */
    private record Parked(Envelope envelope, Subscription subscription) {
    }

    private final Lane lane;
    private final LaneBus bus;
    private final Thread thread;
    private static final int SPINS = 200;
    /** Latencies above this are recorded as this (a handler blocked for minutes is the watchdog's business). */
    static final long MAX_TRACKED_LATENCY_NANOS = TimeUnit.MINUTES.toNanos(10);

    private final ConcurrentLinkedQueue<Object> inbox = new ConcurrentLinkedQueue<>();
    private volatile boolean parked;
    /** A driver ({@link LaneBus#drive}) asked this worker to stop taking items. */
    private volatile boolean paused;
    /** The worker's answer: it handles nothing and takes nothing until resumed; the driver owns its items. */
    private volatile boolean idle;
    private final SingleWriterRecorder latency = new SingleWriterRecorder(MAX_TRACKED_LATENCY_NANOS, 2);
    private Histogram latencyInterval;
    private final Map<SequenceKey, ArrayDeque<Parked>> blocked = new HashMap<>();
    /**
     * The delivery-context slot of the thread handling this worker's items now: its own (set in {@link #run}) or a
     * driver's ({@link #drainDriven}); items are handled only there, so it is set before any call.
     */
    private DeliveryContext[] slot;

    // Watchdog view of the call in progress: the plain fields are written before callStart is set
    // (release) and read after it (acquire); callStart is 0 while idle.
    private final AtomicLong callStart = new AtomicLong();
    private final AtomicLong reportedCall = new AtomicLong();
    private Subscription callSubscription;
    private Envelope callEnvelope;
    private long callSeq;

    Worker(Lane lane, int index, LaneBus bus) {
        this.lane = lane;
        this.bus = bus;
        this.thread = new Thread(this, "autotrade-bus-" + lane.priority.name() + "-" + index);
        this.thread.setDaemon(true);
    }

    void start() {
        thread.start();
    }

    boolean isThread(Thread t) {
        return t == thread;
    }

    Lane lane() {
        return lane;
    }

    void submit(Object item) {
        inbox.offer(item);
        if (parked) {
            LockSupport.unpark(thread);
        }
    }

    /** @return the next item, spinning briefly and then parking while there is none; null if interrupted */
    private Object next() {
        Object item = inbox.poll();
        for (int spin = 0; item == null && spin < SPINS; spin++) {
            Thread.onSpinWait();
            item = inbox.poll();
        }
        if (item == null) {
            parked = true;
            item = inbox.poll(); // a publisher that queued before seeing parked=true is caught here
            while (item == null) {
                if (paused) {
                    parked = false;
                    return PAUSE;
                }
                LockSupport.park(this);
                if (Thread.interrupted()) {
                    parked = false;
                    return null;
                }
                item = inbox.poll();
            }
            parked = false;
        }
        return item;
    }

    /** Adds this worker's latency samples since the last call to the lane's histogram (statistics thread). */
    synchronized void drainLatency(Histogram into) {
        latencyInterval = latency.getIntervalHistogram(latencyInterval);
        into.add(latencyInterval);
    }

    /**
     * Waits for the thread to end after {@link #STOP} was queued.
     *
     * @return {@code true} if it ended in time
     */
    boolean join(long millis) throws InterruptedException {
        thread.join(millis);
        if (thread.isAlive()) {
            thread.interrupt();
            thread.join(1_000);
        }
        return !thread.isAlive();
    }

    /**
     * Hands this worker's items to the calling thread (a driver): returns once the worker thread has finished the
     * item it was handling and takes no more, so the caller may {@link #drainDriven} alone.
     */
    void pause() {
        paused = true;
        LockSupport.unpark(thread);
        while (!idle && thread.isAlive()) {
            LockSupport.parkNanos(10_000);
        }
    }

    /** Gives the items back to the worker thread. */
    void resume() {
        paused = false;
        LockSupport.unpark(thread);
    }

    /**
     * Delivers every queued item on the calling thread, the driver, which holds this worker paused.
     *
     * @return whether there was anything to deliver
     */
    boolean drainDriven(DeliveryContext[] driverSlot) {
        slot = driverSlot;
        boolean any = false;
        for (Object item = inbox.poll(); item != null; item = inbox.poll()) {
            if (item == STOP) {
                inbox.offer(item); // for the thread, when it resumes
                return any;
            }
            handle(item);
            any = true;
        }
        return any;
    }

    @Override
    public void run() {
        DeliveryContext[] own = DeliveryContext.slot();
        while (true) {
            if (paused) {
                idle = true;
                while (paused) {
                    LockSupport.park(this);
                    if (Thread.interrupted()) {
                        return;
                    }
                }
                idle = false;
                continue;
            }
            Object item = next();
            if (item == PAUSE) {
                continue;
            }
            if (item == null) {
                return; // interrupted: only when the bus gave up waiting at stop; leftovers are dead-lettered by the bus
            }
            if (item == STOP || !bus.isOpen() && !(item instanceof Replay)) {
                if (item != STOP) {
                    inbox.offer(item); // left for the bus to dead-letter: it stopped after the drain
                }
                return;
            }
            slot = own; // a driver that drained this worker while it paused set its own
            handle(item);
        }
    }

    private void handle(Object item) {
        try {
            switch (item) {
                case Envelope e -> {
                    lane.taken();
                    fanOut(e);
                }
                case Retry r -> retry(r);
                case Replay r -> r.outcome().complete(bus.replayOnWorker(this, r.letter()));
                default -> throw new IllegalStateException("unknown work item " + item);
            }
        } catch (RuntimeException | Error unexpected) {
            bus.unexpected(lane, item, unexpected);
        }
    }

    private void fanOut(Envelope e) {
        Subscription[] subs = e.recipients != null ? e.recipients : bus.handlers().forTopic(e.event.topic());
        e.pending = 1;
        for (Subscription s : subs) {
            if (e.recipients == null ? !s.accepts(e.osgi()) : !bus.handlers().contains(s)) {
                continue; // a recipient that went away keeps its pending delivery for the next start
            }
            e.pending++;
            if (!blocked.isEmpty()) {
                ArrayDeque<Parked> queue = blocked.get(new SequenceKey(e.event.aggregateId(), s.id()));
                if (queue != null) {
                    queue.add(new Parked(e, s));
                    continue;
                }
            }
            deliver(e, s, 1);
        }
        bus.finished(e);
    }

    private void retry(Retry r) {
        SequenceKey key = new SequenceKey(r.envelope().event.aggregateId(), r.subscription().id());
        if (!bus.handlers().contains(r.subscription())) {
            bus.deadLetter(lane, r.envelope(), r.subscription().id(), r.attempt() - 1,
                    new IllegalStateException("handler " + r.subscription().id() + " was unregistered before its retry"));
            bus.finished(r.envelope());
            release(key);
            return;
        }
        if (deliver(r.envelope(), r.subscription(), r.attempt())) {
            release(key);
        }
    }

    /**
     * Calls the handler once. On failure schedules a retry (blocking the pair) or, after the last
     * attempt, dead-letters the event and releases the pair.
     *
     * @return {@code true} if the handler succeeded
     */
    private boolean deliver(Envelope e, Subscription s, int attempt) {
        Throwable failure = call(e, s, attempt);
        if (failure == null) {
            lane.delivered.increment();
            bus.finished(e);
            return true;
        }
        SequenceKey key = new SequenceKey(e.event.aggregateId(), s.id());
        if (attempt < bus.retryPolicy().maxAttempts()) {
            blocked.computeIfAbsent(key, k -> new ArrayDeque<>());
            lane.retried.increment();
            bus.scheduleRetry(this, new Retry(e, s, attempt + 1), failure);
        } else {
            bus.deadLetter(lane, e, s.id(), attempt, failure);
            bus.finished(e);
            release(key);
        }
        return false;
    }

    /** @return the handler's exception, or null if it succeeded */
    Throwable call(Envelope e, Subscription s, int attempt) {
        long start = System.nanoTime();
        if (attempt == 1) {
            latency.recordValue(Math.min(Math.max(start - e.publishedNanos, 0), MAX_TRACKED_LATENCY_NANOS));
        }
        callSubscription = s;
        callEnvelope = e;
        callSeq++;
        callStart.lazySet(start == 0 ? 1 : start);
        DeliveryContext context = bus.journaling() ? DeliveryContext.open(e, s, slot) : null;
        try {
            s.handler().handleEvent(e.osgi());
            if (context != null) {
                context.close();
                bus.handled(this, context);
            }
            return null;
        } catch (Throwable failure) {
            if (context != null) {
                context.close(); // what the failed call published is dropped: a retry publishes it again
            }
            if (failure instanceof VirtualMachineError fatal && !(failure instanceof StackOverflowError)) {
                throw fatal; // out of memory or an internal error: not the handler's fault, not retryable
            }
            return failure;
        } finally {
            callStart.lazySet(0);
            long took = System.nanoTime() - start;
            if (took > bus.slowCallNanos()) {
                reportSlow(took, true);
            }
        }
    }

    /** Called by the watchdog with the current time; reports a call in progress past the threshold once. */
    void watch(long now, long thresholdNanos) {
        long start = callStart.get();
        if (start != 0 && now - start > thresholdNanos) {
            reportSlow(now - start, false);
        }
    }

    private void reportSlow(long nanos, boolean finished) {
        long seq = callSeq;
        long reported = reportedCall.get();
        if (reported != seq && reportedCall.compareAndSet(reported, seq)) {
            lane.slowCalls.increment();
            bus.slowCall(lane, callSubscription, callEnvelope, nanos, finished);
        }
    }

    /** Unblocks the pair and delivers what was parked behind it, in order, until one fails again. */
    private void release(SequenceKey key) {
        ArrayDeque<Parked> parked = blocked.remove(key);
        while (parked != null && !parked.isEmpty()) {
            Parked p = parked.poll();
            if (!bus.handlers().contains(p.subscription())) {
                bus.deadLetter(lane, p.envelope(), key.handlerId(), 0,
                        new IllegalStateException("handler " + key.handlerId() + " was unregistered while the event waited"));
                bus.finished(p.envelope());
                continue;
            }
            if (!deliver(p.envelope(), p.subscription(), 1)) {
                ArrayDeque<Parked> again = blocked.get(key);
                if (again != null) {
                    again.addAll(parked); // behind the new retry, in the same order
                    return;
                }
            }
        }
    }

    /**
     * After the thread ended: everything it had not delivered, for the bus to dead-letter.
     *
     * @return queued envelopes and retries, and parked deliveries as retries of attempt 0
     */
    List<Object> leftovers() {
        List<Object> left = new ArrayList<>();
        for (Object item = inbox.poll(); item != null; item = inbox.poll()) {
            if (item != STOP) {
                left.add(item);
            }
        }
        for (ArrayDeque<Parked> queue : blocked.values()) {
            for (Parked p : queue) {
                left.add(new Retry(p.envelope(), p.subscription(), 1));
            }
        }
        blocked.clear();
        return left;
    }
}
