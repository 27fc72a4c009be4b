package io.autotrade.bench;

import io.autotrade.api.event.DeadLetter;
import io.autotrade.api.event.DeadLetterStore;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/** The bus in memory: benchmarks have no failing handlers, so a dead letter is a bug worth a loud stop. */
final class NoDeadLetters implements DeadLetterStore {
    @Override
    public DeadLetter add(DeadLetter letter) {
        throw new IllegalStateException("a benchmark handler failed: " + letter.lastError());
    }

    @Override
    public List<DeadLetter> list() {
        return List.of();
    }

    @Override
    public Optional<DeadLetter> get(long id) {
        return Optional.empty();
    }

    @Override
    public void replayFailed(long id, int attempts, String lastError, String stackSummary) {
    }

    @Override
    public boolean resolve(long id, Instant handledAt) {
        return false;
    }

    @Override
    public boolean discard(long id) {
        return false;
    }

    @Override
    public boolean handled(UUID eventId, String handlerId) {
        return false;
    }
}
