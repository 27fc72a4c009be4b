package io.autotrade.api.backtest;

import io.autotrade.api.trading.ExitReason;
import java.math.BigDecimal;

/**
 * The round trips one exit reason closed, for the report's table of exits.
 *
 * @param reason     why they were closed
 * @param roundTrips how many
 * @param pnl        their PnL net of fees, quote currency, exact
 */
public record ExitSummary(ExitReason reason, int roundTrips, BigDecimal pnl) {
}
