package io.autotrade.it.osgi;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import io.autotrade.api.portfolio.OrderBlotter;
import io.autotrade.api.portfolio.OrderView;
import io.autotrade.api.portfolio.PositionBook;
import io.autotrade.api.strategy.Strategy;
import io.autotrade.api.trading.Market;
import io.autotrade.api.trading.OrderState;
import io.autotrade.api.trading.TradingState;
import io.autotrade.api.trading.TradingStatus;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import javax.inject.Inject;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.framework.BundleContext;

/**
 * Paper trading with the paper feature's real bundles: two strategies (RSI on KRW-BTC, the
 * moving-average crossover on KRW-NEO) configured from the shell trade side by side on one paper
 * account while {@code trade:replay} feeds the bundled real daily candles of both markets, merged in
 * time order. Each strategy orders only its own market, both fill, and each is IDLE at the end.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class PaperTwoMarketsIT {
    private static final Path SAMPLES = Paths.get(System.getProperty("autotrade.samples", "../data")).toAbsolutePath();

    @Inject
    private BundleContext context;

    @Configuration
    public Option[] config() {
        return FeatureOptions.of("paper");
    }

    @Test
    public void twoStrategiesOnTwoMarketsTradeSideBySideOnOnePaperAccount() throws Exception {
        Probe.paperExchange(context);
        Probe.configure(context, Probe.RSI_ON_BTC);
        Probe.configure(context, "trade:config io.autotrade.strategy.macross~neo market KRW-NEO",
                "trade:config io.autotrade.strategy.macross~neo fast.period 3",
                "trade:config io.autotrade.strategy.macross~neo slow.period 10");
        Probe.await("both instances run with their last settings", () -> {
            List<String> settings = context.getServiceReferences(Strategy.class, null).stream()
                    .map(r -> context.getService(r).settings().toString()).toList();
            return settings.size() == 2 && settings.stream().anyMatch(t -> t.contains("overbought=60"))
                    && settings.stream().anyMatch(t -> t.contains("slow.period=10"));
        });

        String replayed = Probe.shell(context, "trade:replay '" + SAMPLES.resolve("upbit/KRW-BTC_day_2024-01-02_2024-07.csv")
                + "' '" + SAMPLES.resolve("upbit/KRW-NEO_day_2024-01-01_2024-07.csv") + "'");
        assertTrue(replayed, replayed.startsWith("replayed") && replayed.contains("KRW-BTC") && replayed.contains("KRW-NEO"));
        Probe.settle(context);
        List<OrderView> orders = Probe.service(context, OrderBlotter.class).orders();
        Map<String, Set<String>> marketsByStrategy = orders.stream().collect(Collectors.groupingBy(OrderView::strategyId,
                Collectors.mapping(o -> o.spec().market().code(), Collectors.toSet())));
        assertEquals(orders.toString(), Map.of("rsi-KRW-BTC", Set.of("KRW-BTC"), "macross-KRW-NEO", Set.of("KRW-NEO")),
                marketsByStrategy);
        for (String strategy : marketsByStrategy.keySet()) {
            assertTrue(strategy + " fills", orders.stream().anyMatch(o -> o.strategyId().equals(strategy)
                    && o.state() == OrderState.FILLED));
            assertEquals(TradingState.IDLE, Probe.service(context, TradingStatus.class).state(strategy));
        }
        PositionBook book = Probe.service(context, PositionBook.class);
        assertTrue(book.position(Market.of("KRW-BTC")).isPresent());
        assertTrue(book.position(Market.of("KRW-NEO")).isPresent());
        String status = Probe.shell(context, "trade:status");
        assertTrue(status, status.contains("rsi-KRW-BTC") && status.contains("macross-KRW-NEO"));
    }
}
