package io.autotrade.exchange.paper.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.autotrade.api.event.DomainEvent;
import io.autotrade.api.exchange.Balance;
import io.autotrade.exchange.rules.TickSize;
import io.autotrade.api.trading.Candle;
import io.autotrade.api.trading.CandleClosed;
import io.autotrade.api.trading.CandleOpened;
import io.autotrade.api.trading.ClientOrderId;
import io.autotrade.api.trading.Market;
import io.autotrade.api.trading.OrderFilled;
import io.autotrade.api.trading.OrderRequested;
import io.autotrade.api.trading.OrderSpec;
import io.autotrade.api.trading.TimeInForce;
import io.autotrade.api.trading.Position;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * Property tests of the paper exchange's books together with the position fold: random sequences of
 * market and limit orders, candles (so fills, partial fills under a participation rate), and
 * cancels. After every step the books balance exactly:
 * {@code initial cash + realized + unrealized - fees == cash + locked + position value}, the position
 * equals the coins held, no amount is negative; when every order is canceled nothing stays locked.
 */
class PaperAccountingPropertyTest {
    private static final Market BTC = Market.of("KRW-BTC");
    private static final BigDecimal INITIAL = new BigDecimal("10000000");
    private static final BigDecimal FEE = new BigDecimal("0.0005");

    /** One step of a random session. */
    sealed interface Step permits Buy, Sell, LimitBuy, LimitSell, Bar, Cancel {
    }

    record Buy(int amount, boolean best) implements Step {
    }

    record Sell(int percentOfCoins) implements Step {
    }

    record LimitBuy(int volumeMicros, int offsetPermille, int tif) implements Step {
    }

    record LimitSell(int percentOfCoins, int offsetPermille, int tif) implements Step {
    }

    /** A candle: moves from the last close by the given per-mille amounts, and trades volumeMicros. */
    record Bar(int openMove, int highMove, int lowMove, int closeMove, int volumeMicros) implements Step {
    }

    record Cancel(int pick) implements Step {
    }

