package io.autotrade.marketdata.replay.internal;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;

/**
 * Date-times in the fixed shapes candle files write, read without a {@code DateTimeFormatter} (which costs more than
 * the rest of a row): {@code yyyy-MM-dd?HH:mm:ss}, {@code ?} the file's separator, then optionally {@code .SSS} and an
 * ISO-8601 offset ({@code Z} or {@code +HH:MM}). A value of any other shape, or not a valid date and time, gives
 * null: the caller's formatter then reads it or names what is wrong, so both accept and refuse the same values.
 */
final class FixedTimes {
    private static final int DATE_TIME = 19;

    private FixedTimes() {
    }

    /**
     * @param s         the value
     * @param separator between date and time ({@code ' '} or {@code 'T'})
     * @param offset    whether an offset must follow (else nothing may)
     * @param zoneSeconds the zone's offset from UTC when the value has none, s
     * @return the instant, or null if the value is not of the shape or not valid
     */
    static Instant parse(String s, char separator, boolean offset, int zoneSeconds) {
        int n = s.length();
        if (n < DATE_TIME || s.charAt(4) != '-' || s.charAt(7) != '-' || s.charAt(10) != separator
                || s.charAt(13) != ':' || s.charAt(16) != ':') {
            return null;
        }
        int year = digits(s, 0, 4);
        int month = digits(s, 5, 2);
        int day = digits(s, 8, 2);
        int hour = digits(s, 11, 2);
        int minute = digits(s, 14, 2);
        int second = digits(s, 17, 2);
        if ((year | month | day | hour | minute | second) < 0 || hour > 23 || minute > 59 || second > 59) {
            return null;
        }
        int at = DATE_TIME;
        int millis = 0;
        if (offset && at < n && s.charAt(at) == '.') {
            millis = n >= at + 4 ? digits(s, at + 1, 3) : -1;
            if (millis < 0) {
                return null;
            }
            at += 4;
        }
        int zone = zoneSeconds;
        if (offset) {
            if (n == at + 1 && s.charAt(at) == 'Z') {
                zone = 0;
            } else if (n == at + 6 && (s.charAt(at) == '+' || s.charAt(at) == '-') && s.charAt(at + 3) == ':') {
                int hh = digits(s, at + 1, 2);
                int mm = digits(s, at + 4, 2);
                if (hh < 0 || mm < 0 || hh > 18 || mm > 59) {
                    return null;
                }
                zone = (s.charAt(at) == '-' ? -1 : 1) * (hh * 3600 + mm * 60);
            } else {
                return null;
            }
        } else if (n != at) {
            return null;
        }
        long epochDay;
        try {
            epochDay = LocalDate.of(year, month, day).toEpochDay();
        } catch (DateTimeException e) {
            return null; // February 30th and the like: the formatter names it
        }
        return Instant.ofEpochSecond(epochDay * 86_400 + hour * 3_600L + minute * 60L + second - zone, millis * 1_000_000L);
    }

    /** @return the number the {@code count} ASCII digits from {@code from} make, or -1 if one is not a digit */
    private static int digits(String s, int from, int count) {
        int value = 0;
        for (int i = from; i < from + count; i++) {
            int d = s.charAt(i) - '0';
            if (d < 0 || d > 9) {
                return -1;
            }
            value = value * 10 + d;
        }
        return value;
    }
}
