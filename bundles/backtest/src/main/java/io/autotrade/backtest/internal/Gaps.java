package io.autotrade.backtest.internal;

import io.autotrade.api.trading.Candle;
import java.time.Duration;

/** Where a candle series skips intervals: minute data on Upbit has such gaps where nothing traded. */
final class Gaps {
    private Candle previous;
    private int count;
    private long missing;

    /** @param candle the next candle, in time order */
    void add(Candle candle) {
        if (previous != null) {
            Duration skipped = Duration.between(previous.closeTime(), candle.openTime());
            if (skipped.isPositive()) {
                count++;
                missing += skipped.toMillis() / previous.interval().toMillis();
            }
        }
        previous = candle;
    }

    /** @return the places where a candle opens later than the previous one closes */
    int count() {
        return count;
    }

    /** @return the intervals skipped at those places, in all */
    long missing() {
        return missing;
    }

    /** @return the last candle added, or null */
    Candle last() {
        return previous;
    }
}
