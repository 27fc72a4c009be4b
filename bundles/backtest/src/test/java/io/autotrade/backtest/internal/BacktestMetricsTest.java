package io.autotrade.backtest.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.autotrade.api.backtest.ClosedTrade;
import io.autotrade.api.backtest.EquityPoint;
import io.autotrade.api.backtest.Metrics;
import io.autotrade.api.trading.ClientOrderId;
import io.autotrade.api.trading.Market;
import io.autotrade.api.trading.OrderFilled;
import io.autotrade.api.trading.Side;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The metric functions against values computed by hand (a Python one-liner per figure, kept in the
 * comments) on the first nine daily closes of the bundled KRW-BTC sample (2024-10-15..23, KST days).
 */
class BacktestMetricsTest {
    private static final Market BTC = Market.of("KRW-BTC");
    private static final Instant START = Instant.parse("2024-10-15T00:00:00Z");
    private static final long[] CLOSES = {90_600_000, 91_610_000, 91_725_000, 93_330_000, 93_322_000, 93_901_000,
        92_161_000, 92_877_000, 92_375_000};

    private static BigDecimal d(String s) {
        return new BigDecimal(s);
    }

    /** 10,000,000 KRW; 0.05 BTC bought at the first close and held: equity = 5,470,000 + 0.05 * close. */
    private static List<EquityPoint> curve() {
        List<EquityPoint> curve = new ArrayList<>();
        for (int i = 0; i < CLOSES.length; i++) {
            BigDecimal close = BigDecimal.valueOf(CLOSES[i]);
            curve.add(new EquityPoint(START.plus(Duration.ofDays(i + 1)), close,
                    d("5470000").add(d("0.05").multiply(close)), d("0.05")));
        }
        return curve;
    }

    @Test
    void figuresOfAHeldPositionOnRealCloses() {
        Metrics m = compute(START.plus(Duration.ofDays(9)), d("0.04"), curve(),
                List.of(), Duration.ZERO);
        // e9 / e0 - 1 = 10,088,750 / 10,000,000 - 1
        assertEquals(d("0.0088750000"), m.totalReturn());
        // peak 10,165,050 (close 93,901,000 on day 6), trough 10,078,050 (day 7): 87,000 / 10,165,050
        assertEquals(d("0.0085587380"), m.maxDrawdown());
        assertEquals(START.plus(Duration.ofDays(6)), m.maxDrawdownPeak());
        assertEquals(START.plus(Duration.ofDays(7)), m.maxDrawdownTrough());
        // r = [e[i]/e[i-1]-1]; mean(r)/stdev(r, n-1)*sqrt(365) = 3.987379952778822
        assertEquals(3.9873799528, m.sharpe().doubleValue(), 1e-9);
        // mean(r)/sqrt(sum(min(r,0)^2)/n)*sqrt(365) = 6.382120348357059
        assertEquals(6.3821203484, m.sortino().doubleValue(), 1e-9);
        // (e9/e0)^(365.25/9) - 1 = 0.43130725576617146
        assertEquals(0.4313072558, m.cagr().doubleValue(), 1e-9);
        assertEquals(365, m.annualizationDays());
        assertEquals(d("1.0000000000"), m.exposure());
        assertEquals(0, m.closedTrades());
        assertNull(m.winRate());
        assertNull(m.profitFactor());
        assertEquals(d("0.04"), m.buyAndHoldReturn());
    }

    @Test
    void annualizedFiguresAreNotGivenForLessThanNinetyDays() {
        Metrics m = compute(START.plus(Duration.ofDays(9)), d("0.04"), curve(),
                List.of());
        assertNull(m.cagr());
        assertNull(m.sharpe());
        assertNull(m.sortino());
        assertEquals("not given: the data spans 9 days, under the 90 days an annualized figure needs", m.annualizedNote());
        assertEquals(d("0.0088750000"), m.totalReturn(), "what is not extrapolated is still given");
        Metrics year = compute(START.plus(Duration.ofDays(90)), d("0.04"), curve(),
                List.of());
        assertNull(year.annualizedNote());
        assertEquals(3.9873799528, year.sharpe().doubleValue(), 1e-9);
    }

    /** The metrics of every mark of the curve, folded from a cash of 10,000,000 from {@link #START}. */
    private static Metrics compute(Instant end, BigDecimal buyAndHold, List<EquityPoint> curve, List<ClosedTrade> trips,
            Duration... minAnnualizedSpan) {
        EquityCurve folded = new EquityCurve(d("10000000"), START);
        curve.forEach(folded::add);
        return minAnnualizedSpan.length == 0 ? BacktestMetrics.compute(START, end, buyAndHold, folded, trips)
                : BacktestMetrics.compute(START, end, buyAndHold, folded, trips, minAnnualizedSpan[0]);
    }

    private static BacktestMetrics.Fill fill(int day, Side side, String price, String volume) {
        BigDecimal fee = d(price).multiply(d(volume)).multiply(d("0.0005"));
        return new BacktestMetrics.Fill(START.plus(Duration.ofDays(day)), new OrderFilled(new ClientOrderId("o" + day),
                "s", BTC, side, "t" + day, d(price), d(volume), fee, true),
                side == Side.ASK ? io.autotrade.api.trading.ExitReason.SIGNAL : null);
    }

    @Test
    void roundTripsRunFromFlatToFlatAcrossPartialFills() {
        List<ClosedTrade> trips = BacktestMetrics.closedTrades(List.of(
                fill(0, Side.BID, "100000000", "0.01"), fill(1, Side.BID, "110000000", "0.01"),
                fill(3, Side.ASK, "120000000", "0.015"), fill(4, Side.ASK, "90000000", "0.005"),
                fill(5, Side.BID, "90000000", "0.01"), fill(6, Side.ASK, "80000000", "0.01"),
                fill(7, Side.BID, "80000000", "0.01")));
        assertEquals(2, trips.size(), "the last buy is still open");
        ClosedTrade first = trips.get(0);
        assertEquals(d("105000000.00000000"), first.entryPrice());
        assertEquals(d("112500000.00000000"), first.exitPrice(), "(1,800,000 + 450,000) / 0.02");
        assertEquals(0, d("0.02").compareTo(first.volume()));
        // fees: 0.05% of 1,000,000 + 1,100,000 + 1,800,000 + 450,000 = 2,175
        assertEquals(0, d("2175").compareTo(first.fees()));
        assertEquals(0, d("2250000").subtract(d("2100000")).subtract(d("2175")).compareTo(first.pnl()));
        assertEquals(Duration.ofDays(4), first.holding());

        Metrics m = compute(START.plus(Duration.ofDays(9)), BigDecimal.ZERO,
                curve(), trips);
        assertEquals(d("0.5000000000"), m.winRate());
        // gross win 147,825; gross loss 100,000 + 850 = 100,850
        assertEquals(d("1.4657907784"), m.profitFactor());
        assertEquals(0, d("147825").compareTo(m.averageWin()));
        assertEquals(0, d("-100850").compareTo(m.averageLoss()));
    }
}
