package io.autotrade.core.internal;

import java.time.Duration;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Counts events published and not yet finished (every handler delivered or dead-lettered, retries
 * included). A handler publishes its consequences before its own delivery finishes, so nothing is in
 * flight only when a whole cascade is done. Begun (publishers) and ended (workers) are separate
 * counters, so the two sides never write the same cache line; the lock is taken only when somebody waits.
 *
 * <p>Reading ended before begun makes {@code ended == begun} a proof of a quiet moment: every event
 * begun by the time ended was read had ended by then, and none began in between.
 */
final class InFlight {
    private static final long RECHECK_NANOS = 10_000_000;
    private final AtomicLong begun = new AtomicLong();
    private final AtomicLong ended = new AtomicLong();
    private final AtomicInteger waiters = new AtomicInteger();
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition idle = lock.newCondition();

    void begin() {
        begun.incrementAndGet();
    }

    void end() {
        ended.incrementAndGet();
        if (waiters.get() > 0) {
            lock.lock();
            try {
                idle.signalAll();
            } finally {
                lock.unlock();
            }
        }
    }

    /** @return events in flight now (a snapshot) */
    long count() {
        long e = ended.get();
        return begun.get() - e;
    }

    void await(Duration timeout) throws TimeoutException, InterruptedException {
        long nanos = timeout.toNanos();
        waiters.incrementAndGet();
        lock.lock();
        try {
            long deadline = System.nanoTime() + nanos;
            while (count() > 0) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    throw new TimeoutException(count() + " events still in flight after " + timeout.toMillis() + " ms");
                }
                idle.awaitNanos(Math.min(left, RECHECK_NANOS));
            }
        } finally {
            lock.unlock();
            waiters.decrementAndGet();
        }
    }
}
