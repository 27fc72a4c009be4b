package io.autotrade.api.trading;

import static io.autotrade.api.trading.Decimals.nonNegative;
import static io.autotrade.api.trading.Decimals.positive;
import static io.autotrade.api.trading.Decimals.required;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;

/**
 * One OHLCV candle of a market.
 *
 * @param market      the market
 * @param interval    the candle length, e.g. 1 minute or 1 day
 * @param openTime    start of the interval, UTC
 * @param open        first trade price, quote currency per base unit
 * @param high        highest trade price
 * @param low         lowest trade price
 * @param close       last trade price
 * @param volume      traded volume in the base currency
 * @param quoteVolume traded value in the quote currency, or null when the source has none
 */
public record Candle(Market market, Duration interval, Instant openTime, BigDecimal open, BigDecimal high,
        BigDecimal low, BigDecimal close, BigDecimal volume, BigDecimal quoteVolume) {

    /** @throws IllegalArgumentException if a price is not positive, high/low do not bound open/close, or volume is negative */
    public Candle {
        required(market, "candle market");
        required(interval, "candle interval");
        required(openTime, "candle open time");
        if (interval.isNegative() || interval.isZero()) {
            throw new IllegalArgumentException("candle interval must be positive, was " + interval);
        }
        positive(open, "open");
        positive(high, "high");
        positive(low, "low");
        positive(close, "close");
        nonNegative(volume, "volume");
        if (quoteVolume != null) {
            nonNegative(quoteVolume, "quote volume");
        }
        if (high.compareTo(low) < 0) {
            throw new IllegalArgumentException("high " + high.toPlainString() + " is below low " + low.toPlainString());
        }
        if (high.compareTo(open.max(close)) < 0) {
            throw new IllegalArgumentException("high " + high.toPlainString() + " is below open/close "
                    + open.max(close).toPlainString());
        }
        if (low.compareTo(open.min(close)) > 0) {
            throw new IllegalArgumentException("low " + low.toPlainString() + " is above open/close "
                    + open.min(close).toPlainString());
        }
    }

    /** @return the end of the interval (exclusive), UTC: when the candle closed */
    public Instant closeTime() {
        return openTime.plus(interval);
    }

    /**
     * The id every market-data source gives this candle's event of a type, derived from the type, the
     * market, the interval and the open time: a candle published again (a replay resumed after a crash, a
     * live feed fetching it twice) carries the same id, and the journal acknowledges it without dispatching it
     * a second time. Laid out as a time-ordered UUID (RFC 9562 version 8, the layout of version 7): the open
     * time's epoch milliseconds first, then a hash of the rest (MD5, as a name-based UUID), so consecutive
     * candles' ids sit next to each other in the journal's indexes (a random id would touch a different
     * index page for every event). Since December 2026; before, a name-based UUID (version 3).
     *
     * @param eventType the event type, e.g. {@code candle.opened} or {@code candle.closed}
     * @return the event id
     */
    public java.util.UUID eventId(String eventType) {
        // the bits taken from the MD5 are those UUID.nameUUIDFromBytes keeps (its version and variant bits are masked off
        // here either way), so the ids are the ones that method gave
        IdName name = ID_NAME.get(); // the MD5 of "type|market|interval|openMillis" in UTF-8, without building the string
        long openMillis = openTime.toEpochMilli();
        byte[] hash = name.md5(eventType, market.code(), interval, openMillis);
        long hashMsb = 0;
        long hashLsb = 0;
        for (int i = 0; i < 8; i++) {
            hashMsb = (hashMsb << 8) | (hash[i] & 0xFF);
            hashLsb = (hashLsb << 8) | (hash[i + 8] & 0xFF);
        }
        long msb = (openMillis << 16) | 0x8000L | (hashMsb & 0x0FFFL);
        long lsb = (hashLsb & 0x3FFFFFFFFFFFFFFFL) | 0x8000000000000000L;
        return new java.util.UUID(msb, lsb);
    }

    private static final ThreadLocal<IdName> ID_NAME = ThreadLocal.withInitial(IdName::new);

    /**
     * A thread's MD5 and the buffer its names are written into: the name-based UUID's MD5 (RFC 4122, 4.3), fed the
     * UTF-8 bytes of {@code type|market|interval|openMillis} directly (an event id per candle event is on the replay's
     * hot path).
     */
    private static final class IdName {
        private final java.security.MessageDigest md5;
        private final byte[] hash = new byte[16];
        private byte[] bytes = new byte[64];
        private Duration interval;
        private byte[] intervalBytes;

        IdName() {
            try {
                md5 = java.security.MessageDigest.getInstance("MD5");
            } catch (java.security.NoSuchAlgorithmException e) {
                throw new IllegalStateException("this JVM has no MD5 (every Java SE has it)", e);
            }
        }

        byte[] md5(String type, String market, Duration interval, long openMillis) {
            if (!interval.equals(this.interval)) {
                this.interval = interval;
                this.intervalBytes = interval.toString().getBytes(java.nio.charset.StandardCharsets.US_ASCII);
            }
            byte[] typeBytes = ascii(type);
            byte[] marketBytes = ascii(market);
            if (typeBytes == null || marketBytes == null) { // not ASCII: the string's own UTF-8
                md5.update((type + "|" + market + "|" + interval + "|" + openMillis).getBytes(
                        java.nio.charset.StandardCharsets.UTF_8));
            } else {
                int n = put(copy(marketBytes, put(copy(typeBytes, 0), (byte) '|')), (byte) '|');
                room(n + intervalBytes.length + 21);
                System.arraycopy(intervalBytes, 0, bytes, n, intervalBytes.length);
                n = digits(openMillis, put(n + intervalBytes.length, (byte) '|'));
                md5.update(bytes, 0, n);
            }
            try {
                md5.digest(hash, 0, hash.length);
            } catch (java.security.DigestException e) {
                throw new IllegalStateException("MD5 gives 16 bytes", e);
            }
            return hash;
        }

        /**
         * @return the text's bytes if it is all ASCII, else null; the last few texts' bytes are kept (an event type and
         *         a market code are the same strings candle after candle, most often the same objects)
         */
        private byte[] ascii(String text) {
            for (int i = 0; i < known.length; i++) {
                if (text.equals(known[i])) { // the same object at once; a file naming the market on every row: equal
                    return knownBytes[i];
                }
            }
            for (int i = 0; i < text.length(); i++) {
                if (text.charAt(i) >= 0x80) {
                    return null;
                }
            }
            byte[] b = text.getBytes(java.nio.charset.StandardCharsets.US_ASCII);
            known[next] = text;
            knownBytes[next] = b;
            next = (next + 1) % known.length;
            return b;
        }

        private final String[] known = new String[6];
        private final byte[][] knownBytes = new byte[6][];
        private int next;

        private int copy(byte[] b, int at) {
            room(at + b.length);
            System.arraycopy(b, 0, bytes, at, b.length);
            return at + b.length;
        }

        private int put(int at, byte b) {
            room(at + 1);
            bytes[at] = b;
            return at + 1;
        }

        /** Writes the decimal digits of {@code value} as {@code Long.toString} does; the room for 20 is there. */
        private int digits(long value, int at) {
            if (value == Long.MIN_VALUE) {
                byte[] min = Long.toString(value).getBytes(java.nio.charset.StandardCharsets.US_ASCII);
                System.arraycopy(min, 0, bytes, at, min.length);
                return at + min.length;
            }
            if (value < 0) {
                bytes[at++] = '-';
                value = -value;
            }
            int length = 1;
            for (long v = value; v >= 10; v /= 10) {
                length++;
            }
            for (int i = at + length - 1; i >= at; i--) {
                bytes[i] = (byte) ('0' + value % 10);
                value /= 10;
            }
            return at + length;
        }

        private void room(int size) {
            if (size > bytes.length) {
                bytes = java.util.Arrays.copyOf(bytes, Math.max(size, bytes.length * 2));
            }
        }
    }
}
