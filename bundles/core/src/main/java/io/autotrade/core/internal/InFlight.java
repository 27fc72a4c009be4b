package io.autotrade.core.internal;

import java.time.Duration;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Counts events published and not yet delivered. A handler publishes its consequences before its
 * own delivery finishes, so the count reaches zero only when a whole cascade is done.
 */
final class InFlight {
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition idle = lock.newCondition();
    private long count;

    void begin() {
        lock.lock();
        try {
            count++;
        } finally {
            lock.unlock();
        }
    }

    void end() {
        lock.lock();
        try {
            if (--count == 0) {
                idle.signalAll();
            }
        } finally {
            lock.unlock();
        }
    }

    long count() {
        lock.lock();
        try {
            return count;
        } finally {
            lock.unlock();
        }
    }

    void await(Duration timeout) throws TimeoutException, InterruptedException {
        long nanos = timeout.toNanos();
        lock.lock();
        try {
            while (count > 0) {
                if (nanos <= 0) {
                    throw new TimeoutException(count + " events still in flight after " + timeout.toMillis() + " ms");
                }
                nanos = idle.awaitNanos(nanos);
            }
        } finally {
            lock.unlock();
        }
    }
}
