package io.autotrade.api.portfolio;

import io.autotrade.api.trading.ClientOrderId;
import io.autotrade.api.trading.Exit;
import io.autotrade.api.trading.ExitReason;
import io.autotrade.api.trading.OrderSpec;
import io.autotrade.api.trading.OrderState;
import java.math.BigDecimal;
import java.time.Instant;

/**
 * One order as the order manager knows it.
 *
 * @param orderId        our client order id
 * @param strategyId     the strategy that asked for it
 * @param spec           what was ordered
 * @param state          the current state
 * @param executedVolume filled volume so far, base currency
 * @param executedFunds  filled notional so far, quote currency
 * @param paidFee        fees so far, quote currency
 * @param venueOrderId   the exchange's order id, or null before acceptance
 * @param reason         why it was rejected or canceled, or null
 * @param createdAt      when it was requested, UTC
 * @param updatedAt      when it last changed, UTC
 * @param exit           the protective exit the order is, or null (a buy, or a strategy's sell)
 */
public record OrderView(ClientOrderId orderId, String strategyId, OrderSpec spec, OrderState state,
        BigDecimal executedVolume, BigDecimal executedFunds, BigDecimal paidFee, String venueOrderId, String reason,
        Instant createdAt, Instant updatedAt, Exit exit) {

    /** @return why this order closes a position: its exit's reason, else {@link ExitReason#SIGNAL} for a sell, else null */
    public ExitReason exitReason() {
        return ExitReason.of(exit, spec.side());
    }
}
