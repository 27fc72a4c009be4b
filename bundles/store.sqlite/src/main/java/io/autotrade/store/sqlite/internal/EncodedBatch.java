package io.autotrade.store.sqlite.internal;

import io.autotrade.api.event.EventJournal.Batch;
import io.autotrade.api.event.EventStoreException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * A journal batch with its payloads' JSON, which the publishing thread encodes while the journal
 * writer already inserts the batch's first events: encoding (on the publisher) and inserting (on the
 * writer) overlap instead of adding up. The writer takes payload {@code i} with {@link #payload(int)},
 * which waits until the publisher has encoded it.
 *
 * <p>If a payload cannot be encoded, {@link #payload(int)} throws {@link Failed} on the writer, which
 * rolls its group back and commits the group again without this batch; the publisher gets the error.
 */
final class EncodedBatch {
    /** The writer met a batch whose encoding failed. */
    static final class Failed extends RuntimeException {
        final transient EncodedBatch batch;

        Failed(EncodedBatch batch) {
            super("payload encoding failed", null, false, false);
            this.batch = batch;
        }
    }

    private static final long PARK_NANOS = TimeUnit.MICROSECONDS.toNanos(50);

    private final Batch batch;
    private final String[] payloads;
    /** payloads[0 .. ready) are encoded; a volatile write after each, so the writer reads them safely. */
    private volatile int ready;
    private volatile EventStoreException failure;
    private volatile Thread waiter;

    private EncodedBatch(Batch batch) {
        this.batch = batch;
        this.payloads = new String[batch.events().size()];
    }

    /** @return a batch whose payloads the caller encodes next, with {@link #encodeAll(PayloadCodec)} */
    static EncodedBatch toEncode(Batch batch) {
        return new EncodedBatch(batch);
    }

    /** @return a batch without events (finished deliveries, the probe): nothing to encode */
    static EncodedBatch withoutEvents(Batch batch) {
        if (!batch.events().isEmpty()) {
            throw new IllegalArgumentException("the batch has " + batch.events().size() + " events to encode");
        }
        return new EncodedBatch(batch);
    }

    Batch batch() {
        return batch;
    }

    int size() {
        return payloads.length;
    }

    /**
     * Encodes every payload in order on the calling thread, handing each to the writer as it is done.
     * A payload that cannot be encoded ends it: {@link #failure()} says why.
     */
    void encodeAll(PayloadCodec codec) {
        try {
            for (int i = 0; i < payloads.length; i++) {
                payloads[i] = codec.encode(batch.events().get(i).payload());
                ready = i + 1;
                Thread w = waiter;
                if (w != null) {
                    LockSupport.unpark(w);
                }
            }
        } catch (EventStoreException e) {
            fail(e);
        } catch (RuntimeException e) {
            fail(new EventStoreException("cannot encode the payload of event " + ready + " of the batch ("
                    + batch.events().get(ready).type() + "): " + e, e));
        }
    }

    private void fail(EventStoreException e) {
        failure = e;
        Thread w = waiter;
        if (w != null) {
            LockSupport.unpark(w);
        }
    }

    /** @return why encoding failed, or null */
    EventStoreException failure() {
        return failure;
    }

    /**
     * @param i the event's index in the batch
     * @return its payload's JSON, once the publisher has encoded it
     * @throws Failed if the publisher could not encode the batch
     */
    String payload(int i) {
        while (ready <= i) {
            if (failure != null) {
                throw new Failed(this);
            }
            waiter = Thread.currentThread();
            if (ready <= i && failure == null) {
                LockSupport.parkNanos(this, PARK_NANOS); // bounded: a wake-up lost between the checks costs 50 µs
            }
            waiter = null;
        }
        return payloads[i];
    }
}
