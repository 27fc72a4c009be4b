package io.autotrade.marketdata.replay.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The fixed-shape reading agrees with the formatters it stands in for, and leaves every other value to them. */
class FixedTimesTest {
    private static final DateTimeFormatter OFFSET = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss[.SSS]XXX");

    @ParameterizedTest
    @ValueSource(strings = {"2023-03-01 00:00:00+00:00", "2024-02-29 23:59:59+09:00", "1999-12-31 12:34:56-05:30",
        "2023-03-01 00:00:00Z", "2023-03-01 00:00:00.123+00:00", "2023-03-01 00:00:00.007Z", "0001-01-01 00:00:00+18:00"})
    void readsWhatTheOffsetFormatterReads(String value) {
        assertEquals(OffsetDateTime.parse(value, OFFSET).toInstant(), FixedTimes.parse(value, ' ', true, 0));
    }

    @ParameterizedTest
    @ValueSource(strings = {"2023-03-01T00:00:00", "2024-02-29T23:59:59"})
    void readsIsoLocalTimesAtTheGivenZone(String value) {
        assertEquals(LocalDateTime.parse(value).toInstant(ZoneOffset.ofHours(9)), FixedTimes.parse(value, 'T', false, 9 * 3600));
    }

    @ParameterizedTest
    @ValueSource(strings = {"2023-02-29 00:00:00+00:00", "2023-13-01 00:00:00+00:00", "2023-03-01 24:00:00+00:00",
        "2023-03-01 00:60:00+00:00", "2023-03-01T00:00:00+00:00", "2023-03-01 00:00:00", "2023-03-01 00:00:00+0000",
        "2023-03-01 00:00:00.12+00:00", "2023-03-01 00:00:0a+00:00", " 2023-03-01 00:00:00Z", "2023-03-01 00:00:00+19:00",
        "2023-3-01 00:00:00+00:00", "2023-03-01 00:00:00+00:00 "})
    void leavesAnyOtherShapeToTheFormatter(String value) {
        assertNull(FixedTimes.parse(value, ' ', true, 0), value);
    }

    @ParameterizedTest
    @ValueSource(strings = {"2023-03-01T00:00:00Z", "2023-03-01T00:00", "2023-03-01 00:00:00", "2023-03-01T00:00:00.5"})
    void leavesLocalTimesOfAnotherShapeToTheFormatter(String value) {
        assertNull(FixedTimes.parse(value, 'T', false, 0), value);
    }

    @ParameterizedTest
    @ValueSource(longs = {0L, 1_677_628_800_000L, 4_102_444_799_000L, -86_400_000L})
    void agreesOverTheCalendar(long millis) {
        Instant at = Instant.ofEpochMilli(millis);
        String text = OFFSET.format(at.atOffset(ZoneOffset.UTC));
        assertEquals(at, FixedTimes.parse(text, ' ', true, 0), text);
    }
}
