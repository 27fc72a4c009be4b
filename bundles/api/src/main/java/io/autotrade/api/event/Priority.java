package io.autotrade.api.event;

/**
 * The delivery lanes of the event bus, highest priority first. Each lane has its own bounded queue
 * and worker, so traffic in a lower lane never delays a higher one.
 */
public enum Priority {
    /** Market data, signals, orders, fills, positions: the trading path. */
    CRITICAL_TRADING(1),
    /** Risk breaches, trading-state changes, critical failures. */
    HIGH_SAFETY(2),
    /** Configuration and database-profile changes. */
    MEDIUM_CONFIG(3),
    /** Log entries. */
    LOW_LOGGING(4),
    /** Housekeeping. */
    LOWEST_CLEANUP(5);

    private final int rank;

    Priority(int rank) {
        this.rank = rank;
    }

    /** @return the lane number, 1 (highest) to 5 (lowest), as carried in the {@code priority} event property */
    public int rank() {
        return rank;
    }

    /**
     * @param rank a lane number 1..5
     * @return the priority with that rank
     * @throws IllegalArgumentException if no lane has that number
     */
    public static Priority ofRank(int rank) {
        for (Priority p : values()) {
            if (p.rank == rank) {
                return p;
            }
        }
        throw new IllegalArgumentException("priority rank must be 1..5, was " + rank);
    }
}
