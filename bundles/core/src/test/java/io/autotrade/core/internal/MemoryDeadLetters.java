package io.autotrade.core.internal;

import io.autotrade.api.event.DeadLetter;
import io.autotrade.api.event.DeadLetterStore;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/** A dead-letter store in memory, for unit tests of the bus. */
final class MemoryDeadLetters implements DeadLetterStore {
    private final TreeMap<Long, DeadLetter> letters = new TreeMap<>();
    final Set<String> processed = ConcurrentHashMap.newKeySet();
    private long next = 1;

    @Override
    public synchronized DeadLetter add(DeadLetter letter) {
        DeadLetter stored = letter.withId(next++);
        letters.put(stored.id(), stored);
        return stored;
    }

    @Override
    public synchronized List<DeadLetter> list() {
        return new ArrayList<>(letters.values());
    }

    @Override
    public synchronized Optional<DeadLetter> get(long id) {
        return Optional.ofNullable(letters.get(id));
    }

    @Override
    public synchronized void replayFailed(long id, int attempts, String lastError, String stackSummary) {
        DeadLetter l = letters.get(id);
        letters.put(id, new DeadLetter(id, l.event(), l.handlerId(), l.lane(), attempts, lastError, stackSummary,
                l.deadLetteredAt()));
    }

    @Override
    public synchronized boolean resolve(long id, Instant handledAt) {
        DeadLetter l = letters.remove(id);
        if (l == null) {
            return false;
        }
        processed.add(l.event().eventId() + "/" + l.handlerId());
        return true;
    }

    @Override
    public synchronized boolean discard(long id) {
        return letters.remove(id) != null;
    }

    @Override
    public boolean handled(UUID eventId, String handlerId) {
        return processed.contains(eventId + "/" + handlerId);
    }
}
