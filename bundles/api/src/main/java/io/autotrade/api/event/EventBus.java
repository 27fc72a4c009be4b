package io.autotrade.api.event;

import java.time.Duration;
import java.util.concurrent.TimeoutException;

/**
 * The bus every bundle publishes domain events through. The implementation (core bundle) routes
 * each event to a priority lane (its topic's configured lane, or the event's own
 * {@link DomainEvent#priority()} when the publisher set one other than the kind's default) and
 * delivers it to every matching {@code EventHandler} service, the EventAdmin whiteboard (OSGi
 * Compendium R8, 113.4 and 113.6: {@code event.topics}, {@code event.filter}), on the lane's
 * workers. Within a lane, events of one aggregate reach each handler in publish order, once per
 * handler; a failing handler is retried with backoff and finally dead-lettered (see
 * {@link EventBusAdmin}).
 *
 * <p>See {@link EventProperties} for the properties an event carries and how to get the
 * {@link DomainEvent} back. Events posted to EventAdmin directly bypass the lanes, retries and
 * dead letters.
 */
public interface EventBus {

    /**
     * Publishes the event. A durable event (see {@link EventKind#durable()}) is committed to the
     * write-ahead journal first and the call returns only after the commit (its acknowledgment); an
     * event with the same id already journaled is acknowledged without being dispatched again. An
     * event published by a handler during its call is journaled and dispatched when the call has
     * succeeded, in one transaction with the record that the handler handled its event.
     *
     * @param event a validated domain event
     * @throws EventBusException if the event cannot be committed to the journal, or queued: the bus is
     *                           stopped, or the lane is full (at once for lower lanes; after the
     *                           configured wait for the trading lane)
     */
    void publish(DomainEvent<?> event);

    /**
     * Publishes the events in order; the durable ones are committed to the journal together, so the
     * call waits for one commit instead of one per event. Returns once they are committed (acknowledged).
     *
     * @param events events to publish
     * @throws EventBusException if they cannot be committed (then none of them is published) or queued
     */
    default void publishAll(java.util.List<DomainEvent<?>> events) {
        events.forEach(this::publish);
    }

    /**
     * Waits until every published event, and every event its handlers published in turn, has been
     * delivered. A backtest calls this between candles so that candle t+1 is published only after
     * all consequences of candle t are handled.
     *
     * @param timeout how long to wait at most
     * @throws TimeoutException     if events are still in flight after the timeout
     * @throws InterruptedException if the waiting thread is interrupted
     */
    void awaitQuiescence(Duration timeout) throws TimeoutException, InterruptedException;

    /**
     * Runs the work with the calling thread as the bus's only deliverer: the lane workers pause, and every
     * {@link #awaitQuiescence} of this thread delivers, itself and in lane order, whatever is queued until nothing is
     * in flight. A replay (a backtest, candles fed into paper trading) runs this way: one thread, no hand-off between
     * threads per event, the same handlers, journal, retries and dead letters. Events other threads publish meanwhile
     * wait for this thread's next {@code awaitQuiescence}; when the work ends, everything still queued is delivered
     * and the workers resume.
     *
     * @param work what to run, e.g. the replay's loop of publish and {@code awaitQuiescence}
     * @throws EventBusException if another thread is driving the bus already
     */
    default void drive(Runnable work) {
        work.run();
    }

    /**
     * Publishes market data that a replay can read again from its source (a candle file): delivered as
     * {@link #publish} delivers it, in order and with the same handlers, retries and dead letters. While this thread
     * {@link #drive}s a bus whose driven commits are grouped (a backtest), the event itself is not journaled: it gets
     * no pending deliveries and no processing-log entries, and its handlers' outputs are journaled as usual, caused by
     * it. The replay journals where it got instead ({@link #boundary}). Otherwise, and by default, this is
     * {@link #publish}.
     *
     * @param event a validated domain event, e.g. a candle's open or close
     * @throws EventBusException as {@link #publish} does
     */
    default void publishReplayed(DomainEvent<?> event) {
        publish(event);
    }

    /**
     * Marks the point between two steps of a driven replay at which everything published so far has been handled
     * (call it after {@link #awaitQuiescence}): a journal that groups the driver's commits commits only at such points,
     * each group ending with the checkpoint the supplier makes then, so that after a crash the journal ends at a
     * checkpoint with every consequence of the steps before it and none of the steps after. Without grouped commits,
     * and by default, nothing happens.
     *
     * @param checkpoint makes the event recording how far the replay got (called at most once, maybe on another thread)
     */
    default void boundary(java.util.function.Supplier<DomainEvent<?>> checkpoint) {
    }
}
