package io.autotrade.api.event;

/**
 * The typed body of a {@link DomainEvent}. Implementations are immutable records that validate
 * their fields at construction, so an invalid payload can never be published.
 */
public interface EventPayload {

    /** @return the kind of event this payload makes: type, version, topic, lane, durability */
    EventKind kind();

    /**
     * @return the identity of the aggregate the event belongs to (an order's client order id, a
     *         market code for candles and positions, a strategy id for signals); events of one
     *         aggregate are delivered in publish order
     */
    String aggregateId();
}
