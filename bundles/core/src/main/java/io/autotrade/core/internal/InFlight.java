package io.autotrade.core.internal;

import java.time.Duration;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Counts events published and not yet finished (every handler delivered or dead-lettered, retries
 * included). A handler publishes its consequences before its own delivery finishes, so the count
 * reaches zero only when a whole cascade is done. Counting is one atomic add; the lock is taken only
 * when somebody waits.
 */
final class InFlight {
    private final AtomicLong count = new AtomicLong();
    private final AtomicInteger waiters = new AtomicInteger();
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition idle = lock.newCondition();

    void begin() {
        count.incrementAndGet();
    }

    void end() {
        if (count.decrementAndGet() == 0 && waiters.get() > 0) {
            lock.lock();
            try {
                idle.signalAll();
            } finally {
                lock.unlock();
            }
        }
    }

    long count() {
        return count.get();
    }

    void await(Duration timeout) throws TimeoutException, InterruptedException {
        long nanos = timeout.toNanos();
        waiters.incrementAndGet();
        lock.lock();
        try {
            while (count.get() > 0) {
                if (nanos <= 0) {
                    throw new TimeoutException(count.get() + " events still in flight after " + timeout.toMillis() + " ms");
                }
                nanos = idle.awaitNanos(nanos);
            }
        } finally {
            lock.unlock();
            waiters.decrementAndGet();
        }
    }
}
