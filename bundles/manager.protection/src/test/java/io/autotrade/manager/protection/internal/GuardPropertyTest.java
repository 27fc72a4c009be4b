package io.autotrade.manager.protection.internal;

import static io.autotrade.manager.protection.internal.GuardTest.BTC;
import static io.autotrade.manager.protection.internal.GuardTest.THOUSAND;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.autotrade.api.strategy.ExitRules;
import io.autotrade.api.trading.ExitReason;
import io.autotrade.api.trading.PriceRange;
import io.autotrade.api.trading.Side;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * The exit semantics over random candle paths: an exit price is inside its candle's range and at or beyond the
 * level that triggered it, no candle before the exit reached a level, a candle reaching both levels from between
 * them exits at the stop, and the trailing level never moves down.
 */
class GuardPropertyTest {
    private static final Instant T = Instant.parse("2024-10-15T00:00:00Z");

    /** A candle as open, low, high in thousands of KRW around 100,000 (100,000,000 KRW). */
    record Bar(int open, int low, int high) {
        PriceRange range(int minute) {
            return new PriceRange(BTC, T.plus(Duration.ofMinutes(minute)), k(open), k(low), k(high));
        }
    }

    private static BigDecimal k(int thousands) {
        return BigDecimal.valueOf(thousands).multiply(BigDecimal.valueOf(1000));
    }

    @Provide
    Arbitrary<List<Bar>> paths() {
        Arbitrary<Bar> bar = Combinators.combine(Arbitraries.integers().between(90_000, 110_000),
                Arbitraries.integers().between(0, 4_000), Arbitraries.integers().between(0, 4_000))
                .as((open, down, up) -> new Bar(open, open - down, open + up));
        return bar.list().ofMinSize(1).ofMaxSize(40);
    }

    @Provide
    Arbitrary<Map<String, String>> rules() {
        return Combinators.combine(Arbitraries.of("", "0.01", "0.02", "0.05"), Arbitraries.of("", "0.01", "0.03"),
                Arbitraries.of("", "0.01", "0.02"), Arbitraries.of("", "PT10M", "PT30M"))
                .as((sl, tp, ts, mh) -> Map.of(ExitRules.STOP_LOSS, sl, ExitRules.TAKE_PROFIT, tp, ExitRules.TRAILING_STOP, ts,
                        ExitRules.MAX_HOLDING, mh));
    }

    @Property(tries = 500)
    void exitsFollowTheSemantics(@ForAll("paths") List<Bar> path, @ForAll("rules") Map<String, String> settings) {
        Guard g = new Guard("s", BTC, ExitRules.parse(settings));
        Bar first = path.get(0);
        g.filled(Side.BID, k(first.open()), new BigDecimal("0.01"), T, THOUSAND); // entered at the first candle's open
        BigDecimal trailing = g.trailingLevel();
        for (int i = 0; i < path.size(); i++) {
            PriceRange r = path.get(i).range(i);
            BigDecimal stop = g.stopLevel(THOUSAND);
            BigDecimal floor = trailing == null ? stop : stop == null ? trailing : stop.max(trailing);
            BigDecimal target = g.targetLevel(THOUSAND, r.from());
            boolean reachesFloor = floor != null && r.low().compareTo(floor) <= 0;
            boolean reachesTarget = target != null && r.high().compareTo(target) >= 0;
            boolean late = g.rules().maxHolding() != null && !r.from().isBefore(T.plus(g.rules().maxHolding()));
            Optional<Guard.Trigger> exit = g.check(r, THOUSAND);
            assertEquals(reachesFloor || reachesTarget || late, exit.isPresent(), "an exit exactly when a level is reached, at candle " + i);
            if (exit.isPresent()) {
                Guard.Trigger t = exit.get();
                assertTrue(t.price().compareTo(r.low()) >= 0 && t.price().compareTo(r.high()) <= 0, "inside the candle");
                switch (t.reason()) {
                    case STOP_LOSS, TRAILING_STOP -> assertTrue(t.price().compareTo(floor) <= 0, "at or below the stop");
                    case TAKE_PROFIT -> assertTrue(t.price().compareTo(target) >= 0, "at or above the target");
                    case TIME_EXIT -> assertEquals(r.open(), t.price());
                    default -> throw new AssertionError(t.reason());
                }
                boolean openBetween = (floor == null || r.open().compareTo(floor) > 0) && (target == null || r.open().compareTo(target) < 0);
                if (reachesFloor && reachesTarget && openBetween && !late) {
                    assertTrue(t.reason() == ExitReason.STOP_LOSS || t.reason() == ExitReason.TRAILING_STOP, "the stop wins");
                }
                return;
            }
            g.passed(r, THOUSAND);
            if (trailing != null) {
                assertTrue(g.trailingLevel().compareTo(trailing) >= 0, "the trailing level never moves down");
            }
            trailing = g.trailingLevel();
        }
    }
}
