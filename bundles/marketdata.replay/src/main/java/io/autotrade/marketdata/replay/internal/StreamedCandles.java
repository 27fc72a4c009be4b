package io.autotrade.marketdata.replay.internal;

import io.autotrade.api.marketdata.CandleFormatException;
import io.autotrade.api.trading.Candle;
import io.autotrade.api.trading.Market;
import io.autotrade.marketdata.replay.internal.CandleFileReader.CsvFormat;
import io.autotrade.marketdata.replay.internal.CandleFileReader.Row;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.AbstractSequentialList;
import java.util.HashMap;
import java.util.List;
import java.util.ListIterator;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Optional;

/**
 * The candles of a clean CSV file (one market, strictly oldest first, whole intervals apart, every row a valid
 * candle) as a list read from the file a row at a time: {@link #open} checks the whole file first, keeping
 * nothing per row, and every iteration reads it anew, so a replay of a long file holds one candle, not the file.
 * A file that is not clean that way (newest first, JSON, a repeated time, a row that is no candle) is left to
 * {@link CandleFileReader}'s whole-file reading, which sorts it or refuses it naming the line. The list is
 * read-only and forward-only: {@code get(i)} reads up to row {@code i}.
 */
final class StreamedCandles extends AbstractSequentialList<Candle> {
    private final Path file;
    private final Market market;
    private final Duration inferred;
    private final int size;

    private StreamedCandles(Path file, Market market, Duration inferred, int size) {
        this.file = file;
        this.market = market;
        this.inferred = inferred;
        this.size = size;
    }

    /** The header of a CSV candle file. */
    private record Header(List<String> names, Map<String, Integer> col, CsvFormat format) {
    }

