package io.autotrade.backtest.internal;

import io.autotrade.api.backtest.ClosedTrade;
import io.autotrade.api.trading.Candle;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The price range each holding saw, for the round trips' MAE and MFE: folded candle by candle as the replay marks
 * them, one entry per stretch of closes that held a position (as many as there were trades, not candles).
 */
final class Excursions {
    /** One stretch of candle closes with a position: its first close, and the lowest low and highest high. */
    private record Held(Instant firstClose, BigDecimal low, BigDecimal high) {
    }

    private final List<Held> held = new ArrayList<>();
    private Held current;

    /**
     * @param candle   a candle, after its close was marked
     * @param position the base volume held at its close
     */
    void add(Candle candle, BigDecimal position) {
        if (position.signum() > 0) {
            current = current == null ? new Held(candle.closeTime(), candle.low(), candle.high())
                    : new Held(current.firstClose(), current.low().min(candle.low()), current.high().max(candle.high()));
        } else if (current != null) {
            held.add(current);
            current = null;
        }
    }

    /**
     * @param trip a round trip without its excursions
     * @return it with its MAE and MFE: the range of the candles held between its entry and exit (the entry's own
     *         candle among them: an entry fills at a candle's open), widened to the exit price
     */
    ClosedTrade of(ClosedTrade trip) {
        BigDecimal low = trip.exitPrice().min(trip.entryPrice());
        BigDecimal high = trip.exitPrice().max(trip.entryPrice());
        List<Held> all = all();
        int lo = 0;
        int hi = all.size();
        while (lo < hi) { // the first stretch that starts at or after the entry
            int mid = (lo + hi) >>> 1;
            if (all.get(mid).firstClose().isBefore(trip.entryTime())) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        if (lo < all.size() && !all.get(lo).firstClose().isAfter(trip.exitTime())) {
            low = low.min(all.get(lo).low());
            high = high.max(all.get(lo).high());
        }
        BigDecimal mae = low.divide(trip.entryPrice(), BacktestMetrics.SCALE, RoundingMode.HALF_EVEN).subtract(BigDecimal.ONE);
        BigDecimal mfe = high.divide(trip.entryPrice(), BacktestMetrics.SCALE, RoundingMode.HALF_EVEN).subtract(BigDecimal.ONE);
        return new ClosedTrade(trip.entryTime(), trip.exitTime(), trip.entryPrice(), trip.exitPrice(), trip.volume(), trip.pnl(),
                trip.fees(), trip.holding(), trip.exitReason(), mae.min(BigDecimal.ZERO), mfe.max(BigDecimal.ZERO));
    }

    private List<Held> all() {
        if (current == null) {
            return held;
        }
        List<Held> out = new ArrayList<>(held);
        out.add(current);
        return out;
    }
}
