package io.autotrade.backtest.internal;

import io.autotrade.api.trading.Candle;
import java.time.Duration;
import java.util.List;

/** Where a candle series skips intervals: minute data on Upbit has such gaps where nothing traded. */
final class Gaps {
    private Gaps() {
    }

    /** @return the places where a candle opens later than the previous one closes */
    static int count(List<Candle> candles) {
        int gaps = 0;
        for (int i = 1; i < candles.size(); i++) {
            if (candles.get(i).openTime().isAfter(candles.get(i - 1).closeTime())) {
                gaps++;
            }
        }
        return gaps;
    }

    /** @return the intervals skipped at those places, in all */
    static long missing(List<Candle> candles) {
        long missing = 0;
        for (int i = 1; i < candles.size(); i++) {
            Candle previous = candles.get(i - 1);
            Duration skipped = Duration.between(previous.closeTime(), candles.get(i).openTime());
            if (skipped.isPositive()) {
                missing += skipped.toMillis() / previous.interval().toMillis();
            }
        }
        return missing;
    }
}
