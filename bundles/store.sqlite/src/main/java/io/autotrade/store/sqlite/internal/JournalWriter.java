package io.autotrade.store.sqlite.internal;

import io.autotrade.api.event.EventStoreException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * Group commit: one thread takes every batch queued now (waiting up to the grouping delay for more)
 * and commits them in one transaction; each caller waits for the commit its batch was part of. A
 * failed transaction fails every caller in it, and stores nothing of theirs. When nothing is queued or
 * being committed, a caller commits its batch on its own thread ({@link #tryInline}): no hand-off to the
 * writer and back, and still after everything submitted before.
 */
final class JournalWriter<B> implements Runnable {
    /**
     * Commits a group of batches in one transaction; returns each batch's append flags, or null in the
     * place of a batch it left out (which then gets null from {@link #await}).
     */
    interface Committer<B> {
        List<boolean[]> commit(List<B> group);
    }

    private record Work<B>(B batch, CompletableFuture<boolean[]> result) {
    }

    private final Work<B> stopMark = new Work<>(null, null);
    private static final int MAX_GROUP = 4096;

    private final LinkedBlockingQueue<Work<B>> queue = new LinkedBlockingQueue<>();
    /** Held while a group is committed, by the writer thread or an inline caller. */
    private final java.util.concurrent.locks.ReentrantLock committing = new java.util.concurrent.locks.ReentrantLock();
    /** Batches submitted and not yet committed. */
    private final java.util.concurrent.atomic.AtomicInteger outstanding = new java.util.concurrent.atomic.AtomicInteger();
    private final Committer<B> committer;
    private final long delayNanos;
    private final Thread thread;
    private volatile boolean stopped;

    /**
     * @param committer   writes a group in one transaction
     * @param delayMicros how long to wait for more batches after the first, µs; 0 takes only what is queued
     * @param name        the thread's name
     */
    JournalWriter(Committer<B> committer, long delayMicros, String name) {
        this.committer = committer;
        this.delayNanos = TimeUnit.MICROSECONDS.toNanos(delayMicros);
        this.thread = new Thread(this, name);
        this.thread.setDaemon(true);
        this.thread.start();
    }

    /**
     * @return the append flags once the batch is committed
     * @throws EventStoreException if the commit failed or the writer is stopped
     */
    boolean[] commit(B batch) {
        return await(submit(batch));
    }

    /**
     * @param result what {@link #submit(Object)} returned
     * @return the batch's append flags once its group is committed; null if the committer left the batch
     *         out of the group (see {@link Committer#commit(List)})
     * @throws EventStoreException if the commit failed or the writer is stopped
     */
    boolean[] await(CompletableFuture<boolean[]> result) {
        try {
            return result.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new EventStoreException("interrupted while waiting for the journal to commit", e);
        } catch (ExecutionException e) {
            throw e.getCause() instanceof EventStoreException s ? s
                    : new EventStoreException("journal commit failed: " + e.getCause(), e.getCause());
        }
    }

    /** Queues the batch and returns at once; it is committed with the next group. */
    CompletableFuture<boolean[]> submit(B batch) {
        if (stopped) {
            throw new EventStoreException("the event journal is closed");
        }
        CompletableFuture<boolean[]> result = new CompletableFuture<>();
        outstanding.incrementAndGet();
        queue.add(new Work<>(batch, result));
        return result;
    }

    /**
     * Commits the batch on the calling thread when the writer has nothing submitted and is not committing:
     * everything submitted before is then committed, so the order of one caller's batches holds.
     *
     * @param batch   the batch
     * @param prepare what to do before the commit (encoding), on this thread
     * @return the result, completed; null when the writer is busy or closed (then {@link #submit} it)
     */
    CompletableFuture<boolean[]> tryInline(B batch, Runnable prepare) {
        return inline(() -> {
            prepare.run();
            Work<B> work = new Work<>(batch, new CompletableFuture<>());
            commitGroup(List.of(work));
            return work.result();
        });
    }

    /**
     * Runs the commit on the calling thread while the writer has nothing submitted and is not committing.
     *
     * @return what the commit gave, or null when the writer is busy or closed
     */
    private <T> T inline(java.util.function.Supplier<T> commit) {
        if (stopped || outstanding.get() != 0 || !committing.tryLock()) {
            return null;
        }
        try {
            return outstanding.get() != 0 ? null : commit.get();
        } finally {
            committing.unlock();
        }
    }

    /**
     * Commits the batches together: on the calling thread when the writer is idle ({@link #tryInline}), else as
     * queued work, which the writer groups.
     *
     * @param batches the batches, in order
     * @return each batch's append flags, or null for one the committer left out
     * @throws EventStoreException if the commit failed or the writer is stopped
     */
    List<boolean[]> commitAll(List<B> batches) {
        List<boolean[]> done = inline(() -> {
            List<Work<B>> works = batches.stream().map(b -> new Work<>(b, new CompletableFuture<boolean[]>())).toList();
            commitGroup(works);
            return works.stream().map(w -> await(w.result())).toList();
        });
        if (done != null) {
            return done;
        }
        List<CompletableFuture<boolean[]>> results = batches.stream().map(this::submit).toList();
        return results.stream().map(this::await).toList();
    }

    @Override
    public void run() {
        List<Work<B>> group = new ArrayList<>();
        boolean stop = false;
        while (!stop) {
            try {
                Work<B> first = queue.take();
                if (first == stopMark) {
                    break;
                }
                group.add(first);
                long deadline = System.nanoTime() + delayNanos;
                while (group.size() < MAX_GROUP) {
                    Work<B> next = delayNanos > 0 ? queue.poll(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS)
                            : queue.poll();
                    if (next == null) {
                        break;
                    }
                    if (next == stopMark) {
                        stop = true;
                        break;
                    }
                    group.add(next);
                }
            } catch (InterruptedException e) {
                stop = true;
            }
            if (!group.isEmpty()) {
                commitQueued(group);
                group.clear();
            }
        }
        List<Work<B>> left = new ArrayList<>();
        queue.drainTo(left);
        left.remove(stopMark);
        if (!left.isEmpty()) {
            commitQueued(left);
        }
    }

    /** The writer thread commits a group taken off the queue: no longer outstanding once committed. */
    private void commitQueued(List<Work<B>> group) {
        committing.lock();
        try {
            commitGroup(group);
        } finally {
            committing.unlock();
        }
        outstanding.addAndGet(-group.size());
    }

    private void commitGroup(List<Work<B>> group) {
        try {
            List<boolean[]> flags = committer.commit(group.stream().map(Work::batch).toList());
            for (int i = 0; i < group.size(); i++) {
                group.get(i).result().complete(flags.get(i));
            }
        } catch (RuntimeException e) {
            for (Work<B> w : group) {
                w.result().completeExceptionally(e);
            }
        }
    }

    /** Commits what is queued, then ends the thread. */
    void close() {
        stopped = true;
        queue.add(stopMark);
        try {
            thread.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
