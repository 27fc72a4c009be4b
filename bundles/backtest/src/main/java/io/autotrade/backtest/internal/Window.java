package io.autotrade.backtest.internal;

import io.autotrade.api.backtest.BacktestException;
import io.autotrade.api.trading.Candle;
import java.time.Instant;
import java.util.AbstractSequentialList;
import java.util.List;
import java.util.ListIterator;
import java.util.NoSuchElementException;

/** A run's window of a candle file: the candles from the warm-up's start on, read as the file is (maybe streamed). */
final class Window extends AbstractSequentialList<Candle> {
    private final List<Candle> candles;
    private final Instant from;
    private int size = -1;

    private Window(List<Candle> candles, Instant from) {
        this.candles = candles;
        this.from = from;
    }

    /**
     * @param candles every candle of the file, in time order
     * @param from    the first open to keep, or null for all
     * @return the candles opening at or after {@code from}
     */
    static List<Candle> from(List<Candle> candles, Instant from) {
        return from == null ? candles : new Window(candles, from);
    }

    /**
     * @return the first candle that trades: the first opening at or after {@code tradeFrom} (the first of all without
     *         one), and before {@code tradeTo}
     * @throws BacktestException naming the window, when no candle of the file opens in it
     */
    static Candle firstTrading(List<Candle> candles, Instant tradeFrom, Instant tradeTo) {
        for (Candle c : candles) {
            if (tradeFrom == null || !c.openTime().isBefore(tradeFrom)) {
                if (tradeTo != null && !c.openTime().isBefore(tradeTo)) {
                    break;
                }
                return c;
            }
        }
        throw new BacktestException("no candle of the file opens between " + (tradeFrom == null ? "its start" : tradeFrom)
                + " and " + (tradeTo == null ? "its end" : tradeTo) + ": nothing to trade");
    }

    @Override
    public int size() {
        if (size < 0) {
            int n = 0;
            for (ListIterator<Candle> it = listIterator(0); it.hasNext(); it.next()) {
                n++;
            }
            size = n;
        }
        return size;
    }

    @Override
    public ListIterator<Candle> listIterator(int index) {
        if (index != 0) {
            throw new UnsupportedOperationException("a window is read from its start");
        }
        ListIterator<Candle> all = candles.listIterator();
        return new ListIterator<>() {
            private Candle next = advance();
            private int position;

            private Candle advance() {
                while (all.hasNext()) {
                    Candle c = all.next();
                    if (!c.openTime().isBefore(from)) {
                        return c;
                    }
                }
                return null;
            }

            @Override
            public boolean hasNext() {
                return next != null;
            }

            @Override
            public Candle next() {
                if (next == null) {
                    throw new NoSuchElementException();
                }
                Candle c = next;
                next = all.hasNext() ? all.next() : null;
                position++;
                return c;
            }

            @Override
            public boolean hasPrevious() {
                return false;
            }

            @Override
            public Candle previous() {
                throw new UnsupportedOperationException();
            }

            @Override
            public int nextIndex() {
                return position;
            }

            @Override
            public int previousIndex() {
                return position - 1;
            }

            @Override
            public void remove() {
                throw new UnsupportedOperationException();
            }

            @Override
            public void set(Candle c) {
                throw new UnsupportedOperationException();
            }

            @Override
            public void add(Candle c) {
                throw new UnsupportedOperationException();
            }
        };
    }
}
