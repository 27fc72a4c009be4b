package io.autotrade.backtest.internal;

import io.autotrade.api.backtest.BacktestException;
import io.autotrade.api.backtest.BacktestReport;
import io.autotrade.api.backtest.BacktestRequest;
import io.autotrade.api.backtest.BacktestRunner;
import io.autotrade.api.backtest.ClosedTrade;
import io.autotrade.api.backtest.EquityPoint;
import io.autotrade.api.backtest.Metrics;
import io.autotrade.api.backtest.Rejection;
import io.autotrade.api.backtest.ReportRenderer;
import io.autotrade.api.backtest.Trade;
import io.autotrade.api.risk.RiskView;
import io.autotrade.api.event.DomainEvent;
import io.autotrade.api.event.EventQuery;
import io.autotrade.api.event.EventStore;
import io.autotrade.api.exchange.Balance;
import io.autotrade.api.exchange.Exchange;
import io.autotrade.api.marketdata.MarketDataSource;
import io.autotrade.api.marketdata.ReplayResult;
import io.autotrade.api.portfolio.PositionBook;
import io.autotrade.api.strategy.Strategy;
import io.autotrade.api.trading.Candle;
import io.autotrade.api.trading.CandleClosed;
import io.autotrade.api.trading.Market;
import io.autotrade.api.trading.OrderFilled;
import io.autotrade.api.trading.OrderRejected;
import io.autotrade.api.trading.Position;
import java.io.IOException;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.osgi.framework.BundleContext;
import org.osgi.framework.Filter;
import org.osgi.framework.FrameworkUtil;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.util.tracker.ServiceTracker;

/**
 * Runs a backtest through the real pipeline. It configures the paper exchange (PID
 * {@code io.autotrade.exchange.paper}) with the initial cash in the market's quote currency and one
 * strategy instance (a factory configuration of the requested PID) through ConfigAdmin, waits for
 * both services, replays the candles, and marks equity ({@code quote balance + base balance * close})
 * at every close. Afterwards it removes both configurations, checks that the books balance and
 * reports. One backtest at a time.
 */
@Component(service = BacktestRunner.class)
public class PipelineBacktestRunner implements BacktestRunner {
    static final String PAPER_PID = "io.autotrade.exchange.paper";
    static final String RISK_PID = "io.autotrade.manager.risk";
    private static final long SERVICE_WAIT_MS = 15_000;

    private final BundleContext context;
    private final MarketDataSource source;
    private final EventStore store;
    private final PositionBook positions;
    private final ConfigurationAdmin configAdmin;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile ReportRenderer renderer;

    /**
     * @param context     to wait for the exchange and strategy services
     * @param source      reads and replays candles
     * @param store       the fills and rejections of the run
     * @param positions   the position at the end
     * @param configAdmin to configure the paper exchange and the strategy
     */
    @Activate
    public PipelineBacktestRunner(BundleContext context, @Reference MarketDataSource source,
            @Reference EventStore store, @Reference PositionBook positions, @Reference ConfigurationAdmin configAdmin) {
        this.context = context;
        this.source = source;
        this.store = store;
        this.positions = positions;
        this.configAdmin = configAdmin;
    }

