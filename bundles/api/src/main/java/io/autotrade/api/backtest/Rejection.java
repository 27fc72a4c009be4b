package io.autotrade.api.backtest;

import java.time.Instant;

/**
 * An order refused during a backtest.
 *
 * @param time    when it was refused, UTC (market time)
 * @param orderId our client order id
 * @param code    why, machine-readable: {@code risk:<rule>} for a pre-trade check (e.g.
 *                {@code risk:max.order.notional}), else the exchange's error name (e.g. {@code insufficient_funds_bid})
 * @param reason  why, for people, with the numbers
 */
public record Rejection(Instant time, String orderId, String code, String reason) {
}