    /**
     * @param file      the candle file
     * @param requested the market when the file names none
     * @return the file's candles, streamed; empty when the file is not a clean CSV (read it whole then)
     * @throws CandleFormatException for a malformed row or header, as the whole-file reading would say it
     */
    static Optional<List<Candle>> open(Path file, Optional<Market> requested) {
        try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            String first = in.readLine();
            if (first == null || first.isBlank()) {
                return Optional.empty();
            }
            first = first.charAt(0) == '\uFEFF' ? first.substring(1) : first;
            if (first.startsWith("[") || first.startsWith("{")) {
                return Optional.empty();
            }
            Header header = header(file, first);
            if (Files.size(file) >= HALVES_FROM) {
                Optional<List<Candle>> checked = checkHalves(file, header, requested);
                if (checked != null) {
                    return checked;
                }
            }
            return check(file, header, in, requested);
        } catch (CharacterCodingException | UncheckedIOException e) {
            return Optional.empty();
        } catch (IOException e) {
            return Optional.empty(); // the whole-file reading says what is wrong
        }
    }

    private static Header header(Path file, String line) {
        List<String> names = CandleFileReader.split(line).stream().map(h -> h.strip().toLowerCase(java.util.Locale.ROOT)).toList();
        Map<String, Integer> col = new HashMap<>();
        for (int i = 0; i < names.size(); i++) {
            col.putIfAbsent(names.get(i), i);
        }
        return new Header(names, col, CandleFileReader.detect(file, names, col));
    }

    /** Files from this size on are checked in two halves at once (on two threads), when both halves are clean. */
    private static final long HALVES_FROM = 4L << 20;

    /** The first pass: every row parsed and checked, nothing kept but the count and the steps. */
    private static Optional<List<Candle>> check(Path file, Header h, BufferedReader in, Optional<Market> requested)
            throws IOException {
        Scan scan = new Scan(requested);
        int lineNo = 1;
        for (String line = in.readLine(); line != null; line = in.readLine()) {
            lineNo++;
            Row row = row(file, h, lineNo, line);
            if (row != null && !scan.add(row)) {
                return Optional.empty();
            }
        }
        return scan.candles(file, requested);
    }

    /**
     * The first pass over a large file as two scans at once, the second from the first line break after the middle
     * (the work of parsing every row is what costs, and it divides).
     *
     * @return as {@link #check}, or null when a half is not clean or holds a row that is no candle: then the check of
     *         the whole file in one pass decides, and names the line
     */
    private static Optional<List<Candle>> checkHalves(Path file, Header h, Optional<Market> requested) throws IOException {
        long size = Files.size(file);
        long body;
        long middle;
        try (java.nio.channels.FileChannel channel = java.nio.channels.FileChannel.open(file)) {
            body = lineAfter(channel, 0);
            middle = lineAfter(channel, size / 2);
        }
        if (middle <= body || middle >= size) {
            return null;
        }
        java.util.concurrent.CompletableFuture<Scan> second = java.util.concurrent.CompletableFuture.supplyAsync(
                () -> scan(file, h, middle, size, requested));
        Scan first = scan(file, h, body, middle, requested);
        Scan rest;
        try {
            rest = second.join();
        } catch (java.util.concurrent.CompletionException e) {
            return null;
        }
        return first == null || rest == null || !first.addAll(rest) ? null : first.candles(file, requested);
    }

    /** @return the offset after the first line break at or after {@code from}, or the file's size */
    private static long lineAfter(java.nio.channels.FileChannel channel, long from) throws IOException {
        java.nio.ByteBuffer buffer = java.nio.ByteBuffer.allocate(8_192);
        long at = from;
        while (channel.read(buffer.clear(), at) > 0) {
            buffer.flip();
            while (buffer.hasRemaining()) {
                at++;
                if (buffer.get() == '\n') {
                    return at;
                }
            }
        }
        return channel.size();
    }

    /** @return the scan of the rows between two offsets (at line starts), or null if one is no candle */
    private static Scan scan(Path file, Header h, long from, long to, Optional<Market> requested) {
        try (java.io.InputStream raw = Files.newInputStream(file)) {
            raw.skipNBytes(from);
            BufferedReader in = new BufferedReader(new java.io.InputStreamReader(new java.io.FilterInputStream(raw) {
                private long left = to - from;

                @Override
                public int read() throws IOException {
                    return left-- > 0 ? super.read() : -1;
                }

                @Override
                public int read(byte[] b, int off, int len) throws IOException {
                    if (left <= 0) {
                        return -1;
                    }
                    int n = super.read(b, off, (int) Math.min(len, left));
                    left -= Math.max(n, 0);
                    return n;
                }
            }, StandardCharsets.UTF_8.newDecoder()));
            Scan scan = new Scan(requested);
            for (String line = in.readLine(); line != null; line = in.readLine()) {
                Row row = row(file, h, 0, line); // lines are not counted here: a bad row is named by the one-pass check
                if (row != null && !scan.add(row)) {
                    return null;
                }
            }
            return scan;
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    /** What the first pass keeps of the rows: the count, the first and last, the market, the steps between them. */
    private static final class Scan {
        private final Market probe;
        private Row first;
        private Row previous;
        private Row marketRow;
        private Duration minGap;
        private long gcd;
        private int count;

        Scan(Optional<Market> requested) {
            this.probe = requested.orElse(Market.of("KRW-BTC")); // only to check each row makes a candle
        }

        /** @return {@code false} if the rows are not clean with this one (read the file whole then) */
        boolean add(Row row) {
            if (row.market() != null) {
                if (marketRow != null && !marketRow.market().equals(row.market())) {
                    return false;
                }
                marketRow = marketRow == null ? row : marketRow;
            }
            if (previous != null && !step(previous, row)) {
                return false;
            }
            try {
                candle(probe, row, row.unit() != null ? row.unit() : Duration.ofMinutes(1));
            } catch (IllegalArgumentException e) {
                return false;
            }
            first = first == null ? row : first;
            previous = row;
            count++;
            return true;
        }

        /** @return {@code false} unless {@code row} follows {@code before} by a positive step of whole units */
        private boolean step(Row before, Row row) {
            Duration gap = Duration.between(before.openTime(), row.openTime());
            if (!gap.isPositive() || row.unit() != null && gap.toMillis() % row.unit().toMillis() != 0) {
                return false;
            }
            minGap = minGap == null || gap.compareTo(minGap) < 0 ? gap : minGap;
            gcd = gcd(gcd, gap.toMillis());
            return true;
        }

        /** Appends the scan of the rows after these. @return {@code false} if together they are not clean */
        boolean addAll(Scan next) {
            if (next.count == 0) {
                return true;
            }
            if (count == 0) {
                first = next.first;
            } else if (!step(previous, next.first)) {
                return false;
            }
            if (next.marketRow != null) {
                if (marketRow != null && !marketRow.market().equals(next.marketRow.market())) {
                    return false;
                }
                marketRow = marketRow == null ? next.marketRow : marketRow;
            }
            if (next.minGap != null) {
                minGap = minGap == null || next.minGap.compareTo(minGap) < 0 ? next.minGap : minGap;
                gcd = gcd(gcd, next.gcd);
            }
            previous = next.previous;
            count += next.count;
            return true;
        }

        /** @return the streamed candles, or empty when there are none or the steps are not whole intervals */
        Optional<List<Candle>> candles(Path file, Optional<Market> requested) {
            if (count == 0 || minGap != null && previous.unit() == null && gcd != minGap.toMillis()) {
                return Optional.empty(); // no candle, or steps that are not whole intervals: the whole-file reading names them
            }
            Market market = CandleFileReader.market(file, marketRow == null ? List.of() : List.of(marketRow), requested);
            return Optional.of(new StreamedCandles(file, market, minGap, count));
        }
    }

    /** @return the greatest common divisor of two non-negative numbers (Euclid) */
    private static long gcd(long a, long b) {
        return b == 0 ? a : gcd(b, a % b);
    }

    /** @return the line's row, or null for a blank line */
    private static Row row(Path file, Header h, int lineNo, String line) {
        if (line.isBlank()) {
            return null;
        }
        List<String> cells = CandleFileReader.split(line);
        if (cells.size() != h.names().size()) {
            throw new CandleFormatException(file, lineNo, null,
                    "expected " + h.names().size() + " columns as in the header, found " + cells.size());
        }
        return CandleFileReader.csvRow(file, lineNo, h.format(), h.names(), h.col(), cells);
    }

    private static Candle candle(Market market, Row row, Duration interval) {
        return new Candle(market, interval, row.openTime(), row.open(), row.high(), row.low(), row.close(), row.volume(),
                row.quoteVolume());
    }

    @Override
    public int size() {
        return size;
    }

    @Override
    public ListIterator<Candle> listIterator(int index) {
        Reading reading = new Reading();
        for (int i = 0; i < index; i++) {
            reading.next();
        }
        return reading;
    }

    /** Candles the reader hands over at a time. */
    private static final int BATCH = 1_024;
    /** Candles a pass reads on the caller's thread before the rest is read ahead (a look at the first few needs no thread). */
    private static final int AHEAD_AFTER = 256;
    /** Ends the reading of an iteration that was dropped before its end (its thread would wait for room forever). */
    private static final java.lang.ref.Cleaner DROPPED = java.lang.ref.Cleaner.create();

    /**
     * One pass over the file, forward only. The first {@value #AHEAD_AFTER} rows are read on the caller's thread; from
     * there a thread of the pass's own ({@link Prefetch}) reads and parses the rest ahead, a batch at a time, so a
     * replay's thread only takes candles: on a machine with a core to spare the parsing costs the replay nothing. A row
     * that cannot be read reaches the caller at its place, as reading it on the caller's thread would raise it.
     */
    private final class Reading implements ListIterator<Candle> {
        private Rows rows;
        private Prefetch prefetch;
        private Candle[] batch;
        private int at;
        private int index;

        @Override
        public boolean hasNext() {
            return index < size;
        }

        @Override
        public Candle next() {
            if (!hasNext()) {
                throw new NoSuchElementException("the file has " + size + " candles");
            }
            if (index < AHEAD_AFTER) {
                rows = rows == null ? new Rows(StreamedCandles.this) : rows;
                Candle c = rows.next(index);
                index++;
                if (index == size) {
                    rows.close();
                }
                return c;
            }
            if (prefetch == null) { // the rest is read ahead, from where this thread stopped
                prefetch = new Prefetch(rows, size, index);
                rows = null;
                DROPPED.register(this, prefetch::drop);
                Thread reader = new Thread(prefetch, "autotrade-candle-reader");
                reader.setDaemon(true);
                reader.start();
            }
            if (batch == null || at == batch.length) {
                batch = prefetch.take();
                at = 0;
            }
            index++;
            return batch[at++];
        }

        @Override
        public int nextIndex() {
            return index;
        }

        @Override
        public boolean hasPrevious() {
            return false;
        }

        @Override
        public Candle previous() {
            throw new UnsupportedOperationException("streamed candles are read forward");
        }

        @Override
        public int previousIndex() {
            return index - 1;
        }

        @Override
        public void remove() {
            throw new UnsupportedOperationException("streamed candles are read-only");
        }

        @Override
        public void set(Candle c) {
            throw new UnsupportedOperationException("streamed candles are read-only");
        }

        @Override
        public void add(Candle c) {
            throw new UnsupportedOperationException("streamed candles are read-only");
        }
    }

    /** @return the row's own interval, else the file's, else a day */
    private static Duration interval(Row row, Duration inferred) {
        return row.unit() != null ? row.unit() : inferred != null ? inferred : Duration.ofDays(1);
    }

    /** The file's rows as candles, one after the other, from the header on; one thread at a time. */
    private static final class Rows implements AutoCloseable {
        private final StreamedCandles candles;
        private BufferedReader in;
        private Header header;
        private int lineNo = 1;

        Rows(StreamedCandles candles) {
            this.candles = candles;
        }

        /**
         * @param read candles read before this one
         * @return the next row's candle
         * @throws CandleFormatException naming the line, if the row is no candle or the file ends early (it changed)
         */
        Candle next(int read) {
            Path file = candles.file;
            try {
                if (in == null) {
                    in = Files.newBufferedReader(file, StandardCharsets.UTF_8);
                    String first = in.readLine();
                    header = header(file, first.charAt(0) == '\uFEFF' ? first.substring(1) : first);
                }
                Row row = null;
                while (row == null) {
                    String line = in.readLine();
                    if (line == null) {
                        throw new CandleFormatException(file, lineNo, null, "the file changed while it was read: it ends"
                                + " after " + read + " of its " + candles.size + " candles");
                    }
                    row = row(file, header, ++lineNo, line);
                }
                return candle(candles.market, row, interval(row, candles.inferred));
            } catch (IOException e) {
                throw new CandleFormatException(file, lineNo, null, "cannot read: " + e);
            }
        }

        @Override
        public void close() {
            if (in != null) {
                try {
                    in.close();
                } catch (IOException e) {
                    // read to the end already: nothing is lost
                }
            }
        }
    }

    /**
     * Reads the rest of a file's {@code size} candles on its own thread, from an open reader, and hands them over in
     * batches, then the error that stopped it if one did.
     */
    private static final class Prefetch implements Runnable {
        private final Rows rows;
        private final int size;
        private int read;
        private final java.util.concurrent.ArrayBlockingQueue<Object> handed = new java.util.concurrent.ArrayBlockingQueue<>(8);
        private volatile boolean dropped;

        /**
         * @param rows the reader, at the row after the {@code read} candles taken already
         * @param size the file's candles
         * @param read candles taken already
         */
        Prefetch(Rows rows, int size, int read) {
            this.rows = rows;
            this.size = size;
            this.read = read;
        }

        /** The iteration was dropped: stop reading. */
        void drop() {
            dropped = true;
        }

        @Override
        public void run() {
            try (rows) {
                while (read < size) {
                    Candle[] batch = new Candle[Math.min(BATCH, size - read)];
                    for (int i = 0; i < batch.length; i++) {
                        try {
                            batch[i] = rows.next(read);
                        } catch (RuntimeException e) { // the candles before it first, then the error, at its place
                            if (i == 0 || hand(java.util.Arrays.copyOf(batch, i))) {
                                hand(e);
                            }
                            return;
                        }
                        read++;
                    }
                    if (!hand(batch)) {
                        return;
                    }
                }
            }
        }

        /** @return {@code false} if the iteration was dropped meanwhile */
        private boolean hand(Object next) {
            try {
                while (!dropped) {
                    if (handed.offer(next, 200, java.util.concurrent.TimeUnit.MILLISECONDS)) {
                        return true;
                    }
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return false;
        }

        /** @return the next batch; @throws RuntimeException what reading the rows raised, at its place */
        Candle[] take() {
            Object next;
            try {
                next = handed.take();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new CandleFormatException(rows.candles.file, 0, null, "interrupted while waiting for its next candles");
            }
            if (next instanceof RuntimeException failure) {
                throw failure;
            }
            return (Candle[]) next;
        }
    }
}