    @Override
    public synchronized BacktestReport run(BacktestRequest request) {
        List<Candle> candles = source.read(request.data(), request.market().map(Market::of));
        Market market = candles.get(0).market();
        Instant started = candles.get(0).openTime();
        boolean used = !store.query(EventQuery.ofType(CandleClosed.KIND.type()).limit(1)).isEmpty()
                || !store.query(EventQuery.ofType(OrderFilled.KIND.type()).limit(1)).isEmpty()
                || positions.position(market).filter(p -> !p.isFlat()).isPresent();
        if (used && !request.resume()) {
            throw new BacktestException("the database " + store.location() + " already holds a run: a backtest"
                    + " starts from an empty book. Use a fresh --db folder, or --resume to continue an interrupted run.");
        }
        Configuration exchangeConfig = null;
        Configuration strategyConfig = null;
        Configuration riskConfig = null;
        try {
            if (!request.riskConfig().isEmpty()) {
                RiskView risk = await(RiskView.class, "", "the risk manager");
                Map<String, BigDecimal> limits = riskLimits(risk, request.riskConfig());
                riskConfig = configAdmin.getConfiguration(RISK_PID, "?");
                Dictionary<String, Object> riskProps = new Hashtable<>();
                request.riskConfig().forEach(riskProps::put);
                riskConfig.update(riskProps);
                awaitRiskLimits(risk, limits);
            }
            exchangeConfig = configAdmin.getConfiguration(PAPER_PID, "?");
            Dictionary<String, Object> exchangeProps = new Hashtable<>();
            exchangeProps.put("initial.balances", new String[] {market.quote() + "=" + request.initialCash().toPlainString()});
            exchangeConfig.update(exchangeProps);
            Exchange exchange = await(Exchange.class, "(" + Exchange.EXCHANGE_ID + "=paper)", "the paper exchange");

            strategyConfig = configAdmin.getFactoryConfiguration(request.strategyPid(), "backtest-" + market.code(), "?");
            Dictionary<String, Object> strategyProps = new Hashtable<>();
            request.strategyConfig().forEach(strategyProps::put);
            strategyProps.put("market", market.code());
            strategyConfig.update(strategyProps);
            Strategy strategy = await(Strategy.class, "(" + Strategy.MARKET + "=" + market.code() + ")",
                    "strategy " + request.strategyPid() + " for " + market + " (check its configuration: "
                            + request.strategyConfig() + ")");

            List<EquityPoint> curve = new ArrayList<>(candles.size());
            ConsoleProgress progress = ConsoleProgress.onStandardError(candles.size());
            ReplayResult replay;
            try {
                replay = source.replay(candles, candle -> {
                    curve.add(mark(exchange, market, candle));
                    progress.update(curve.size(), System.nanoTime());
                });
            } finally {
                progress.finish();
            }
            Candle last = candles.get(candles.size() - 1);
            BacktestReport report = report(request, market, strategy, exchange, replay, candles.get(0), last, curve);
            request.reportFile().ifPresent(file -> ReportJson.write(report, file));
            if (request.htmlFile().isPresent()) {
                ReportRenderer html = renderer;
                if (html == null) {
                    throw new BacktestException("no HTML report renderer is running (bundle io.autotrade.report.html)");
                }
                html.writeHtml(report, request.htmlFile().get(), Map.of());
            }
            return report;
        } catch (IOException e) {
            throw new BacktestException("cannot configure the backtest through ConfigAdmin: " + e.getMessage(), e);
        } finally {
            delete(strategyConfig);
            delete(exchangeConfig);
            delete(riskConfig);
        }
    }

    private static void delete(Configuration configuration) {
        if (configuration != null) {
            try {
                configuration.delete();
            } catch (IOException | IllegalStateException e) {
                // already gone: nothing to undo
            }
        }
    }

    private <S> S await(Class<S> type, String filter, String what) {
        Filter f;
        try {
            f = FrameworkUtil.createFilter("(&(objectClass=" + type.getName() + ")" + filter + ")");
        } catch (InvalidSyntaxException e) {
            throw new BacktestException("bad service filter " + filter + ": " + e.getMessage(), e);
        }
        ServiceTracker<S, S> tracker = new ServiceTracker<>(context, f, null);
        tracker.open();
        try {
            S service = tracker.waitForService(SERVICE_WAIT_MS);
            if (service == null) {
                throw new BacktestException(what + " did not start within " + SERVICE_WAIT_MS + " ms");
            }
            return service;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new BacktestException("interrupted while waiting for " + what, e);
        } finally {
            tracker.close();
        }
    }

    private static EquityPoint mark(Exchange exchange, Market market, Candle candle) {
        Map<String, Balance> balances = exchange.balances();
        BigDecimal cash = Optional.ofNullable(balances.get(market.quote())).map(Balance::total).orElse(BigDecimal.ZERO);
        BigDecimal held = Optional.ofNullable(balances.get(market.base())).map(Balance::total).orElse(BigDecimal.ZERO);
        return new EquityPoint(candle.closeTime(), candle.close(), cash.add(held.multiply(candle.close())), held);
    }

