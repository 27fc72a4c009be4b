package io.autotrade.store.sqlite.internal;

import io.autotrade.api.event.DomainEvent;
import io.autotrade.api.event.EventStoreException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.function.Predicate;

/**
 * The batches a replay's driver journals with later ones ({@code EventJournal.commitDeferred}): kept in order
 * and committed together, in one transaction, when they hold {@value #MAX_EVENTS} events or when the store is
 * read or written otherwise ({@link #flush}). A crash before that loses the group whole, so the journal stays a
 * prefix of what was published, as a lost single commit leaves it.
 */
final class DeferredCommits {
    /** Events a group holds at most before it is committed. */
    static final int MAX_EVENTS = 32_768;

    private final JournalWriter<EncodedBatch> writer;
    private final Predicate<UUID> stored;
    private final List<EncodedBatch> batches = new ArrayList<>();
    private final Set<UUID> ids = new HashSet<>();
    private int events;

    /**
     * @param writer the journal's writer
     * @param stored whether the journal holds an event id already
     */
    DeferredCommits(JournalWriter<EncodedBatch> writer, Predicate<UUID> stored) {
        this.writer = writer;
        this.stored = stored;
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
        if (events >= MAX_EVENTS) {
            flush();
        }
        return appended;
    }

    /**
     * Commits what is deferred, in one transaction.
     *
     * @throws EventStoreException if the commit failed; then nothing of the group is stored
     */
    synchronized void flush() {
        if (batches.isEmpty()) {
            return;
        }
        List<EncodedBatch> group = List.copyOf(batches);
        batches.clear();
        ids.clear();
        events = 0;
        List<boolean[]> results = writer.commitAll(group);
        for (int i = 0; i < group.size(); i++) {
            if (results.get(i) == null) {
                throw group.get(i).failure();
            }
        }
    }
}
