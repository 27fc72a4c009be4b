package io.autotrade.api.event;

/**
 * How long something took, over every time it happened since the runtime started.
 *
 * @param count     how many times it was measured
 * @param p50Nanos  the median, nanoseconds (0 when count is 0)
 * @param p99Nanos  the 99th percentile, nanoseconds (0 when count is 0)
 * @param maxNanos  the longest, nanoseconds (0 when count is 0)
 * @param sumNanos  all of them added, nanoseconds (for a Prometheus summary's {@code _sum})
 */
public record LatencySummary(long count, long p50Nanos, long p99Nanos, long maxNanos, long sumNanos) {
    /** Nothing measured yet. */
    public static final LatencySummary NONE = new LatencySummary(0, 0, 0, 0, 0);
}
