package io.autotrade.api.trading;

import static io.autotrade.api.trading.Decimals.nonNegative;
import static io.autotrade.api.trading.Decimals.required;
import static io.autotrade.api.trading.Decimals.text;

import io.autotrade.api.event.EventKind;
import io.autotrade.api.event.EventPayload;
import io.autotrade.api.event.Priority;
import io.autotrade.api.event.Topics;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.Map;

/**
 * A strategy instance's position as the protection guards it, after every change (an entry or exit fill, a
 * trailing level moved up, new exit rules, an exit sent or failed): the protection's state, rebuilt from the
 * last of these per instance after a restart. Levels are on the market's tick; null where the rule is off or
 * the position is flat.
 *
 * @param strategyId    the instance
 * @param market        its market
 * @param volume        held volume, base currency (0: flat, nothing guarded)
 * @param entryPrice    volume-weighted price of the entry fills, quote per base, or null when flat
 * @param entryTime     the first entry fill, UTC, or null when flat
 * @param highest       the highest price since entry (the entry price, then each range's high), or null when flat
 * @param stopLevel     exit at or below this ({@code stop.loss}), or null
 * @param targetLevel   exit at or above this ({@code take.profit}; with a ROI table, its target as of the last check), or null
 * @param trailingLevel exit at or below this ({@code trailing.stop}; never moves down), or null
 * @param exitOrder     the exit order in flight, or null
 * @param rules         the instance's exit settings in force ({@code stop.loss}, ...), empty for none
 * @param reason        what changed, for people
 */
public record ProtectionUpdated(String strategyId, Market market, BigDecimal volume, BigDecimal entryPrice,
        Instant entryTime, BigDecimal highest, BigDecimal stopLevel, BigDecimal targetLevel, BigDecimal trailingLevel,
        ClientOrderId exitOrder, Map<String, String> rules, String reason)
        implements EventPayload, MarketScoped, StrategyScoped {
    /** Type {@code protection.updated}, topic {@link Topics#PROTECTION_UPDATED}, trading lane, durable. */
    public static final EventKind KIND = new EventKind("protection.updated", 1, Topics.PROTECTION_UPDATED,
            Priority.CRITICAL_TRADING, true, ProtectionUpdated.class);

    /** @throws IllegalArgumentException if a required field is missing or the volume is negative */
    public ProtectionUpdated {
        text(strategyId, "strategy id");
        required(market, "market");
        nonNegative(volume, "volume");
        rules = Map.copyOf(required(rules, "rules"));
        text(reason, "reason");
    }

    @Override
    public EventKind kind() {
        return KIND;
    }

    @Override
    public String aggregateId() {
        return strategyId;
    }
}
