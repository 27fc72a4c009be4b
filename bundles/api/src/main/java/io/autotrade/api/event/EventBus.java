package io.autotrade.api.event;

import java.time.Duration;
import java.util.concurrent.TimeoutException;

/**
 * The bus every bundle publishes domain events through. The implementation (core bundle) puts each
 * event in the lane of its {@link DomainEvent#priority()}, delivers it through EventAdmin on the
 * event's topic, and keeps per-aggregate publish order within a lane.
 *
 * <p>Subscribers are EventAdmin {@code EventHandler} services (whiteboard); see {@link EventProperties}
 * for the properties an event carries and how to get the {@link DomainEvent} back.
 */
public interface EventBus {

    /**
     * Queues the event for delivery and returns.
     *
     * @param event a validated domain event
     * @throws EventBusException if the event cannot be queued (the bus is stopped or the lane is full)
     */
    void publish(DomainEvent<?> event);

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
}
