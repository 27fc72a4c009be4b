package io.autotrade.marketdata.replay.internal;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.autotrade.api.marketdata.CandleFormatException;
import io.autotrade.api.trading.Candle;
import io.autotrade.api.trading.Market;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class CandleFileReaderTest {
    private static final Path SAMPLES = Paths.get(System.getProperty("autotrade.samples", "../../data"));
    private final CandleFileReader reader = new CandleFileReader();

    @TempDir
    Path dir;

    private List<Candle> read(String sample) {
        return reader.read(SAMPLES.resolve(sample), Optional.empty());
    }

    private static void assertCandle(Candle c, String market, String openUtc, Duration interval, String open,
            String high, String low, String close, String volume) {
        assertEquals(Market.of(market), c.market());
        assertEquals(Instant.parse(openUtc), c.openTime());
        assertEquals(interval, c.interval());
        assertEquals(new BigDecimal(open), c.open());
        assertEquals(new BigDecimal(high), c.high());
        assertEquals(new BigDecimal(low), c.low());
        assertEquals(new BigDecimal(close), c.close());
        assertEquals(new BigDecimal(volume), c.volume());
    }

    /** @return the header and the first {@code rows} rows of the bundled Binance minute file, written to {@code file} */
    private static List<String> binanceRows(Path file, int rows) throws java.io.IOException {
        List<String> lines = new java.util.ArrayList<>(java.nio.file.Files.readAllLines(
                SAMPLES.resolve("binance/BTCUSDT_1m_2023-03-01_2023-03-10.csv")).subList(0, rows + 1));
        java.nio.file.Files.write(file, lines);
        return lines;
    }

    /**
     * A clean CSV (oldest first, whole intervals) is read a row at a time, and gives the same candles as the
     * whole-file reading; a newest-first file is read whole and sorted; a file changed under a streamed list says so.
     */
    @Test
    void aCleanCsvIsStreamedRowByRowWithTheSameCandlesAsTheWholeFileReading() throws Exception {
        Path file = dir.resolve("BTCUSDT_1m_test.csv");
        List<String> lines = binanceRows(file, 2_000);
        Optional<Market> usdt = Optional.of(Market.of("USDT-BTC"));
        List<Candle> streamed = reader.read(file, usdt);
        assertTrue(streamed instanceof StreamedCandles, streamed.getClass().getName());
        assertEquals(2_000, streamed.size());
        List<Candle> copy = new java.util.ArrayList<>(streamed);
        assertEquals(Duration.ofMinutes(1), copy.get(0).interval(), "the interval inferred from the whole file");
        assertEquals(Market.of("USDT-BTC"), copy.get(0).market());
        assertEquals(copy.get(1_999), streamed.get(1_999));

        Path reversed = dir.resolve("BTCUSDT_1m_reversed.csv");
        List<String> backwards = new java.util.ArrayList<>(lines.subList(1, lines.size()));
        java.util.Collections.reverse(backwards);
        backwards.add(0, lines.get(0));
        java.nio.file.Files.write(reversed, backwards);
        List<Candle> sorted = reader.read(reversed, usdt);
        assertFalse(sorted instanceof StreamedCandles, "newest first: read whole and sorted");
        assertEquals(copy, sorted, "the same candles either way");

        java.nio.file.Files.write(file, lines.subList(0, 1_001));
        CandleFormatException changed = assertThrows(CandleFormatException.class, () -> new java.util.ArrayList<>(streamed));
        assertTrue(changed.getMessage().contains("the file changed while it was read"), changed.getMessage());
    }

    /**
     * The rows past the first few are read ahead on a thread of the pass: a row that cannot be read reaches the caller
     * after every candle before it and names its line; a pass dropped part way lets its thread end.
     */
    @Test
    void rowsReadAheadReachTheCallerInOrderWithAnErrorAtItsPlace() throws Exception {
        Path file = dir.resolve("BTCUSDT_1m_ahead.csv");
        List<String> lines = binanceRows(file, 5_000);
        List<Candle> streamed = reader.read(file, Optional.of(Market.of("USDT-BTC")));
        assertTrue(streamed instanceof StreamedCandles);
        lines.set(3_000, lines.get(3_000).replaceFirst(",[0-9.]+,", ",x,")); // the 3,000th candle, line 3,001
        java.nio.file.Files.write(file, lines);
        List<Candle> got = new java.util.ArrayList<>();
        CandleFormatException bad = assertThrows(CandleFormatException.class, () -> streamed.forEach(got::add));
        assertEquals(2_999, got.size(), "every candle before the bad row");
        assertTrue(bad.getMessage().contains("BTCUSDT_1m_ahead.csv:3001 column 2 (open)"), bad.getMessage());

        java.nio.file.Files.write(file, lines.subList(0, 3_000));
        java.util.Iterator<Candle> dropped = streamed.iterator();
        for (int i = 0; i < 500; i++) {
            dropped.next(); // past the rows read here: the rest is read ahead
        }
        dropped = null;
        long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(20);
        while (readers() > 0 && System.nanoTime() < deadline) {
            System.gc();
            Thread.sleep(50);
        }
        assertEquals(0, readers(), "the dropped pass's reader ended");
    }

    /** @return a minute file of {@code n} rows from 2023-03-01 UTC, its header first */
    private static List<String> minutes(int n) {
        List<String> lines = new java.util.ArrayList<>(List.of("open_time,open,high,low,close,volume"));
        java.time.format.DateTimeFormatter f = java.time.format.DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ssXXX");
        java.time.OffsetDateTime t = java.time.OffsetDateTime.parse("2023-03-01T00:00:00Z");
        for (int i = 0; i < n; i++) {
            String p = (20_000 + i % 977) + "." + (10 + i % 89);
            lines.add(f.format(t.plusMinutes(i)) + "," + p + "," + p + "," + p + "," + p + ",1.234567");
        }
        return lines;
    }

    /**
     * A large file is checked in two halves at once: the same candles as one pass; a bad row in the second half is
     * named by its line as one pass names it; halves that are each in order but not together are refused at the line
     * where the order breaks, as one pass refuses them.
     */
    @Test
    void aLargeFileIsCheckedInTwoHalvesWithTheSameOutcomeAsOnePass() throws Exception {
        List<String> lines = minutes(90_000);
        Path file = dir.resolve("BTCUSDT_1m_large.csv");
        java.nio.file.Files.write(file, lines);
        assertTrue(java.nio.file.Files.size(file) > 4L << 20, "large enough for two halves");
        Optional<Market> usdt = Optional.of(Market.of("USDT-BTC"));
        List<Candle> streamed = reader.read(file, usdt);
        assertTrue(streamed instanceof StreamedCandles);
        assertEquals(90_000, streamed.size());
        assertEquals(Duration.ofMinutes(1), streamed.get(0).interval());
        assertEquals(java.time.Instant.parse("2023-03-01T00:00:00Z").plusSeconds(60L * 89_999), streamed.get(89_999).openTime());

        List<String> bad = new java.util.ArrayList<>(lines);
        bad.set(80_001, bad.get(80_001).replace(",1.234567", ",-1"));
        java.nio.file.Files.write(file, bad);
        CandleFormatException e = assertThrows(CandleFormatException.class, () -> reader.read(file, usdt));
        assertTrue(e.getMessage().contains("BTCUSDT_1m_large.csv:80002"), e.getMessage());

        List<String> swapped = new java.util.ArrayList<>(lines.subList(0, 1));
        swapped.addAll(lines.subList(45_001, lines.size())); // each half in order, the second before the first
        swapped.addAll(lines.subList(1, 45_001));
        java.nio.file.Files.write(file, swapped);
        CandleFormatException order = assertThrows(CandleFormatException.class, () -> reader.read(file, usdt));
        assertTrue(order.getMessage().contains("BTCUSDT_1m_large.csv:45002: candle opening at 2023-03-01T00:00:00Z is out of"
                + " order"), order.getMessage());
    }

    private static long readers() {
        return Thread.getAllStackTraces().keySet().stream().filter(t -> t.getName().equals("autotrade-candle-reader")).count();
    }

    @Test
    void pyupbitExportIndexIsKstOpenTime() {
        List<Candle> candles = read("upbit/KRW-BTC_day_2024-10-15_2025-10-14.csv");
        assertEquals(365, candles.size());
        // "2024-10-15 09:00:00" KST is midnight UTC
        assertCandle(candles.get(0), "KRW-BTC", "2024-10-15T00:00:00Z", Duration.ofDays(1), "88640000.0",
                "91531000.0", "87510000.0", "90600000.0", "5320.08065393");
        assertEquals(new BigDecimal("475365534131.7573"), candles.get(0).quoteVolume());
        assertCandle(candles.get(364), "KRW-BTC", "2025-10-14T00:00:00Z", Duration.ofDays(1), "171695000.0",
                "172444000.0", "170000000.0", "170283000.0", "498.03008481");
        assertEquals(200, read("upbit/KRW-BTC_day_2022-10-12_2023-04-29.csv").size());
    }

    @Test
    void dailyDateFileIsAKstTradingDay() {
        List<Candle> candles = read("upbit/KRW-NEO_day_2024-01-01_2024-07.csv");
        assertEquals(200, candles.size());
        assertCandle(candles.get(0), "KRW-NEO", "2024-01-01T00:00:00Z", Duration.ofDays(1), "18860.0", "20150.0",
                "18500.0", "18960.0", "3314238.13556673");
        assertEquals(200, read("upbit/KRW-BTC_day_2024-01-02_2024-07.csv").size());
    }

    @Test
    void upbitRestCsvUsesTheUtcColumnAndUnit() {
        List<Candle> candles = read("upbit/KRW-BTC_1m_2020-02-20.csv");
        assertEquals(240, candles.size());
        assertCandle(candles.get(0), "KRW-BTC", "2020-02-20T08:00:00Z", Duration.ofMinutes(1), "11495000.0",
                "11500000.0", "11490000.0", "11490000.0", "9.01642515");
    }

    @Test
    void upbitRestJsonIsSortedOldestFirst() {
        List<Candle> candles = read("upbit-api/smtm_candles_minutes1_KRW-BTC_20200220_2020-2100.json");
        assertTrue(candles.size() > 1);
        for (int i = 1; i < candles.size(); i++) {
            assertTrue(candles.get(i).openTime().isAfter(candles.get(i - 1).openTime()));
        }
        Candle last = candles.get(candles.size() - 1);
        assertCandle(last, "KRW-BTC", "2020-02-20T11:59:00Z", Duration.ofMinutes(1), "11471000.0", "11471000.0",
                "11466000.0", "11467000.0", "0.94820557");
        assertEquals(Duration.ofMinutes(3),
                read("upbit-api/smtm_candles_minutes3_KRW-BTC_20200220_0000-1000.json").get(0).interval());
    }

    @Test
    void aSingleJsonCandleObjectIsOneCandle() {
        List<Candle> candles = read("upbit-api/smtm_record_candle_minute1_KRW-BTC_single.json");
        assertEquals(1, candles.size());
        assertCandle(candles.get(0), "KRW-BTC", "2020-02-25T06:41:00Z", Duration.ofMinutes(1), "11436000.00000000",
                "11443000.00000000", "11428000.00000000", "11443000.00000000", "1.48642105");
    }

    @Test
    void openTimeWithOffsetNeedsAMarketAndInfersTheInterval() {
        Path file = SAMPLES.resolve("binance/BTCUSDT_1m_2023-03-01_2023-03-10.csv");
        CandleFormatException missing = assertThrows(CandleFormatException.class,
                () -> reader.read(file, Optional.empty()));
        assertTrue(missing.getMessage().contains("--market"), missing.getMessage());
        List<Candle> candles = reader.read(file, Optional.of(Market.of("USDT-BTC")));
        assertEquals(14_400, candles.size());
        assertCandle(candles.get(0), "USDT-BTC", "2023-03-01T00:00:00Z", Duration.ofMinutes(1), "23140.48",
                "23150.77", "23128.52", "23142.31", "2.131777");
    }

    @Test
    void offsetsOtherThanUtcAreConverted() throws IOException {
        Path file = write("KRW-BTC_x.csv", "open_time,open,high,low,close,volume\n"
                + "2023-03-01 09:00:00+09:00,10,12,9,11,1\n2023-03-01 09:01:00+09:00,11,12,10,12,2\n");
        assertEquals(Instant.parse("2023-03-01T00:00:00Z"), reader.read(file, Optional.empty()).get(0).openTime());
    }

    @Test
    void aMarketAskedForMustAgreeWithTheFile() {
        CandleFormatException error = assertThrows(CandleFormatException.class, () -> reader.read(
                SAMPLES.resolve("upbit/KRW-BTC_1m_2020-02-20.csv"), Optional.of(Market.of("KRW-ETH"))));
        assertTrue(error.getMessage().contains("KRW-BTC candles but market KRW-ETH"), error.getMessage());
    }

    @Test
    void aMarketAskedForMustAgreeWithTheFilesName() throws IOException {
        CandleFormatException upbit = assertThrows(CandleFormatException.class, () -> reader.read(
                SAMPLES.resolve("upbit/KRW-BTC_day_2024-10-15_2025-10-14.csv"), Optional.of(Market.of("USDT-BTC"))));
        assertTrue(upbit.getMessage().contains("the file's name says KRW-BTC but market USDT-BTC was asked for"),
                upbit.getMessage());
        CandleFormatException binance = assertThrows(CandleFormatException.class, () -> reader.read(
                SAMPLES.resolve("binance/BTCUSDT_1m_2023-03-01_2023-03-10.csv"), Optional.of(Market.of("KRW-BTC"))));
        assertTrue(binance.getMessage().contains("the file's name says USDT-BTC but market KRW-BTC"), binance.getMessage());
        assertEquals(Market.of("USDT-BTC"), reader.read(SAMPLES.resolve("binance/BTCUSDT_1m_2023-03-01_2023-03-10.csv"),
                Optional.of(Market.of("USDT-BTC"))).get(0).market());
    }

    @Test
    void gapsOfWholeIntervalsAreAccepted() throws IOException {
        Path file = write("KRW-BTC_gaps.csv", "open_time,open,high,low,close,volume\n"
                + "2023-03-01 00:00:00+00:00,1,2,0.5,1.5,1\n2023-03-01 00:01:00+00:00,1,2,0.5,1.5,1\n"
                + "2023-03-01 00:04:00+00:00,1,2,0.5,1.5,1\n");
        List<Candle> candles = reader.read(file, Optional.empty());
        assertEquals(3, candles.size());
        assertEquals(Duration.ofMinutes(1), candles.get(2).interval());
    }

    private Path write(String name, String content) throws IOException {
        Path file = dir.resolve(name);
        Files.writeString(file, content);
        return file;
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            not a number      | ,open,high,low,close,volume\\n2024-10-15 09:00:00,1,2,0.5,1.5,3\\n2024-10-16 09:00:00,1,abc,0.5,1.5,3 | :3 column 3 (high): 'abc' is not a number
            empty cell        | ,open,high,low,close,volume\\n2024-10-15 09:00:00,1,2,,1.5,3 | :2 column 4 (low): empty value
            missing column    | ,open,high,low,close,volume\\n2024-10-15 09:00:00,1,2,0.5,1.5 | :2: expected 6 columns as in the header, found 5
            bad time          | ,open,high,low,close,volume\\n2024-13-15 09:00:00,1,2,0.5,1.5,3 | :2 column 1 (index): '2024-13-15 09:00:00' is not a valid time
            high below low    | Date,Open,High,Low,Close,Volume\\n2024-01-02,10,8,9,9,1 | :2: high 8 is below low 9
            negative volume   | Date,Open,High,Low,Close,Volume\\n2024-01-02,10,11,9,10,-1 | :2: volume must be >= 0, was -1
            zero price        | Date,Open,High,Low,Close,Volume\\n2024-01-02,0,11,0,10,1 | :2: open must be > 0, was 0
            duplicate time    | Date,Open,High,Low,Close,Volume\\n2024-01-02,10,11,9,10,1\\n2024-01-02,10,11,9,10,1 | :3: a candle opening at 2024-01-02T00:00:00Z already appears on line 2
            bad unit          | market,candle_date_time_utc,opening_price,high_price,low_price,trade_price,candle_acc_trade_volume,unit\\nKRW-BTC,2020-02-20T08:00:00,1,2,1,2,3,0 | :2 column 8 (unit): '0' is not a positive whole number
            bad market        | market,candle_date_time_utc,opening_price,high_price,low_price,trade_price,candle_acc_trade_volume\\nbtc,2020-02-20T08:00:00,1,2,1,2,3 | :2 column 1 (market): market code must be QUOTE-BASE
            unknown header    | time,price\\n1,2 | :1: unrecognised header [time, price]
            header only       | Date,Open,High,Low,Close,Volume\\n | the file has a header but no candles
            out of order      | Date,Open,High,Low,Close,Volume\\n2024-01-02,10,11,9,10,1\\n2024-01-04,10,11,9,10,1\\n2024-01-03,10,11,9,10,1 | :4: candle opening at 2024-01-03T00:00:00Z is out of order: the file runs oldest first, and line 3 opens at 2024-01-04T00:00:00Z
            newest first, broken | Date,Open,High,Low,Close,Volume\\n2024-01-04,10,11,9,10,1\\n2024-01-03,10,11,9,10,1\\n2024-01-05,10,11,9,10,1 | :4: candle opening at 2024-01-05T00:00:00Z is out of order: the file runs newest first
            mixed interval    | open_time,open,high,low,close,volume\\n2023-03-01 00:00:00+00:00,1,2,0.5,1.5,1\\n2023-03-01 00:02:00+00:00,1,2,0.5,1.5,1\\n2023-03-01 00:05:00+00:00,1,2,0.5,1.5,1 | :4: candle opening at 2023-03-01T00:05:00Z is PT3M after the previous one, not a whole number of the file's PT2M interval
            """)
    void malformedCsvNamesFileLineAndColumn(String what, String content, String expected) throws IOException {
        Path file = write("KRW-BTC_bad.csv", content.replace("\\n", "\n"));
        CandleFormatException error = assertThrows(CandleFormatException.class, () -> reader.read(file, Optional.empty()));
        assertTrue(error.getMessage().startsWith(file.toString()), error.getMessage());
        assertTrue(error.getMessage().contains(expected), what + ": " + error.getMessage());
    }

    @Test
    void malformedJsonNamesLineAndField() throws IOException {
        Path file = write("KRW-BTC_bad.json", """
                [
                  {"market":"KRW-BTC","candle_date_time_utc":"2020-02-20T11:59:00","opening_price":1,
                   "high_price":2,"low_price":1,"trade_price":2,"candle_acc_trade_volume":3,"unit":1},
                  {"market":"KRW-BTC","candle_date_time_utc":"2020-02-20T11:58:00","opening_price":"x",
                   "high_price":2,"low_price":1,"trade_price":2,"candle_acc_trade_volume":3,"unit":1}
                ]
                """);
        CandleFormatException error = assertThrows(CandleFormatException.class, () -> reader.read(file, Optional.empty()));
        assertEquals(4, error.line());
        assertEquals("opening_price", error.column());

        Path truncated = write("KRW-BTC_cut.json", "[\n {\"market\":\"KRW-BTC\",\n");
        CandleFormatException cut = assertThrows(CandleFormatException.class, () -> reader.read(truncated, Optional.empty()));
        assertTrue(cut.getMessage().contains("malformed JSON"), cut.getMessage());

        Path missing = write("KRW-BTC_missing.json", "{\"market\":\"KRW-BTC\",\"opening_price\":1}");
        CandleFormatException field = assertThrows(CandleFormatException.class, () -> reader.read(missing, Optional.empty()));
        assertTrue(field.getMessage().contains("missing field 'candle_date_time_utc'"), field.getMessage());
    }

    @Test
    void binaryOrEmptyFilesAreRefused() throws IOException {
        Path empty = write("KRW-BTC_empty.csv", "");
        assertTrue(assertThrows(CandleFormatException.class, () -> reader.read(empty, Optional.empty()))
                .getMessage().contains("empty"));
        Path binary = dir.resolve("KRW-BTC_bin.csv");
        Files.write(binary, new byte[] {(byte) 0xff, (byte) 0xfe, 0, 1, 2});
        assertTrue(assertThrows(CandleFormatException.class, () -> reader.read(binary, Optional.empty()))
                .getMessage().contains("not UTF-8"));
        Path absent = dir.resolve("nope.csv");
        assertTrue(assertThrows(CandleFormatException.class, () -> reader.read(absent, Optional.empty()))
                .getMessage().contains("cannot read"));
    }
}
