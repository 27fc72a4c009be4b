package io.autotrade.api.marketdata;

import io.autotrade.api.trading.Candle;
import io.autotrade.api.trading.Market;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * Historical candles: reading them from a file and replaying them through the event bus.
 *
 * <p>Supported file formats (detected from the content): pyupbit {@code get_ohlcv} CSV exports with a
 * KST index, {@code Date,Open,High,Low,Close,Volume} daily CSV (KST days), Upbit REST candle fields as
 * CSV or as the JSON the API returns, and {@code open_time,open,high,low,close,volume} with UTC offsets.
 */
public interface MarketDataSource {

    /**
     * Reads every candle of a file, in time order.
     *
     * @param file   the candle file
     * @param market the market, required when the file does not name one; when both exist they must agree
     * @return the candles, oldest first, at least one
     * @throws CandleFormatException if the file cannot be read or any row is malformed (file, line and column named)
     */
    List<Candle> read(Path file, Optional<Market> market);

    /**
     * Replays candles through the bus deterministically: for each candle a {@code CandleOpened} and
     * then a {@code CandleClosed} event, each published only after every consequence of the previous
     * one (signals, orders, fills, position updates) has been handled.
     *
     * @param candles  candles in time order, as {@link #read} returns them
     * @param listener told after each candle's consequences are handled, may be used to mark equity
     * @return what was replayed
     * @throws ReplayException if the bus does not settle or the replay is interrupted
     */
    ReplayResult replay(List<Candle> candles, ReplayListener listener);
}
