package io.autotrade.api.event;

import java.util.List;
import org.osgi.framework.ServiceReference;

/**
 * Operator view and control of the event bus: lane statistics and the dead-letter queue. Used by the
 * shell ({@code trade:bus}, {@code trade:dlq}). Only the core bundle implements it (a provider type: a method added
 * is a minor version of the package).
 */
@org.osgi.annotation.versioning.ProviderType
public interface EventBusAdmin {

    /** What a replay of one dead letter did. */
    enum ReplayOutcome {
        /** The handler handled the event; the letter is gone and the success is in the processing log. */
        DELIVERED,
        /** The processing log says the handler already handled it: not called again; the letter is gone. */
        ALREADY_HANDLED,
        /** The handler failed again; the letter stays with one more attempt and the new error. */
        FAILED,
        /** No handler with the letter's handler id is registered now; the letter stays. */
        HANDLER_ABSENT,
        /** No letter has that id. */
        NOT_FOUND
    }

    /**
     * @return how long the journal's commits have taken (a publish's events with their deliveries, one transaction
     *         each), since the bus started; a backtest's grouped commits are not counted
     */
    default LatencySummary journalCommits() {
        return LatencySummary.NONE;
    }

    /**
     * Waits until the bus has taken up a whiteboard {@code EventHandler} service (OSGi Compendium R8, 113.4): its
     * registration has reached the bus, which from then on delivers the events of the handler's topics to it. A
     * framework tells its service listeners of a registration one after the other (OSGi Core R8, 5.7), so whoever saw
     * the service appear may run ahead of the bus; wait for this before publishing what the new handler must see
     * (a backtest's first candle for the strategy it just configured). The bus wakes the caller as it takes the
     * handler up: there is no polling.
     *
     * @param handler the reference of an {@code EventHandler} service
     * @param wait    how long to wait at most; {@code Duration.ZERO} only asks
     * @return {@code true} once the bus has taken it up (also when none of its topics is an autotrade topic, so it
     *         gets nothing); {@code false} if it did not within {@code wait}, or the service is unregistered
     * @throws InterruptedException if interrupted while waiting
     */
    boolean tracks(ServiceReference<?> handler, java.time.Duration wait) throws InterruptedException;

    /**
     * Why the journal refuses writes now (the last commit failed and no commit or probe has succeeded
     * since): while it does, durable publishes throw, and trading is halted.
     *
     * @return the journal's error, or {@code null} while it commits normally
     */
    String journalFault();

    /** @return one entry per lane, highest priority first */
    List<LaneStatistics> statistics();

    /**
     * @return every dead letter, oldest first
     * @throws EventStoreException if the dead-letter store cannot be read
     */
    List<DeadLetter> deadLetters();

    /**
     * Delivers a dead letter's event to its handler once, on the lane worker that owns the event's
     * aggregate, and waits for the outcome.
     *
     * @param id a letter id
     * @return what happened
     * @throws EventStoreException  if the dead-letter store fails
     * @throws InterruptedException if interrupted while waiting for the worker
     */
    ReplayOutcome replay(long id) throws InterruptedException;

    /**
     * Forgets a handler that will not come back (a removed strategy instance): the journal stops
     * keeping deliveries for it while it is away and drops those it kept.
     *
     * @param handlerId the handler's id
     * @return the pending deliveries dropped
     * @throws EventStoreException if the journal fails
     */
    int forget(String handlerId);

    /**
     * @param id a letter id
     * @return {@code false} if there was no such letter
     * @throws EventStoreException if the dead-letter store fails
     */
    boolean discard(long id);
}
