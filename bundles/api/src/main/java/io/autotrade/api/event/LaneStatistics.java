package io.autotrade.api.event;

/**
 * Counters of one bus lane since the bus started.
 *
 * @param lane              the lane
 * @param workers           worker threads of the lane
 * @param capacity          queue bound, events
 * @param depth             events queued now, not yet taken by a worker
 * @param highWaterMark     the largest depth seen
 * @param published         events accepted into the lane
 * @param delivered         successful handler calls (one event with two handlers counts two)
 * @param retried           handler calls that failed and were scheduled again
 * @param deadLettered      (event, handler) pairs moved to the dead-letter store
 * @param rejected          publishes refused because the lane was full or the bus stopped
 * @param slowCalls         handler calls the watchdog reported as slower than its threshold
 * @param latencyP50Nanos   median time from publish to the start of a handler call, ns (0 if none yet)
 * @param latencyP99Nanos   99th percentile of the same, ns
 */
public record LaneStatistics(Priority lane, int workers, int capacity, int depth, int highWaterMark, long published,
        long delivered, long retried, long deadLettered, long rejected, long slowCalls, long latencyP50Nanos,
        long latencyP99Nanos) {
}
