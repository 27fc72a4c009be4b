package io.autotrade.core.internal;

import io.autotrade.api.event.Priority;

/**
 * Counters of one lane.
 *
 * @param priority  the lane
 * @param depth     events queued now
 * @param published events accepted into the queue
 * @param delivered events handed to every handler
 * @param failed    events whose delivery threw
 * @param rejected  events refused because the queue was full
 */
record LaneStats(Priority priority, int depth, long published, long delivered, long failed, long rejected) {
}
