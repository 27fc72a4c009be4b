package io.autotrade.core.internal;

import io.autotrade.api.event.DomainEvent;
import io.autotrade.api.event.EventBusException;
import io.autotrade.api.event.Priority;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * One priority lane: a bounded FIFO queue and its own worker thread. One worker keeps publish order
 * for every aggregate of the lane; a lane never waits for another lane.
 */
final class Lane {
    private final Priority priority;
    private final BlockingQueue<DomainEvent<?>> queue;
    private final long offerTimeoutMillis;
    private final Consumer<DomainEvent<?>> delivery;
    private final Thread worker;
    private final AtomicLong published = new AtomicLong();
    private final AtomicLong delivered = new AtomicLong();
    private final AtomicLong failed = new AtomicLong();
    private final AtomicLong rejected = new AtomicLong();
    private volatile boolean running = true;

    /**
     * @param priority           the lane
     * @param capacity           queue bound, events
     * @param offerTimeoutMillis how long a publisher waits for room before it gets an exception; 0 = not at all
     * @param delivery           delivers one event; exceptions are counted and reported by the caller's code
     */
    Lane(Priority priority, int capacity, long offerTimeoutMillis, Consumer<DomainEvent<?>> delivery) {
        this.priority = priority;
        this.queue = new ArrayBlockingQueue<>(capacity);
        this.offerTimeoutMillis = offerTimeoutMillis;
        this.delivery = delivery;
        this.worker = new Thread(this::work, "autotrade-lane-" + priority.name());
        this.worker.setDaemon(true);
    }

    void start() {
        worker.start();
    }

    void offer(DomainEvent<?> event) {
        if (!running) {
            throw new EventBusException("event bus is stopped: cannot publish " + event.type() + " in lane " + priority);
        }
        boolean queued;
        try {
            queued = offerTimeoutMillis > 0 ? queue.offer(event, offerTimeoutMillis, TimeUnit.MILLISECONDS)
                    : queue.offer(event);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new EventBusException("interrupted while waiting for room in lane " + priority + " for " + event.type(), e);
        }
        if (!queued) {
            rejected.incrementAndGet();
            throw new EventBusException("lane " + priority + " is full (" + queue.size() + " events queued"
                    + (offerTimeoutMillis > 0 ? " after waiting " + offerTimeoutMillis + " ms" : "") + "): "
                    + event.type() + " " + event.eventId() + " was not published");
        }
        published.incrementAndGet();
    }

    private void work() {
        while (running || !queue.isEmpty()) {
            DomainEvent<?> event;
            try {
                event = queue.poll(100, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                if (running) {
                    continue;
                }
                break;
            }
            if (event == null) {
                continue;
            }
            try {
                delivery.accept(event);
                delivered.incrementAndGet();
            } catch (RuntimeException | Error e) {
                failed.incrementAndGet();
            }
        }
    }

    /**
     * Stops taking events, delivers what is queued up to the timeout, then stops the worker.
     *
     * @param drainMillis how long to let the worker drain
     * @return the number of events left undelivered
     */
    int stop(long drainMillis) throws InterruptedException {
        running = false;
        worker.join(drainMillis);
        if (worker.isAlive()) {
            worker.interrupt();
            worker.join(1000);
        }
        return queue.size();
    }

    Priority priority() {
        return priority;
    }

    LaneStats stats() {
        return new LaneStats(priority, queue.size(), published.get(), delivered.get(), failed.get(), rejected.get());
    }

    boolean isWorker(Thread thread) {
        return thread == worker;
    }
}
