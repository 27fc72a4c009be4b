package io.autotrade.api.trading;

import static io.autotrade.api.trading.Decimals.required;

import io.autotrade.api.event.EventKind;
import io.autotrade.api.event.EventPayload;
import io.autotrade.api.event.Priority;
import io.autotrade.api.event.Topics;

/**
 * A position changed because of a fill.
 *
 * @param position the position after the fill
 */
public record PositionUpdated(Position position) implements EventPayload, MarketScoped {
    /** Type {@code position.updated}, topic {@link Topics#POSITION_UPDATED}, trading lane, durable. */
    public static final EventKind KIND = new EventKind("position.updated", 1, Topics.POSITION_UPDATED,
            Priority.CRITICAL_TRADING, true, PositionUpdated.class);

    /** @throws IllegalArgumentException if the position is missing */
    public PositionUpdated {
        required(position, "position");
    }

    @Override
    public EventKind kind() {
        return KIND;
    }

    @Override
    public String aggregateId() {
        return position.market().code();
    }

    @Override
    public Market market() {
        return position.market();
    }
}
