package io.autotrade.core.internal;

import io.autotrade.api.event.DeadLetter;
import io.autotrade.api.event.DeadLetterStore;
import io.autotrade.api.event.EventBusAdmin.ReplayOutcome;
import io.autotrade.api.event.EventBusException;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.osgi.service.log.Logger;

/**
 * A dead letter replayed by request ({@code trade:dlq replay}): on the worker that owns its aggregate, so it
 * keeps its place among that aggregate's events; one call to its handler, recorded either way (resolved and
 * logged as handled, or its attempts and last error updated). A letter whose handler already handled the
 * event is removed without a call.
 */
final class DeadLetterReplay {
    private static final long REPLAY_WAIT_SECONDS = 60;

    private final DeadLetterStore deadLetters;
    private final Handlers handlers;
    private final InFlight inFlight;
    private final Lane[] lanes;
    private final Logger logger;

    DeadLetterReplay(DeadLetterStore deadLetters, Handlers handlers, InFlight inFlight, Lane[] lanes, Logger logger) {
        this.deadLetters = deadLetters;
        this.handlers = handlers;
        this.inFlight = inFlight;
        this.lanes = lanes;
        this.logger = logger;
    }

    /**
     * Replays one dead letter on its aggregate's worker and waits for the outcome.
     *
     * @param id the letter
     * @return what became of it
     * @throws InterruptedException  if interrupted while waiting
     * @throws IllegalStateException if called from a worker of the letter's lane (it would wait for itself)
     * @throws EventBusException     if the replay failed to run or did not finish in time
     */
    ReplayOutcome replay(long id) throws InterruptedException {
        Optional<DeadLetter> found = deadLetters.get(id);
        if (found.isEmpty()) {
            return ReplayOutcome.NOT_FOUND;
        }
        DeadLetter letter = found.get();
        Lane lane = lanes[letter.lane().ordinal()];
        if (lane.isWorker(Thread.currentThread())) {
            throw new IllegalStateException("replay called from a " + lane.priority + " lane worker: it would wait for itself");
        }
        CompletableFuture<ReplayOutcome> outcome = new CompletableFuture<>();
        inFlight.begin();
        try {
            lane.workerFor(letter.event().aggregateId()).submit(new Worker.Replay(letter, outcome));
            return outcome.get(REPLAY_WAIT_SECONDS, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            throw new EventBusException("replay of dead letter #" + id + " failed: " + e.getCause().getMessage(), e.getCause());
        } catch (TimeoutException e) {
            throw new EventBusException("replay of dead letter #" + id + " did not finish within " + REPLAY_WAIT_SECONDS
                    + " s; its handler may be blocked (see trade:bus)", e);
        } finally {
            inFlight.end();
        }
    }

    /** Runs on the worker owning the letter's aggregate: one call to the handler, recorded either way. */
    ReplayOutcome onWorker(Worker worker, DeadLetter queued) {
        Optional<DeadLetter> current = deadLetters.get(queued.id());
        if (current.isEmpty()) {
            return ReplayOutcome.NOT_FOUND; // replayed or discarded meanwhile
        }
        DeadLetter letter = current.get();
        if (deadLetters.handled(letter.event().eventId(), letter.handlerId())) {
            deadLetters.discard(letter.id());
            logger.warn("dead letter #{}: handler {} already handled {} {}; not called again, letter removed",
                    letter.id(), letter.handlerId(), letter.event().type(), letter.event().eventId());
            return ReplayOutcome.ALREADY_HANDLED;
        }
        Subscription subscription = handlers.byId(letter.handlerId());
        if (subscription == null) {
            return ReplayOutcome.HANDLER_ABSENT;
        }
        Envelope envelope = new Envelope(letter.event(), System.nanoTime());
        Throwable failure = worker.call(envelope, subscription, letter.attempts() + 1);
        if (failure == null) {
            worker.lane().delivered.increment();
            deadLetters.resolve(letter.id(), Instant.now());
            logger.info("dead letter #{} replayed: handler {} handled {} {}", letter.id(), letter.handlerId(),
                    letter.event().type(), letter.event().eventId());
            return ReplayOutcome.DELIVERED;
        }
        deadLetters.replayFailed(letter.id(), letter.attempts() + 1, Failures.error(failure),
                Failures.stackSummary(failure));
        logger.error("replay of dead letter #{} failed again in handler {}: {}", letter.id(), letter.handlerId(),
                Failures.error(failure));
        return ReplayOutcome.FAILED;
    }
}
