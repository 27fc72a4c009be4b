package io.autotrade.api.trading;

import static io.autotrade.api.trading.Decimals.positive;
import static io.autotrade.api.trading.Decimals.required;

import java.math.BigDecimal;

/**
 * What makes an order a protective exit: why, and the price that triggered it. On paper and in a backtest the
 * exit fills at that price (the level, or the open when the price opened beyond it); live it is a market
 * order sent when the ticker crossed the level, and the difference to the fill is the slippage.
 *
 * @param reason       why the position is closed (never {@link ExitReason#SIGNAL}: a strategy's sell is no exit)
 * @param triggerPrice the price that triggered it, quote currency per base unit
 */
public record Exit(ExitReason reason, BigDecimal triggerPrice) {
    /** @throws IllegalArgumentException if a field is missing, the price is not positive or the reason is SIGNAL */
    public Exit {
        required(reason, "exit reason");
        positive(triggerPrice, "trigger price");
        if (reason == ExitReason.SIGNAL) {
            throw new IllegalArgumentException("a strategy's sell signal carries no exit");
        }
    }
}