    @Provide
    Arbitrary<List<Step>> sessions() {
        Arbitrary<Step> buy = Combinators.combine(Arbitraries.integers().between(4_000, 3_000_000), Arbitraries.of(false, true))
                .as(Buy::new);
        Arbitrary<Integer> tif = Arbitraries.integers().between(0, 5);
        Arbitrary<Step> sell = Arbitraries.integers().between(1, 100).map(Sell::new);
        Arbitrary<Step> limitBuy = Combinators.combine(Arbitraries.integers().between(1, 40_000),
                Arbitraries.integers().between(-30, 10), tif).as(LimitBuy::new);
        Arbitrary<Step> limitSell = Combinators.combine(Arbitraries.integers().between(1, 100),
                Arbitraries.integers().between(-10, 30), tif).as(LimitSell::new);
        Arbitrary<Integer> move = Arbitraries.integers().between(-40, 40);
        Arbitrary<Step> bar = Combinators.combine(move, Arbitraries.integers().between(0, 40),
                Arbitraries.integers().between(0, 40), move, Arbitraries.integers().between(0, 200_000))
                .as(Bar::new);
        Arbitrary<Step> cancel = Arbitraries.integers().between(0, 10).map(Cancel::new);
        return Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(3, buy), net.jqwik.api.Tuple.of(2, sell), net.jqwik.api.Tuple.of(3, limitBuy),
                net.jqwik.api.Tuple.of(2, limitSell), net.jqwik.api.Tuple.of(6, bar), net.jqwik.api.Tuple.of(1, cancel))
                .list().ofMinSize(5).ofMaxSize(60);
    }

    @Provide
    Arbitrary<BigDecimal> participation() {
        return Arbitraries.of(new BigDecimal("1"), new BigDecimal("0.5"), new BigDecimal("0.1"), new BigDecimal("0.01"));
    }

    @Property(tries = 300)
    void theBooksBalanceAfterEveryStep(@ForAll("sessions") List<Step> steps,
            @ForAll("participation") BigDecimal participation) {
        PaperBook book = new PaperBook(Map.of("KRW", INITIAL), FEE, Map.of("KRW", new BigDecimal("5000")), participation);
        Session s = new Session(book);
        for (Step step : steps) {
            s.apply(step);
            s.assertBalanced(step);
        }
        for (ClientOrderId id : book.workingOrders()) {
            s.events(List.of(book.cancel(id, s.now)));
        }
        s.assertBalanced(null);
        assertEquals(0, book.balances().get("KRW").locked().signum(), "canceling every order unlocks all cash");
        assertEquals(0, book.balances().getOrDefault("BTC", new Balance("BTC", BigDecimal.ZERO, BigDecimal.ZERO))
                .locked().signum(), "canceling every order unlocks all coins");
    }

    /**
     * After a restart the exchange's book is rebuilt from the journal's orders, fills and cancels (not by working the
     * fills out again): with the candles journaled (paper trading) or, as a resumed backtest does, with the journal
     * holding no candle and the exchange warmed up on each candle's close. Either way the rebuilt book holds the same
     * balances and working orders as the live one, and both fill the same on the next candles.
     */
    @Property(tries = 200)
    void aBookRebuiltFromTheJournalIsTheLiveOne(@ForAll("sessions") List<Step> steps,
            @ForAll("participation") BigDecimal participation, @ForAll boolean byReference) {
        PaperBook book = new PaperBook(Map.of("KRW", INITIAL), FEE, Map.of("KRW", new BigDecimal("5000")), participation);
        Session s = new Session(book);
        steps.forEach(s::apply);
        List<DomainEvent<?>> journal = byReference ? s.journal.stream().filter(e -> !s.candles.contains(e)).toList() : s.journal;
        io.autotrade.testing.MemoryEventStore store = io.autotrade.testing.MemoryEventStore.of(journal);
        if (!byReference) {
            store.handledBy(PaperExchange.HANDLER, s.candles);
        }
        io.autotrade.testing.RecordingEventBus bus = new io.autotrade.testing.RecordingEventBus();
        PaperExchange rebuilt = new PaperExchange(bus, store, config(participation));
        if (byReference) {
            for (DomainEvent<?> c : s.candles) {
                if (c.payload() instanceof CandleClosed closed) { // the resumed replay's warm-up: closes only
                    rebuilt.handleEvent(osgi(DomainEvent.of(new CandleClosed(closed.candle(), Boolean.TRUE), c.occurredAt())));
                }
            }
        }
        assertSameBooks(book, rebuilt, "rebuilt");
        assertEquals(List.of(), bus.published(), "a rebuild publishes nothing");
        for (int i = 0; i < 3; i++) { // the next candles: the same fills from both
            BigDecimal open = s.moved(i * 7 - 10);
            Candle candle = new Candle(BTC, Duration.ofMinutes(1), s.now, open, open.max(s.moved(20)), open.min(s.moved(-20)),
                    open, new BigDecimal("0.5"), null);
            DomainEvent<CandleOpened> opened = DomainEvent.of(new CandleOpened(BTC, s.now, open), s.now);
            DomainEvent<CandleClosed> closed = DomainEvent.of(new CandleClosed(candle), s.now.plusSeconds(60));
            s.now = s.now.plusSeconds(60);
            s.last = open;
            List<DomainEvent<?>> live = new ArrayList<>(book.onOpen(opened));
            live.addAll(book.onClose(closed));
            int before = bus.published().size();
            rebuilt.handleEvent(osgi(opened));
            rebuilt.handleEvent(osgi(closed));
            assertEquals(live.stream().map(e -> e.payload().toString()).toList(), bus.published().subList(before,
                    bus.published().size()).stream().map(e -> e.payload().toString()).toList(), "candle " + i + " after the rebuild");
            assertSameBooks(book, rebuilt, "after candle " + i);
        }
    }

    private static org.osgi.service.event.Event osgi(DomainEvent<?> event) {
        return new org.osgi.service.event.Event(event.topic(), Map.of(io.autotrade.api.event.EventProperties.EVENT, event));
    }

    private static void assertSameBooks(PaperBook book, PaperExchange rebuilt, String when) {
        Map<String, Balance> want = book.balances();
        Map<String, Balance> got = rebuilt.balances();
        for (String currency : want.keySet()) {
            Balance w = want.get(currency);
            Balance g = got.getOrDefault(currency, new Balance(currency, BigDecimal.ZERO, BigDecimal.ZERO));
            assertEquals(0, w.available().compareTo(g.available()), when + ": " + currency + " available " + w + " vs " + g);
            assertEquals(0, w.locked().compareTo(g.locked()), when + ": " + currency + " locked " + w + " vs " + g);
        }
    }

    private static PaperExchange.Config config(BigDecimal participation) {
        return new PaperExchange.Config() {
            public Class<? extends java.lang.annotation.Annotation> annotationType() {
                return PaperExchange.Config.class;
            }

            public String[] initial_balances() {
                return new String[] {"KRW=" + INITIAL.toPlainString()};
            }

            public String fee_rate() {
                return FEE.toPlainString();
            }

            public String[] min_order_total() {
                return new String[] {"KRW=5000"};
            }

            public String participation_rate() {
                return participation.toPlainString();
            }
        };
    }

    /** The book, the position folded from its fills, and the market's price path. */
    private static final class Session {
        final PaperBook book;
        Position position;
        BigDecimal last = new BigDecimal("90000000");
        Instant now = Instant.parse("2024-10-15T00:00:00Z");
        int orders;
        final List<ClientOrderId> immediate = new java.util.ArrayList<>();
        /** What a journal would hold: requests, their submissions to paper, the book's outputs, and the candles. */
        final List<DomainEvent<?>> journal = new ArrayList<>();
        final List<DomainEvent<?>> candles = new ArrayList<>();

        Session(PaperBook book) {
            this.book = book;
            this.position = Position.flat(BTC, now);
        }

        BigDecimal coins() {
            Balance b = book.balances().get("BTC");
            return b == null ? BigDecimal.ZERO : b.available();
        }

        /** @return no time in force for 0..2, else IOC, FOK, post-only */
        static TimeInForce tif(int pick) {
            return pick < 3 ? null : TimeInForce.values()[pick - 3];
        }

        void submit(OrderSpec spec) {
            if (spec.timeInForce() == TimeInForce.IOC || spec.timeInForce() == TimeInForce.FOK) {
                immediate.add(new ClientOrderId("o" + (orders + 1)));
            }
            DomainEvent<OrderRequested> request = DomainEvent.of(new OrderRequested(new ClientOrderId("o" + (++orders)), "prop",
                    spec), now);
            journal.add(request);
            journal.add(DomainEvent.causedBy(request, new io.autotrade.api.trading.OrderSubmitted(request.payload().orderId(),
                    "prop", BTC, "paper"), now));
            events(book.submit(request));
        }

        BigDecimal moved(int permille) {
            BigDecimal p = last.multiply(BigDecimal.valueOf(1000 + permille)).divide(BigDecimal.valueOf(1000), 0,
                    RoundingMode.HALF_EVEN);
            return TickSize.round(BTC, p.max(new BigDecimal("1000")), RoundingMode.HALF_EVEN);
        }

        void apply(Step step) {
            switch (step) {
                case Buy b -> submit(b.best() ? OrderSpec.bestBuy(BTC, BigDecimal.valueOf(b.amount()), TimeInForce.IOC)
                        : OrderSpec.marketBuy(BTC, BigDecimal.valueOf(b.amount())));
                case Sell s -> {
                    BigDecimal v = coins().multiply(BigDecimal.valueOf(s.percentOfCoins()))
                            .divide(BigDecimal.valueOf(100), PaperBook.VOLUME_SCALE, RoundingMode.DOWN);
                    if (v.signum() > 0) {
                        submit(OrderSpec.marketSell(BTC, v));
                    }
                }
                case LimitBuy l -> submit(OrderSpec.limitBuy(BTC,
                        BigDecimal.valueOf(l.volumeMicros()).movePointLeft(6), moved(l.offsetPermille())).with(tif(l.tif()), null));
                case LimitSell l -> {
                    BigDecimal v = coins().multiply(BigDecimal.valueOf(l.percentOfCoins()))
                            .divide(BigDecimal.valueOf(100), PaperBook.VOLUME_SCALE, RoundingMode.DOWN);
                    if (v.signum() > 0) {
                        submit(OrderSpec.limitSell(BTC, v, moved(l.offsetPermille())).with(tif(l.tif()), null));
                    }
                }
                case Bar b -> {
                    BigDecimal open = moved(b.openMove());
                    BigDecimal close = moved(b.closeMove());
                    BigDecimal high = open.max(close).max(moved(b.highMove()));
                    BigDecimal low = open.min(close).min(moved(-b.lowMove()));
                    Candle candle = new Candle(BTC, Duration.ofMinutes(1), now, open, high, low, close,
                            BigDecimal.valueOf(b.volumeMicros()).movePointLeft(6), null);
                    DomainEvent<CandleOpened> opened = DomainEvent.of(new CandleOpened(BTC, now, open), now);
                    journal.add(opened);
                    candles.add(opened);
                    events(book.onOpen(opened));
                    now = now.plusSeconds(60);
                    DomainEvent<CandleClosed> closed = DomainEvent.of(new CandleClosed(candle), now);
                    journal.add(closed);
                    candles.add(closed);
                    events(book.onClose(closed));
                    position = position.markedAt(close);
                    immediate.removeIf(id -> {
                        assertFalse(book.workingOrders().contains(id), "an IOC or FOK order never outlives its arrival candle");
                        return true;
                    });
                    last = close;
                }
                case Cancel c -> {
                    List<ClientOrderId> open = book.workingOrders();
                    if (!open.isEmpty()) {
                        events(List.of(book.cancel(open.get(c.pick() % open.size()), now)));
                    }
                }
            }
        }

        void events(List<DomainEvent<?>> events) {
            journal.addAll(events);
            for (DomainEvent<?> e : events) {
                if (e.payload() instanceof OrderFilled fill) {
                    assertTrue(fill.volume().signum() > 0 && fill.fee().signum() >= 0, fill.toString());
                    position = io.autotrade.manager.position.internal.PositionFold.apply(position, fill, e.occurredAt());
                }
            }
        }

        void assertBalanced(Step step) {
            List<String> why = new ArrayList<>();
            Balance krw = book.balances().get("KRW");
            Balance btc = book.balances().getOrDefault("BTC", new Balance("BTC", BigDecimal.ZERO, BigDecimal.ZERO));
            for (String currency : List.of("KRW", "BTC", "ETH")) { // one currency's balance is the map's entry
                assertEquals(book.balances().get(currency), book.balanceOf(currency), currency + " after " + step);
            }
            for (Balance b : List.of(krw, btc)) {
                assertTrue(b.available().signum() >= 0 && b.locked().signum() >= 0, "negative balance " + b + " after " + step);
            }
            assertEquals(0, position.volume().compareTo(btc.available().add(btc.locked())),
                    "position volume equals coins held after " + step);
            BigDecimal left = INITIAL.add(position.realizedPnl()).add(position.unrealizedPnl()).subtract(position.feesPaid());
            BigDecimal right = krw.available().add(krw.locked()).add(position.marketValue());
            why.add("initial + realized + unrealized - fees = " + left.toPlainString());
            why.add("cash + locked + position value = " + right.toPlainString());
            assertEquals(0, left.compareTo(right), String.join("; ", why) + " after " + step);
        }
    }
}
