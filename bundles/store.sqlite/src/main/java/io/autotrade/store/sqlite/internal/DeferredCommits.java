package io.autotrade.store.sqlite.internal;

import io.autotrade.api.event.DomainEvent;
import io.autotrade.api.event.EventStoreException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * The batches a replay's driver journals with later ones ({@code EventJournal.commitDeferred}): kept in order
 * and committed together, in one transaction. A replay marks the end of each step ({@link #boundary}); then a group
 * is committed only at such a point, ending with that point's checkpoint event: when it holds {@code maxEvents}
 * events (by default {@value #MAX_EVENTS}) at a boundary, when the store is read or written otherwise ({@link #flush}: the batches after the last
 * boundary stay deferred) and at the end of the replay ({@link #flushAll}). A crash loses what is not committed
 * whole, so the journal ends at a checkpoint, as a lost single commit leaves it at a commit. Batches of a driver that
 * marks no boundary are committed when they hold {@code maxEvents} events or at any flush.
 */
final class DeferredCommits {
    /**
     * Events a group holds at most (at a boundary, when the driver marks them) before it is committed, by default. The
     * group is held in memory until then, long enough to outlive the young generation: at 32,768 events it made a
     * million-candle backtest's heap grow by 180 MB; at 4,096 the heap stays flat, as fast.
     */
    static final int MAX_EVENTS = 4_096;

    private final JournalWriter<EncodedBatch> writer;
    private final Predicate<UUID> stored;
    private final int maxEvents;
    private final Function<DomainEvent<?>, EncodedBatch> encoder;
    private final List<EncodedBatch> batches = new ArrayList<>();
    private final Set<UUID> ids = new HashSet<>();
    private int events;
    /** How many of {@link #batches} the last boundary follows, or -1 if none was marked since the last commit. */
    private int boundaryAfter = -1;
    private Supplier<DomainEvent<?>> checkpoint;
    /** Whether the driver marks boundaries (then a full group waits for the next one). */
    private boolean bounded;

    /**
     * @param writer  the journal's writer
     * @param stored  whether the journal holds an event id already
     * @param maxEvents events a group holds before it is committed (at the next boundary, when there are any)
     * @param encoder a checkpoint event as a batch of its own, its payload encoded
     */
    DeferredCommits(JournalWriter<EncodedBatch> writer, Predicate<UUID> stored, int maxEvents,
            Function<DomainEvent<?>, EncodedBatch> encoder) {
        this.writer = writer;
        this.stored = stored;
        this.maxEvents = maxEvents;
        this.encoder = encoder;
    }

    /**
     * Defers an encoded batch.
     *
     * @param encoded the batch, its payloads encoded
     * @param batch   its events
     * @return per event whether it is appended: not when the journal or the deferred group holds its id already.
     *         A new event id of this process (UUID version 7, as {@code DomainEvent.of} makes them) is not looked up.
     * @throws EventStoreException if a group reaching its size cannot be committed
     */
    synchronized boolean[] add(EncodedBatch encoded, List<DomainEvent<?>> batch) {
        boolean[] appended = new boolean[batch.size()];
        for (int i = 0; i < appended.length; i++) {
            UUID id = batch.get(i).eventId();
            appended[i] = ids.add(id) && (id.version() == 7 || !stored.test(id));
        }
        batches.add(encoded);
        events += appended.length;
        if (!bounded && events >= maxEvents) {
            flushAll();
        }
        return appended;
    }

    /**
     * Marks the end of a replay's step after the batches deferred so far; commits the group here if it is full.
     *
     * @param next makes this point's checkpoint event, if a commit ends here
     * @throws EventStoreException if that commit failed
     */
    synchronized void boundary(Supplier<DomainEvent<?>> next) {
        bounded = true;
        boundaryAfter = batches.size();
        checkpoint = next;
        if (events >= maxEvents) {
            flush();
        }
    }

    /**
     * Commits what is deferred through the last boundary (with its checkpoint), or everything when no boundary was
     * marked; the batches after the boundary stay deferred.
     *
     * @throws EventStoreException if the commit failed; then nothing of the group is stored
     */
    synchronized void flush() {
        commit(boundaryAfter < 0 ? batches.size() : boundaryAfter);
    }

    /**
     * Commits everything deferred (the replay has ended), ending with the last boundary's checkpoint if the last
     * batches are before it.
     *
     * @throws EventStoreException if the commit failed; then nothing of the group is stored
     */
    synchronized void flushAll() {
        commit(batches.size());
        bounded = false;
    }

    private void commit(int count) {
        boolean withCheckpoint = boundaryAfter >= 0 && boundaryAfter <= count;
        if (count == 0 && !withCheckpoint) {
            return;
        }
        List<EncodedBatch> group = new ArrayList<>(batches.subList(0, count));
        if (withCheckpoint) {
            group.add(boundaryAfter, encoder.apply(checkpoint.get()));
        }
        for (EncodedBatch committed : batches.subList(0, count)) {
            committed.batch().events().forEach(e -> ids.remove(e.eventId()));
            events -= committed.size();
        }
        batches.subList(0, count).clear();
        if (withCheckpoint) {
            boundaryAfter = -1;
            checkpoint = null;
        } else if (boundaryAfter >= 0) {
            boundaryAfter -= count;
        }
        List<boolean[]> results = writer.commitAll(group);
        for (int i = 0; i < group.size(); i++) {
            if (results.get(i) == null) {
                throw group.get(i).failure();
            }
        }
    }
}
