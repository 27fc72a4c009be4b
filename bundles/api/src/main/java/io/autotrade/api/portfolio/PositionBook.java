package io.autotrade.api.portfolio;

import io.autotrade.api.trading.Market;
import io.autotrade.api.trading.Position;
import java.util.List;
import java.util.Optional;

/** The positions kept by the position manager, marked to the last known price. */
public interface PositionBook {

    /** @param market a market @return its position, or empty if it never traded */
    Optional<Position> position(Market market);

    /** @return every position that ever traded, by market code */
    List<Position> positions();
}
