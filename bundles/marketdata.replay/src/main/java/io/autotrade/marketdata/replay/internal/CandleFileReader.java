package io.autotrade.marketdata.replay.internal;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.autotrade.api.marketdata.CandleFormatException;
import io.autotrade.api.trading.Candle;
import io.autotrade.api.trading.Market;
import java.io.BufferedReader;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.charset.MalformedInputException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads candle files in the formats traders bring, detected from the content:
 * <ul>
 * <li>Upbit REST candles as JSON (an array, newest first as the API returns it, or one object):
 * {@code candle_date_time_utc}, {@code opening_price}, {@code high_price}, {@code low_price},
 * {@code trade_price}, {@code candle_acc_trade_volume}, {@code candle_acc_trade_price}, {@code unit}
 * (Upbit API "캔들 조회" / GET /v1/candles/minutes/{unit});</li>
 * <li>the same fields as CSV with a header row;</li>
 * <li>pyupbit {@code get_ohlcv} exports: an unnamed index column holding the candle's open time in
 * KST ({@code yyyy-MM-dd HH:mm:ss}), then {@code open,high,low,close,volume[,value]};</li>
 * <li>daily files {@code Date,Open,High,Low,Close,Volume[,...]} whose date is a KST trading day
 * (Upbit's day candle opens at 09:00 KST = 00:00 UTC);</li>
 * <li>{@code open_time,open,high,low,close,volume} with an explicit UTC offset
 * ({@code 2023-03-01 00:00:00+00:00}).</li>
 * </ul>
 * Every time is converted to UTC. Every row must parse: a malformed row is a
 * {@link CandleFormatException} naming file, line and column; nothing is skipped. The interval is
 * Upbit's {@code unit} where given, one day for date-only files, and otherwise the smallest gap
 * between consecutive candles (minute data has gaps where nothing traded).
 *
 * <p>Why it is longer than 400 lines: it reads every candle file format the README lists and checks each (order, duplicates, one interval, market), all naming file and line; one reader keeps one set of checks for all formats.
 */
public final class CandleFileReader {
    static final ZoneId KST = ZoneId.of("Asia/Seoul");
    /** KST's offset from UTC since 1988, the last year Korea kept summer time, s. */
    private static final int KST_SECONDS = 9 * 3_600;
    private static final Instant KST_FIXED_SINCE = Instant.parse("1989-01-01T00:00:00Z");
    private static final Pattern MARKET_IN_NAME = Pattern.compile("^([A-Z0-9]{2,10}-[A-Z0-9]{1,15})[_.\\-]");
    /** A pair written base then quote, as Binance names its files: {@code BTCUSDT_1m_...}. */
    private static final Pattern PAIR_IN_NAME = Pattern.compile("^([A-Z0-9]{2,10}?)(KRW|USDT|BTC)[_.\\-]");
    private static final DateTimeFormatter SPACE_DATE_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");
    private static final DateTimeFormatter OFFSET_DATE_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss[.SSS]XXX");
    private final ObjectMapper json = JsonMapper.builder().enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .nodeFactory(JsonNodeFactory.withExactBigDecimals(true))
            .build();

    /** A candle and where it came from, so that problems found after parsing still name the line. */
    record Row(int line, Instant openTime, Market market, Duration unit, BigDecimal open, BigDecimal high,
            BigDecimal low, BigDecimal close, BigDecimal volume, BigDecimal quoteVolume) {
    }

    enum CsvFormat { UPBIT_REST, PYUPBIT, DAILY, OPEN_TIME }

    /**
     * @param file   the candle file
     * @param market the market when the file names none (see {@link #read})
     * @return candles oldest first
     * @throws CandleFormatException if the file cannot be read or any row is malformed
     */
    public List<Candle> read(Path file, Optional<Market> market) {
        Optional<List<Candle>> streamed = StreamedCandles.open(file, market);
        if (streamed.isPresent()) {
            return streamed.get(); // a clean CSV, oldest first: read a row at a time, never held whole
        }
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (MalformedInputException e) {
            throw new CandleFormatException(file, 0, null, "not UTF-8 text: is this a candle file?");
        } catch (IOException e) {
            throw new CandleFormatException(file, 0, null, "cannot read: " + e);
        }
        if (!text.isEmpty() && text.charAt(0) == '\uFEFF') {
            text = text.substring(1);
        }
        String trimmed = text.stripLeading();
        if (trimmed.isEmpty()) {
            throw new CandleFormatException(file, 0, null, "the file is empty");
        }
        List<Row> rows = trimmed.charAt(0) == '[' || trimmed.charAt(0) == '{' ? readJson(file, text) : readCsv(file, text);
        if (rows.isEmpty()) {
            throw new CandleFormatException(file, 0, null, "the file has a header but no candles");
        }
        return toCandles(file, rows, market);
    }

    private List<Row> readCsv(Path file, String text) {
        List<Row> rows = new ArrayList<>();
        try (BufferedReader in = new BufferedReader(new java.io.StringReader(text))) {
            String headerLine = in.readLine();
            List<String> header = split(headerLine).stream().map(h -> h.strip().toLowerCase(Locale.ROOT)).toList();
            Map<String, Integer> col = new HashMap<>();
            for (int i = 0; i < header.size(); i++) {
                col.putIfAbsent(header.get(i), i);
            }
            CsvFormat format = detect(file, header, col);
            String line;
            int lineNo = 1;
            while ((line = in.readLine()) != null) {
                lineNo++;
                if (line.isBlank()) {
                    continue;
                }
                List<String> cells = split(line);
                if (cells.size() != header.size()) {
                    throw new CandleFormatException(file, lineNo, null,
                            "expected " + header.size() + " columns as in the header, found " + cells.size());
                }
                rows.add(csvRow(file, lineNo, format, header, col, cells));
            }
        } catch (IOException e) {
            throw new CandleFormatException(file, 0, null, "cannot read: " + e);
        }
        return rows;
    }

    static List<String> split(String line) {
        return List.of(line.split(",", -1));
    }

    static CsvFormat detect(Path file, List<String> header, Map<String, Integer> col) {
        if (col.containsKey("candle_date_time_utc") && col.containsKey("opening_price")) {
            requireColumns(file, col, "high_price", "low_price", "trade_price", "candle_acc_trade_volume");
            return CsvFormat.UPBIT_REST;
        }
        if (col.containsKey("open_time")) {
            requireColumns(file, col, "open", "high", "low", "close", "volume");
            return CsvFormat.OPEN_TIME;
        }
        if (col.containsKey("date")) {
            requireColumns(file, col, "open", "high", "low", "close", "volume");
            return CsvFormat.DAILY;
        }
        if (!header.isEmpty() && header.get(0).isEmpty()) {
            requireColumns(file, col, "open", "high", "low", "close", "volume");
            return CsvFormat.PYUPBIT;
        }
        throw new CandleFormatException(file, 1, null, "unrecognised header " + header
                + ": expected Upbit candle fields, a pyupbit export (,open,high,low,close,volume),"
                + " Date,Open,High,Low,Close,Volume or open_time,open,high,low,close,volume");
    }

    private static void requireColumns(Path file, Map<String, Integer> col, String... names) {
        for (String name : names) {
            if (!col.containsKey(name)) {
                throw new CandleFormatException(file, 1, name, "the header has no '" + name + "' column");
            }
        }
    }

    static Row csvRow(Path file, int line, CsvFormat format, List<String> header, Map<String, Integer> col,
            List<String> cells) {
        Cells c = new Cells(file, line, header, col, cells);
        return switch (format) {
            case UPBIT_REST -> new Row(line, c.time("candle_date_time_utc", CandleFileReader::utcLocal),
                    c.market("market"), c.has("unit") ? Duration.ofMinutes(c.positiveInt("unit")) : null,
                    c.number("opening_price"), c.number("high_price"), c.number("low_price"), c.number("trade_price"),
                    c.number("candle_acc_trade_volume"),
                    c.has("candle_acc_trade_price") ? c.number("candle_acc_trade_price") : null);
            case PYUPBIT -> new Row(line, c.timeAt(0, CandleFileReader::kstLocal), null, null, c.number("open"),
                    c.number("high"), c.number("low"), c.number("close"), c.number("volume"),
                    c.has("value") ? c.number("value") : null);
            case DAILY -> new Row(line, c.time("date", CandleFileReader::kstDay), null, Duration.ofDays(1),
                    c.number("open"), c.number("high"), c.number("low"), c.number("close"), c.number("volume"), null);
            case OPEN_TIME -> new Row(line, c.time("open_time", CandleFileReader::offsetDateTime), null, null,
                    c.number("open"), c.number("high"), c.number("low"), c.number("close"), c.number("volume"), null);
        };
    }

    private static Instant utcLocal(String s) {
        Instant fast = FixedTimes.parse(s, 'T', false, 0);
        return fast != null ? fast : LocalDateTime.parse(s).toInstant(ZoneOffset.UTC);
    }

    private static Instant kstLocal(String s) {
        Instant fast = FixedTimes.parse(s, ' ', false, KST_SECONDS);
        return fast != null && fast.isAfter(KST_FIXED_SINCE) ? fast : LocalDateTime.parse(s, SPACE_DATE_TIME).atZone(KST).toInstant();
    }

    private static Instant kstDay(String s) {
        return LocalDate.parse(s).atStartOfDay(KST).plusHours(9).toInstant();
    }

    private static Instant offsetDateTime(String s) {
        Instant fast = FixedTimes.parse(s, ' ', true, 0);
        return fast != null ? fast : OffsetDateTime.parse(s, OFFSET_DATE_TIME).toInstant();
    }

    /** Typed access to the cells of one CSV row, with errors naming file, line and column. */
    private record Cells(Path file, int line, List<String> header, Map<String, Integer> col, List<String> cells) {
        boolean has(String name) {
            return col.containsKey(name);
        }

        String raw(String name) {
            String value = cells.get(col.get(name)).strip();
            if (value.isEmpty()) {
                throw new CandleFormatException(file, line, column(name), "empty value");
            }
            return value;
        }

        private String column(String name) {
            return (col.get(name) + 1) + " (" + name + ")";
        }

        BigDecimal number(String name) {
            String value = raw(name);
            BigDecimal plain = PlainDecimals.parse(value);
            if (plain != null) {
                return plain;
            }
            try {
                return new BigDecimal(value);
            } catch (NumberFormatException e) {
                throw new CandleFormatException(file, line, column(name), "'" + value + "' is not a number");
            }
        }

        int positiveInt(String name) {
            String value = raw(name);
            try {
                int n = Integer.parseInt(value);
                if (n > 0) {
                    return n;
                }
            } catch (NumberFormatException e) {
                // reported below
            }
            throw new CandleFormatException(file, line, column(name), "'" + value + "' is not a positive whole number");
        }

        Market market(String name) {
            String value = raw(name);
            try {
                return Market.of(value);
            } catch (IllegalArgumentException e) {
                throw new CandleFormatException(file, line, column(name), e.getMessage());
            }
        }

        Instant time(String name, java.util.function.Function<String, Instant> parse) {
            return parseTime(raw(name), () -> column(name), parse);
        }

        Instant timeAt(int index, java.util.function.Function<String, Instant> parse) {
            String value = cells.get(index).strip();
            java.util.function.Supplier<String> column = () -> (index + 1) + " (index)";
            if (value.isEmpty()) {
                throw new CandleFormatException(file, line, column.get(), "empty value");
            }
            return parseTime(value, column, parse);
        }

        /** @param column names the column in an error only: not written out for every row that parses */
        private Instant parseTime(String value, java.util.function.Supplier<String> column,
                java.util.function.Function<String, Instant> parse) {
            try {
                return parse.apply(value);
            } catch (DateTimeParseException e) {
                throw new CandleFormatException(file, line, column.get(), "'" + value + "' is not a valid time: "
                        + e.getMessage());
            }
        }
    }

    private List<Row> readJson(Path file, String text) {
        List<Row> rows = new ArrayList<>();
        try (JsonParser parser = json.getFactory().createParser(text)) {
            JsonToken first = parser.nextToken();
            if (first == JsonToken.START_OBJECT) {
                rows.add(jsonRow(file, parser));
            } else {
                while (parser.nextToken() == JsonToken.START_OBJECT) {
                    rows.add(jsonRow(file, parser));
                }
                if (parser.currentToken() != JsonToken.END_ARRAY) {
                    throw new CandleFormatException(file, parser.currentLocation().getLineNr(),
                            String.valueOf(parser.currentLocation().getColumnNr()),
                            "expected a candle object, found " + parser.currentToken());
                }
            }
        } catch (JsonProcessingException e) {
            throw new CandleFormatException(file, e.getLocation() == null ? 0 : e.getLocation().getLineNr(),
                    e.getLocation() == null ? null : String.valueOf(e.getLocation().getColumnNr()),
                    "malformed JSON: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw new CandleFormatException(file, 0, null, "cannot read: " + e);
        }
        return rows;
    }

    private Row jsonRow(Path file, JsonParser parser) throws IOException {
        int line = parser.currentLocation().getLineNr();
        JsonNode node = json.readTree(parser);
        JsonFields f = new JsonFields(file, line, node);
        return new Row(line, f.time("candle_date_time_utc"), f.market("market"),
                node.has("unit") ? Duration.ofMinutes(f.positiveInt("unit")) : Duration.ofDays(1),
                f.number("opening_price"), f.number("high_price"), f.number("low_price"), f.number("trade_price"),
                f.number("candle_acc_trade_volume"),
                node.has("candle_acc_trade_price") ? f.number("candle_acc_trade_price") : null);
    }

    /** Typed access to the fields of one JSON candle; errors name the line the object starts on and the field. */
    private record JsonFields(Path file, int line, JsonNode node) {
        JsonNode field(String name) {
            JsonNode value = node.get(name);
            if (value == null || value.isNull()) {
                throw new CandleFormatException(file, line, name, "missing field '" + name + "'");
            }
            return value;
        }

        BigDecimal number(String name) {
            JsonNode value = field(name);
            if (!value.isNumber()) {
                throw new CandleFormatException(file, line, name, "'" + value + "' is not a number");
            }
            return value.decimalValue();
        }

        int positiveInt(String name) {
            JsonNode value = field(name);
            if (!value.canConvertToInt() || !value.isIntegralNumber() || value.intValue() <= 0) {
                throw new CandleFormatException(file, line, name, "'" + value + "' is not a positive whole number");
            }
            return value.intValue();
        }

        Market market(String name) {
            try {
                return Market.of(field(name).asText());
            } catch (IllegalArgumentException e) {
                throw new CandleFormatException(file, line, name, e.getMessage());
            }
        }

        Instant time(String name) {
            String value = field(name).asText();
            try {
                return utcLocal(value);
            } catch (DateTimeParseException e) {
                throw new CandleFormatException(file, line, name, "'" + value + "' is not a valid time: " + e.getMessage());
            }
        }
    }

    private static List<Candle> toCandles(Path file, List<Row> rows, Optional<Market> requested) {
        Market market = market(file, rows, requested);
        checkOrder(file, rows);
        List<Row> sorted = new ArrayList<>(rows);
        sorted.sort(Comparator.comparing(Row::openTime));
        Duration inferred = null;
        for (int i = 1; i < sorted.size(); i++) {
            Row previous = sorted.get(i - 1);
            Row row = sorted.get(i);
            Duration gap = Duration.between(previous.openTime(), row.openTime());
            if (gap.isZero()) {
                int[] lines = {Math.min(previous.line(), row.line()), Math.max(previous.line(), row.line())};
                throw new CandleFormatException(file, lines[1], null,
                        "a candle opening at " + row.openTime() + " already appears on line " + lines[0]);
            }
            if (inferred == null || gap.compareTo(inferred) < 0) {
                inferred = gap;
            }
        }
        checkSteps(file, sorted, inferred);
        List<Candle> candles = new ArrayList<>(sorted.size());
        for (Row row : sorted) {
            Duration interval = row.unit() != null ? row.unit() : inferred != null ? inferred : Duration.ofDays(1);
            try {
                candles.add(new Candle(market, interval, row.openTime(), row.open(), row.high(), row.low(), row.close(),
                        row.volume(), row.quoteVolume()));
            } catch (IllegalArgumentException e) {
                throw new CandleFormatException(file, row.line(), null, e.getMessage());
            }
        }
        for (int i = 1; i < candles.size(); i++) {
            if (candles.get(i).openTime().isBefore(candles.get(i - 1).closeTime())) {
                throw new CandleFormatException(file, sorted.get(i).line(), null, "candle opening at "
                        + candles.get(i).openTime() + " overlaps the previous one, which closes at "
                        + candles.get(i - 1).closeTime());
            }
        }
        return candles;
    }

    /** @return the market a file's name starts with ({@code KRW-BTC_...}, or {@code BTCUSDT_...} = USDT-BTC) */
    static Optional<Market> marketInName(String name) {
        Matcher m = MARKET_IN_NAME.matcher(name);
        if (m.find()) {
            return Optional.of(Market.of(m.group(1)));
        }
        Matcher pair = PAIR_IN_NAME.matcher(name);
        if (pair.find()) {
            return Optional.of(Market.of(pair.group(2) + "-" + pair.group(1)));
        }
        return Optional.empty();
    }

    /**
     * A file runs one way: oldest first, or newest first as Upbit's API answers. A row that breaks the
     * file's order (or repeats a time) is refused with its line.
     */
    private static void checkOrder(Path file, List<Row> rows) {
        int direction = 0;
        for (int i = 1; i < rows.size(); i++) {
            Row previous = rows.get(i - 1);
            Row row = rows.get(i);
            int step = row.openTime().compareTo(previous.openTime());
            if (step == 0) {
                throw new CandleFormatException(file, row.line(), null,
                        "a candle opening at " + row.openTime() + " already appears on line " + previous.line());
            }
            if (direction == 0) {
                direction = step;
            } else if (Integer.signum(step) != Integer.signum(direction)) {
                throw new CandleFormatException(file, row.line(), null, "candle opening at " + row.openTime()
                        + " is out of order: the file runs " + (direction > 0 ? "oldest" : "newest") + " first, and line "
                        + previous.line() + " opens at " + previous.openTime());
            }
        }
    }

    /**
     * Consecutive candles must be whole intervals apart: a step that is not (a file mixing 1-minute and
     * 3-minute candles, say) is refused with its line. Whole missing intervals are gaps, which minute data
     * has where nothing traded; the report counts them.
     */
    private static void checkSteps(Path file, List<Row> sorted, Duration inferred) {
        for (int i = 1; i < sorted.size(); i++) {
            Row row = sorted.get(i);
            Duration interval = row.unit() != null ? row.unit() : inferred;
            if (interval == null) {
                continue;
            }
            Duration step = Duration.between(sorted.get(i - 1).openTime(), row.openTime());
            if (step.toMillis() % interval.toMillis() != 0) {
                throw new CandleFormatException(file, row.line(), null, "candle opening at " + row.openTime() + " is "
                        + step + " after the previous one, not a whole number of the file's " + interval
                        + " interval: one file, one interval");
            }
        }
    }

    static Market market(Path file, List<Row> rows, Optional<Market> requested) {
        Market inFile = null;
        for (Row row : rows) {
            if (row.market() == null) {
                continue;
            }
            if (inFile == null) {
                inFile = row.market();
            } else if (!inFile.equals(row.market())) {
                throw new CandleFormatException(file, row.line(), "market", "market " + row.market()
                        + " differs from " + inFile + " earlier in the file: one file, one market");
            }
        }
        if (inFile != null) {
            if (requested.isPresent() && !requested.get().equals(inFile)) {
                throw new CandleFormatException(file, 0, "market", "the file holds " + inFile + " candles but market "
                        + requested.get() + " was asked for");
            }
            return inFile;
        }
        Optional<Market> named = marketInName(file.getFileName().toString());
        if (requested.isPresent()) {
            if (named.isPresent() && !named.get().equals(requested.get())) {
                throw new CandleFormatException(file, 0, "market", "the file's name says " + named.get()
                        + " but market " + requested.get() + " was asked for");
            }
            return requested.get();
        }
        Matcher m = MARKET_IN_NAME.matcher(file.getFileName().toString());
        if (m.find()) {
            return Market.of(m.group(1));
        }
        throw new CandleFormatException(file, 0, null, "the file names no market and its file name does not start with"
                + " one (e.g. KRW-BTC_...): give the market (--market KRW-BTC)");
    }
}