    private BacktestReport report(BacktestRequest request, Market market, Strategy strategy, Exchange exchange,
            ReplayResult replay, Candle first, Candle last, List<EquityPoint> curve) {
        Map<String, Balance> balances = exchange.balances();
        BigDecimal cash = Optional.ofNullable(balances.get(market.quote())).map(Balance::total).orElse(BigDecimal.ZERO);
        BigDecimal held = Optional.ofNullable(balances.get(market.base())).map(Balance::total).orElse(BigDecimal.ZERO);
        Position position = positions.position(market).orElse(Position.flat(market, last.closeTime()));
        if (position.volume().compareTo(held) != 0) {
            throw new BacktestException("the position manager holds " + position.volume().toPlainString() + " "
                    + market.base() + " but the exchange balance is " + held.toPlainString());
        }
        BigDecimal lastPrice = last.close();
        BigDecimal unrealized = position.volume().multiply(lastPrice).subtract(position.costBasis());
        BigDecimal equity = cash.add(position.volume().multiply(lastPrice));
        BigDecimal fromPnl = request.initialCash().add(position.realizedPnl()).add(unrealized).subtract(position.feesPaid());
        if (fromPnl.compareTo(equity) != 0) {
            throw new BacktestException("the books do not balance: initial cash + realized + unrealized - fees = "
                    + fromPnl.toPlainString() + " but cash + position value = " + equity.toPlainString());
        }
        List<DomainEvent<?>> fillEvents = store.query(EventQuery.ofType(OrderFilled.KIND.type()));
        List<Trade> trades = fillEvents.stream().map(PipelineBacktestRunner::trade).toList();
        List<ClosedTrade> closed = BacktestMetrics.closedTrades(fillEvents.stream()
                .map(e -> new BacktestMetrics.Fill(e.occurredAt(), (OrderFilled) e.payload())).toList());
        List<Rejection> rejections = store.query(EventQuery.ofType(OrderRejected.KIND.type())).stream()
                .map(PipelineBacktestRunner::rejection).toList();
        BigDecimal buyAndHold = lastPrice.divide(first.open(), BacktestReport.RATIO_SCALE, RoundingMode.HALF_EVEN)
                .subtract(BigDecimal.ONE);
        Metrics metrics = BacktestMetrics.compute(request.initialCash(), replay.firstOpen(), replay.lastClose(), buyAndHold,
                curve, closed);
        return new BacktestReport(market.code(), request.data().toString(), strategy.id(), strategy.settings(),
                replay.candles(), replay.firstOpen(), replay.lastClose(), request.initialCash(), cash,
                position.volume(), lastPrice, equity, position.realizedPnl(), unrealized, position.feesPaid(),
                trades, rejections, exchange.rules(market).bidFee(), request.riskConfig(), curve, closed, metrics);
    }

    private static Rejection rejection(DomainEvent<?> event) {
        OrderRejected r = (OrderRejected) event.payload();
        return new Rejection(event.occurredAt(), r.orderId().value(), r.code(), r.reason());
    }

    /**
     * @return the requested limits by rule, parsed
     * @throws BacktestException naming a rule the risk manager does not have, or a value that is not a number
     */
    private static Map<String, BigDecimal> riskLimits(RiskView view, Map<String, String> wanted) {
        List<String> rules = view.limits().stream().map(l -> l.rule()).toList();
        Map<String, BigDecimal> limits = new java.util.HashMap<>();
        for (Map.Entry<String, String> e : wanted.entrySet()) {
            if (!rules.contains(e.getKey())) {
                throw new BacktestException("unknown risk setting '" + e.getKey() + "': use one of " + rules);
            }
            try {
                limits.put(e.getKey(), new BigDecimal(e.getValue().strip()));
            } catch (NumberFormatException x) {
                throw new BacktestException("risk setting " + e.getKey() + "='" + e.getValue() + "' is not a number");
            }
        }
        return limits;
    }

    /**
     * Waits until the risk manager shows the requested limits (ConfigAdmin delivers asynchronously),
     * so the first order of the run already meets them.
     */
    private static void awaitRiskLimits(RiskView view, Map<String, BigDecimal> wanted) {
        long deadline = System.currentTimeMillis() + SERVICE_WAIT_MS;
        while (System.currentTimeMillis() < deadline) {
            boolean applied = view.limits().stream()
                    .allMatch(l -> !wanted.containsKey(l.rule()) || wanted.get(l.rule()).compareTo(l.limit()) == 0);
            if (applied) {
                return;
            }
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new BacktestException("interrupted while waiting for the risk limits", e);
            }
        }
        throw new BacktestException("the risk manager did not take the limits " + wanted + " within " + SERVICE_WAIT_MS
                + " ms; its log says why");
    }

    private static Trade trade(DomainEvent<?> event) {
        OrderFilled fill = (OrderFilled) event.payload();
        return new Trade(event.occurredAt(), fill.side(), fill.price(), fill.volume(), fill.fee());
    }
}
