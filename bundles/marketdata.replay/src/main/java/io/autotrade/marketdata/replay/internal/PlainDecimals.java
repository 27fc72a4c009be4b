package io.autotrade.marketdata.replay.internal;

import java.math.BigDecimal;

/**
 * Decimals in the plain shape candle files write ({@code -?digits(.digits)?}, at most 18 digits), read without
 * {@code new BigDecimal(String)}, which costs more than the rest of a cell: the digits are the unscaled value and the
 * digits after the point the scale, exactly what that constructor gives for such a string (its Javadoc: "the scale
 * of the returned BigDecimal will be the number of digits in the fraction"). A value of any other shape (an exponent,
 * a plus sign, more digits, no digit before or after the point) gives null: the caller's constructor then reads it or
 * refuses it, so both accept and refuse the same values and give equal {@code BigDecimal}s, scale included.
 */
final class PlainDecimals {
    private static final int MAX_DIGITS = 18; // 10^18 - 1 fits a long

    private PlainDecimals() {
    }

    /**
     * @param s the value, stripped
     * @return the value with the scale {@code new BigDecimal(s)} gives, or null if it is not of the plain shape
     */
    static BigDecimal parse(String s) {
        int n = s.length();
        int i = 0;
        boolean negative = n > 0 && s.charAt(0) == '-';
        if (negative) {
            i++;
        }
        long unscaled = 0;
        int digits = 0;
        int point = -1;
        for (; i < n; i++) {
            char c = s.charAt(i);
            if (c >= '0' && c <= '9') {
                if (++digits > MAX_DIGITS) {
                    return null;
                }
                unscaled = unscaled * 10 + (c - '0');
            } else if (c == '.' && point < 0 && digits > 0) {
                point = i;
            } else {
                return null;
            }
        }
        if (digits == 0 || point == n - 1) {
            return null;
        }
        int scale = point < 0 ? 0 : n - 1 - point;
        return BigDecimal.valueOf(negative ? -unscaled : unscaled, scale);
    }
}
