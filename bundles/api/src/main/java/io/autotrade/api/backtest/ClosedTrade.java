package io.autotrade.api.backtest;

import io.autotrade.api.trading.ExitReason;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;

/**
 * A round trip: from the first fill that opened a position to the fill that made it flat again.
 *
 * @param entryTime  the first buy fill, UTC
 * @param exitTime   the fill that closed the position, UTC
 * @param entryPrice volume-weighted average buy price, quote per base, half-even to 8 places
 * @param exitPrice  volume-weighted average sell price, quote per base, half-even to 8 places
 * @param volume     total volume bought (= sold), base currency
 * @param pnl        sell proceeds - buy cost - every fee of the trip, quote currency, exact: after fees
 * @param fees       the fees of the trip, quote currency, exact
 * @param holding    exitTime - entryTime
 * @param exitReason why the closing fill's order sold ({@code signal}, {@code stop_loss}, ...)
 * @param mae        maximum adverse excursion: the lowest price the position saw (each candle's low while it was
 *                   held, and the exit) over the entry price, minus 1; a fraction, at most 0, half-even to 10 places
 * @param mfe        maximum favorable excursion: the highest price it saw (each candle's high while held, and the
 *                   exit) over the entry price, minus 1; a fraction, at least 0
 */
public record ClosedTrade(Instant entryTime, Instant exitTime, BigDecimal entryPrice, BigDecimal exitPrice,
        BigDecimal volume, BigDecimal pnl, BigDecimal fees, Duration holding, ExitReason exitReason, BigDecimal mae,
        BigDecimal mfe) {

    /** @return sell proceeds - buy cost, before fees, quote currency */
    public BigDecimal pnlBeforeFees() {
        return pnl.add(fees);
    }
}
