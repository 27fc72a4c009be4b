package io.autotrade.api.trading;

import static io.autotrade.api.trading.Decimals.required;

import io.autotrade.api.event.EventKind;
import io.autotrade.api.event.EventPayload;
import io.autotrade.api.event.Priority;
import io.autotrade.api.event.Topics;
import java.time.Instant;

/**
 * How far a backtest's replay of a candle file got: the journal's record of the candles in place of the candles
 * themselves (a backtest does not journal them row by row; the file is the record). The replay marks every candle's
 * end as a point the journal may commit at, and the journal writes this checkpoint last in each commit of the replay,
 * so after a crash it names the last candle whose every consequence (signals, orders, fills, positions) is
 * journaled, and nothing after it is. A resumed run checks the file against {@link #sha256}, warms the strategies up
 * on the candles up to {@link #through} and trades from the next.
 *
 * @param market   the market replayed
 * @param source   the candle file's name (no folder), or {@code candles} when the candles came from no file
 * @param sha256   the SHA-256 of the file's bytes, lower-case hex, or the empty string without a file
 * @param firstOpen the open time of the replay's first candle, UTC
 * @param through  the close time of the last candle handled whole, UTC
 * @param candles  how many candles were handled whole, warm-up included, &gt; 0
 */
public record ReplayCheckpoint(Market market, String source, String sha256, Instant firstOpen, Instant through,
        long candles) implements EventPayload, MarketScoped {
    /** Type {@code market.replay_checkpoint}, topic {@link Topics#REPLAY_CHECKPOINT}, trading lane, durable. */
    public static final EventKind KIND = new EventKind("market.replay_checkpoint", 1, Topics.REPLAY_CHECKPOINT,
            Priority.CRITICAL_TRADING, true, ReplayCheckpoint.class);

    /** @throws IllegalArgumentException if a field is missing, the count is not positive or through is before firstOpen */
    public ReplayCheckpoint {
        required(market, "market");
        required(source, "source");
        required(sha256, "sha256");
        required(firstOpen, "first open");
        required(through, "through");
        if (candles <= 0) {
            throw new IllegalArgumentException("a replay checkpoint counts at least one candle, was " + candles);
        }
        if (through.isBefore(firstOpen)) {
            throw new IllegalArgumentException("replay checkpoint through " + through + " is before its first open " + firstOpen);
        }
    }

    @Override
    public EventKind kind() {
        return KIND;
    }

    @Override
    public String aggregateId() {
        return market.code();
    }
}
