package io.autotrade.core.internal;

import io.autotrade.api.event.EventBusException;
import io.autotrade.api.event.LaneStatistics;
import io.autotrade.api.event.Priority;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;
import org.HdrHistogram.Histogram;

/**
 * One priority lane: a bound on queued events shared by its workers, the workers themselves (an
 * aggregate always goes to the same worker, so its events stay in order), and the lane's counters.
 *
 * <p>The bound is kept with two counters, events queued (written by publishers) and events taken
 * (written by workers), so publishers and workers never write the same cache line per event.
 */
final class Lane {

    final Priority priority;
    final int capacity;
    private static final long ROOM_POLL_NANOS = TimeUnit.MICROSECONDS.toNanos(50);

    private final AtomicLong queued = new AtomicLong();
    private final AtomicLong taken = new AtomicLong();
    private final AtomicInteger highWater = new AtomicInteger();
    private final Worker[] workers;
    private final LaneBus bus;
    private volatile long offerTimeoutMillis;

    final LongAdder published = new LongAdder();
    final LongAdder delivered = new LongAdder();
    final LongAdder retried = new LongAdder();
    final LongAdder deadLettered = new LongAdder();
    final LongAdder rejected = new LongAdder();
    final LongAdder slowCalls = new LongAdder();
    private final Histogram latencyTotal = new Histogram(Worker.MAX_TRACKED_LATENCY_NANOS, 2);

    /**
     * @param priority           the lane
     * @param capacity           queued events at most
     * @param workerCount        worker threads
     * @param offerTimeoutMillis how long a publisher waits for room; 0 = reject at once
     * @param bus                the bus the workers deliver for
     */
    Lane(Priority priority, int capacity, int workerCount, long offerTimeoutMillis, LaneBus bus) {
        if (capacity < 1 || workerCount < 1) {
            throw new IllegalArgumentException("lane " + priority + " needs capacity >= 1 and workers >= 1, was "
                    + capacity + " and " + workerCount);
        }
        this.priority = priority;
        this.capacity = capacity;
        this.offerTimeoutMillis = offerTimeoutMillis;
        this.bus = bus;
        this.workers = new Worker[workerCount];
        for (int i = 0; i < workerCount; i++) {
            workers[i] = new Worker(this, i, bus);
        }
    }

    void start() {
        for (Worker w : workers) {
            w.start();
        }
    }

    void offerTimeoutMillis(long millis) {
        this.offerTimeoutMillis = millis;
    }

    Worker[] workers() {
        return workers;
    }

    /** @return the worker that owns the aggregate */
    Worker workerFor(String aggregateId) {
        return workers.length == 1 ? workers[0] : workers[Math.floorMod(aggregateId.hashCode(), workers.length)];
    }

    boolean isWorker(Thread thread) {
        for (Worker w : workers) {
            if (w.isThread(thread)) {
                return true;
            }
        }
        return false;
    }

    /**
     * Queues an envelope on its aggregate's worker. A worker of this lane publishing into it (a
     * handler's consequence) never waits, so a full lane cannot deadlock on itself: it queues beyond
     * the bound, counted in the depth.
     *
     * @throws EventBusException if the lane is full (after waiting, for the trading lane)
     */
    void enqueue(Envelope envelope) {
        enqueue(envelope, false);
    }

    /**
     * @param beyondBound {@code true} for redelivered journal work: already stored and already held in
     *                    memory, so making it wait for room would only slow recovery down
     */
    void enqueue(Envelope envelope, boolean beyondBound) {
        if (!tryReserve()) {
            if (beyondBound || isWorker(Thread.currentThread()) || bus.isDriver(Thread.currentThread())) {
                queued.incrementAndGet(); // a handler's consequence, or the driver's own: beyond the bound rather than a deadlock
            } else {
                long wait = offerTimeoutMillis;
                if (!(wait > 0 && awaitRoom(wait))) {
                    rejected.increment();
                    if (Thread.currentThread().isInterrupted()) {
                        throw new EventBusException("interrupted while waiting for room in lane " + priority + " for "
                                + envelope.event.type() + " " + envelope.event.eventId());
                    }
                    throw new EventBusException("lane " + priority + " is full (" + depth() + " of " + capacity
                            + " events queued" + (wait > 0 ? " after waiting " + wait + " ms" : "") + "): "
                            + envelope.event.type() + " " + envelope.event.eventId() + " was not published");
                }
            }
        }
        published.increment();
        int depth = depth();
        int seen = highWater.get();
        while (depth > seen && !highWater.compareAndSet(seen, depth)) {
            seen = highWater.get();
        }
        workerFor(envelope.event.aggregateId()).submit(envelope);
    }

    private boolean tryReserve() {
        long q = queued.get();
        while (q - taken.get() < capacity) {
            if (queued.compareAndSet(q, q + 1)) {
                return true;
            }
            q = queued.get();
        }
        return false;
    }

    /** Polls for room every 50 µs up to the wait; a full trading lane is an emergency, not a hot path. */
    private boolean awaitRoom(long waitMillis) {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(waitMillis);
        while (!tryReserve()) {
            if (System.nanoTime() - deadline >= 0 || Thread.currentThread().isInterrupted()) {
                return false;
            }
            LockSupport.parkNanos(ROOM_POLL_NANOS);
        }
        return true;
    }

    /** A worker took an envelope off its queue: its room is free again. */
    void taken() {
        taken.incrementAndGet();
    }

    int depth() {
        return (int) (queued.get() - taken.get());
    }

    synchronized LaneStatistics statistics() {
        for (Worker w : workers) {
            w.drainLatency(latencyTotal);
        }
        boolean any = latencyTotal.getTotalCount() > 0;
        return new LaneStatistics(priority, workers.length, capacity, depth(), highWater.get(), published.sum(),
                delivered.sum(), retried.sum(), deadLettered.sum(), rejected.sum(), slowCalls.sum(),
                any ? latencyTotal.getValueAtPercentile(50) : 0, any ? latencyTotal.getValueAtPercentile(99) : 0);
    }
}
