package io.autotrade.core.internal;

/**
 * One handler's view of one aggregate: while a delivery of this pair waits for a retry, later events
 * of the aggregate for the handler wait behind it.
 *
 * @param aggregateId the aggregate
 * @param handlerId   the handler
 */
record SequenceKey(String aggregateId, String handlerId) {
}
