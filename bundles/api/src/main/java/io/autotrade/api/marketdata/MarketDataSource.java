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
     * Replays every candle, all of them trading ({@link #replay(List, java.time.Instant, java.time.Instant, ReplayListener)}
     * with no window).
     *
     * @param candles  the candles, in time order
     * @param listener told as each candle is done
     * @return what was replayed
     * @throws ReplayException if the bus does not settle or the replay is interrupted
     */
    default ReplayResult replay(List<Candle> candles, ReplayListener listener) {
        return replay(candles, null, null, listener);
    }

    /**
     * Replays a window of the candles through the bus: each candle's open, its range, then its close, one candle at a
     * time, each step settled before the next. Candles opening before {@code tradeFrom} warm strategies up: their close
     * is published with {@link io.autotrade.api.trading.CandleClosed#warmUp} set and no range; candles opening at or
     * after {@code tradeTo} are not replayed.
     *
     * @param candles   the candles, in time order (the first of them is where the warm-up starts)
     * @param tradeFrom the first open that trades, or null: every candle trades
     * @param tradeTo   the first open not replayed, or null: to the end
     * @param listener  told as each candle is done, warm-up candles included
     * @return the candles that traded: their number, first open and last close
     * @throws ReplayException if the bus does not settle, the replay is interrupted, or no candle trades
     */
    ReplayResult replay(List<Candle> candles, java.time.Instant tradeFrom, java.time.Instant tradeTo, ReplayListener listener);

    /**
     * Replays as {@link #replay(List, java.time.Instant, java.time.Instant, ReplayListener)} does, the candles read
     * from {@code source}. On a bus whose driven commits are grouped (a backtest) the candles are journaled by
     * reference: not row by row ({@link io.autotrade.api.event.EventBus#publishReplayed}) but as
     * {@link io.autotrade.api.trading.ReplayCheckpoint}s naming the file, its SHA-256 and the last candle handled whole.
     * A replay that finds such a checkpoint of the market (an interrupted run on the same database) checks that the
     * file is the same, warms up on the candles up to it and trades from the next one.
     *
     * @param source    the file the candles were read from, or null
     * @param candles   the candles, in time order
     * @param tradeFrom the first open that trades, or null
     * @param tradeTo   the first open not replayed, or null
     * @param listener  told as each candle is done, warm-up candles included
     * @return the candles that traded
     * @throws ReplayException as the replay without a source, and if the file differs from the one an interrupted
     *                         run replayed
     */
    default ReplayResult replay(java.nio.file.Path source, List<Candle> candles, java.time.Instant tradeFrom,
            java.time.Instant tradeTo, ReplayListener listener) {
        return replay(candles, tradeFrom, tradeTo, listener);
    }
}
