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
import io.autotrade.api.config.SettingsCheck;
import io.autotrade.api.exchange.MarketRules;
import io.autotrade.api.exchange.QuoteCurrency;
import io.autotrade.api.risk.RiskLimit;
import io.autotrade.api.risk.RiskView;
import io.autotrade.api.event.DomainEvent;
import io.autotrade.api.event.EventBusAdmin;
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
import io.autotrade.api.trading.ClientOrderId;
import io.autotrade.api.trading.ExitReason;
import io.autotrade.api.trading.OrderFilled;
import io.autotrade.api.trading.OrderRequested;
import io.autotrade.api.trading.OrderRejected;
import io.autotrade.api.trading.Position;
import io.autotrade.api.trading.ReplayCheckpoint;
import java.io.IOException;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.runtime.ServiceComponentRuntime;
import org.osgi.service.component.runtime.dto.ComponentConfigurationDTO;
import org.osgi.service.component.runtime.dto.ComponentDescriptionDTO;
import org.osgi.framework.Filter;
import org.osgi.framework.FrameworkUtil;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.framework.ServiceReference;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.event.EventHandler;
import org.osgi.util.tracker.ServiceTracker;

/**
 * Runs a backtest through the real pipeline. It first refuses an unknown strategy or setting (by the
 * strategies' metatypes), then reads the candles, takes the quote currency's defaults for what the
 * request leaves open (cash, {@code order.amount} = 10% of the cash), configures the paper exchange
 * (PID {@code io.autotrade.exchange.paper}) with the cash and one strategy instance (a factory
 * configuration of the requested PID) through ConfigAdmin, waits for both services, replays the
 * candles, and marks equity ({@code quote balance + base balance * close}) at every close. Afterwards
 * it removes both configurations, checks that the books balance and reports, listing every default
 * and limit it used. One backtest at a time.
 *
 * <p>Why it is longer than 400 lines: one backtest from the request to the report: configuring the run through ConfigAdmin, waiting for its services, the replay and the report read from the store; each step is a method of its own.
 */
@Component(service = BacktestRunner.class)
public class PipelineBacktestRunner implements BacktestRunner {
    static final String PAPER_PID = "io.autotrade.exchange.paper";
    static final String RISK_PID = "io.autotrade.manager.risk";
    static final String STRATEGY_PIDS = "io.autotrade.strategy.";
    private static final String ORDER_AMOUNT = "order.amount";
    private static final String RISK_PER_TRADE = "risk.per.trade";
    /** Set on the paper exchange's configuration, so its service properties name the run it serves. */
    static final String RUN_PROPERTY = "backtest.run";
    private static final long SERVICE_WAIT_MS = 15_000;

    private final BundleContext context;
    private final MarketDataSource source;
    private final EventStore store;
    private final PositionBook positions;
    private final ConfigurationAdmin configAdmin;
    private final SettingsCheck settings;
    private final EventBusAdmin bus;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile ReportRenderer renderer;

    /** Tells why a strategy component failed to activate (OSGi Compendium 112.10, DS 1.4 {@code failure}). */
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile ServiceComponentRuntime scr;

    /**
     * @param context     to wait for the exchange and strategy services
     * @param source      reads and replays candles
     * @param store       the fills and rejections of the run
     * @param positions   the position at the end
     * @param configAdmin to configure the paper exchange and the strategy
     * @param settings    the strategies and settings the runtime's metatypes declare
     * @param bus         to wait until the bus delivers to the run's exchange and strategy
     */
    @Activate
    public PipelineBacktestRunner(BundleContext context, @Reference MarketDataSource source,
            @Reference EventStore store, @Reference PositionBook positions, @Reference ConfigurationAdmin configAdmin,
            @Reference SettingsCheck settings, @Reference EventBusAdmin bus) {
        this.context = context;
        this.bus = bus;
        this.settings = settings;
        this.source = source;
        this.store = store;
        this.positions = positions;
        this.configAdmin = configAdmin;
    }

    @Override
    public synchronized BacktestReport run(BacktestRequest asked) {
        BacktestRequest request = strategySettingsOutOfRisk(asked);
        checkStrategy(request.strategyPid(), request.strategyConfig());
        List<Candle> candles = Window.from(source.read(request.data(), request.market().map(Market::of)), // may stream
                request.warmUpFrom());
        Candle first = Window.firstTrading(candles, request.tradeFrom(), request.tradeTo());
        Market market = first.market();
        BigDecimal cash = request.initialCash() != null ? request.initialCash()
                : QuoteCurrency.of(market.quote()).map(QuoteCurrency::defaultCash).orElseThrow(() -> new BacktestException(
                        "there is no default cash for " + market.quote() + ", the quote currency of " + market
                                + ": give the initial cash (--cash)"));
        Map<String, String> strategySettings = new LinkedHashMap<>(request.strategyConfig());
        boolean defaultAmount = !strategySettings.containsKey(ORDER_AMOUNT) && !strategySettings.containsKey(RISK_PER_TRADE)
                && settings.settings(request.strategyPid()).orElse(List.of()).contains(ORDER_AMOUNT);
        if (defaultAmount) {
            strategySettings.put(ORDER_AMOUNT, QuoteCurrency.orderAmountFor(cash).toPlainString());
        }

        checkFresh(request, market);
        List<Configuration> created = new ArrayList<>();
        try {
            RiskView risk = await(RiskView.class, "", "the risk manager");
            configureRisk(request, market, risk, created);
            Exchange exchange = configureExchange(market, cash, created);
            Strategy strategy = configureStrategy(request, market, strategySettings, created);
            EquityCurve curve = new EquityCurve(cash, first.openTime());
            Gaps gaps = new Gaps();
            Excursions excursions = new Excursions();
            ReplayResult replay = replay(candles, request, exchange, market, curve, gaps, excursions);
            Map<String, String> parameters = parameters(request, market, cash, strategySettings, defaultAmount, exchange, risk);
            BacktestReport report = report(request, cash, parameters, market, strategy, exchange, replay, first, gaps,
                    curve, excursions);
            write(report, request);
            return report;
        } catch (IOException e) {
            throw new BacktestException("cannot configure the backtest through ConfigAdmin: " + e.getMessage(), e);
        } finally {
            for (int i = created.size() - 1; i >= 0; i--) {
                delete(created.get(i)); // strategy, exchange, risk: the reverse of their creation
            }
        }
    }

    /**
     * A run's {@code risk.KEY} words are its risk limits ({@code BacktestRequest.riskConfig}, without the prefix),
     * except a word whose whole name is a setting of the strategy (its {@code risk.per.trade}): that is the
     * strategy's.
     *
     * @return the request with such words among the strategy's settings
     */
    private BacktestRequest strategySettingsOutOfRisk(BacktestRequest request) {
        List<String> strategyKeys = settings.settings(request.strategyPid()).orElse(List.of());
        Map<String, String> strategy = new LinkedHashMap<>(request.strategyConfig());
        Map<String, String> risk = new LinkedHashMap<>();
        request.riskConfig().forEach((key, value) -> {
            if (strategyKeys.contains("risk." + key)) {
                strategy.put("risk." + key, value);
            } else {
                risk.put(key, value);
            }
        });
        return risk.size() == request.riskConfig().size() ? request : new BacktestRequest(request.data(), request.market(),
                request.strategyPid(), strategy, request.initialCash(), request.reportFile(), request.htmlFile(),
                request.resume(), risk, request.monteCarloRuns(), request.seed(), request.warmUpFrom(), request.tradeFrom(),
                request.tradeTo());
    }

    /** @throws BacktestException if the database already holds a run and the request does not resume it */
    private void checkFresh(BacktestRequest request, Market market) {
        boolean used = !store.query(EventQuery.ofType(ReplayCheckpoint.KIND.type()).limit(1)).isEmpty()
                || !store.query(EventQuery.ofType(CandleClosed.KIND.type()).limit(1)).isEmpty()
                || !store.query(EventQuery.ofType(OrderFilled.KIND.type()).limit(1)).isEmpty()
                || positions.position(market).filter(p -> !p.isFlat()).isPresent();
        if (used && !request.resume()) {
            throw new BacktestException("the database " + store.location() + " already holds a run: a backtest"
                    + " starts from an empty book. Use a fresh --db folder, or --resume to continue an interrupted run.");
        }
    }

    /** Sets the run's risk limits (PID {@value #RISK_PID}) and waits until the risk manager has them. */
    private void configureRisk(BacktestRequest request, Market market, RiskView risk, List<Configuration> created)
            throws IOException {
        Map<String, String> riskSettings = RiskKeys.forQuote(request.riskConfig(), market.quote(), risk.limits());
        if (riskSettings.isEmpty()) {
            return;
        }
        Map<String, BigDecimal> limits = riskLimits(risk, riskSettings);
        Configuration riskConfig = configAdmin.getConfiguration(RISK_PID, "?");
        created.add(riskConfig);
        Dictionary<String, Object> riskProps = new Hashtable<>();
        riskSettings.forEach(riskProps::put);
        riskConfig.update(riskProps);
        awaitRiskLimits(risk, limits);
    }

    /** @return the paper exchange of this run: configured with the cash, found by the run's mark */
    private Exchange configureExchange(Market market, BigDecimal cash, List<Configuration> created) throws IOException {
        Configuration exchangeConfig = configAdmin.getConfiguration(PAPER_PID, "?");
        created.add(exchangeConfig);
        Dictionary<String, Object> exchangeProps = new Hashtable<>();
        exchangeProps.put("initial.balances", new String[] {market.quote() + "=" + cash.toPlainString()});
        // the paper exchange runs with its defaults until configured: wait for this run's book, not that one
        String run = UUID.randomUUID().toString();
        exchangeProps.put(RUN_PROPERTY, run);
        exchangeConfig.update(exchangeProps);
        return await(Exchange.class, "(" + Exchange.EXCHANGE_ID + "=paper)(" + RUN_PROPERTY + "=" + run + ")",
                "the paper exchange");
    }

    /** @return the strategy instance of this run, or the failure of its activation */
    private Strategy configureStrategy(BacktestRequest request, Market market, Map<String, String> strategySettings,
            List<Configuration> created) throws IOException {
        Configuration strategyConfig = configAdmin.getFactoryConfiguration(request.strategyPid(), "backtest-" + market.code(), "?");
        created.add(strategyConfig);
        Dictionary<String, Object> strategyProps = new Hashtable<>();
        strategySettings.forEach(strategyProps::put);
        strategyProps.put("market", market.code());
        strategyConfig.update(strategyProps);
        return await(Strategy.class, "(" + Strategy.MARKET + "=" + market.code() + ")",
                "strategy " + request.strategyPid() + " for " + market + " (check its configuration: "
                        + request.strategyConfig() + ")", () -> activationFailure(request.strategyPid()));
    }

    /** Replays the candles through the pipeline, marking the equity after each; progress on standard error. */
    private ReplayResult replay(List<Candle> candles, BacktestRequest request, Exchange exchange, Market market, EquityCurve curve,
            Gaps gaps, Excursions excursions) {
        ConsoleProgress progress = ConsoleProgress.onStandardError(candles.size());
        java.time.Instant tradeFrom = request.tradeFrom();
        try {
            return source.replay(request.data(), candles, tradeFrom, request.tradeTo(), candle -> {
                if (tradeFrom != null && candle.openTime().isBefore(tradeFrom)) {
                    return; // a warm-up candle: the strategy learns from it, the report does not count it
                }
                EquityPoint mark = mark(exchange, market, candle);
                curve.add(mark);
                excursions.add(candle, mark.position());
                gaps.add(candle);
                progress.update((int) curve.count(), System.nanoTime());
            });
        } finally {
            progress.finish();
        }
    }

    /** Writes the JSON and HTML reports the request asks for, the JSON on another thread meanwhile. */
    private void write(BacktestReport report, BacktestRequest request) {
        CompletableFuture<Void> json = request.reportFile().map(file -> CompletableFuture.runAsync(() -> ReportJson.write(report,
                file))).orElse(CompletableFuture.completedFuture(null));
        RuntimeException htmlFailure = null;
        if (request.htmlFile().isPresent()) {
            ReportRenderer html = renderer;
            try {
                if (html == null) {
                    throw new BacktestException("no HTML report renderer is running (bundle io.autotrade.report.html)");
                }
                html.writeHtml(report, request.htmlFile().get(), Map.of());
            } catch (RuntimeException e) {
                htmlFailure = e;
            }
        }
        try {
            json.join();
        } catch (CompletionException e) {
            throw e.getCause() instanceof RuntimeException r ? r : e; // the JSON's failure first: it names the file
        }
        if (htmlFailure != null) {
            throw htmlFailure;
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
        return await(type, filter, what, () -> null);
    }

    /**
     * @param pid a component's configuration PID
     * @return why a configuration of that component failed to activate, its root cause's message; or null
     */
    private String activationFailure(String pid) {
        ServiceComponentRuntime runtime = scr;
        if (runtime == null) {
            return null;
        }
        for (ComponentDescriptionDTO d : runtime.getComponentDescriptionDTOs()) {
            if (!java.util.Arrays.asList(d.configurationPid).contains(pid)) {
                continue;
            }
            for (ComponentConfigurationDTO c : runtime.getComponentConfigurationDTOs(d)) {
                if (c.state == ComponentConfigurationDTO.FAILED_ACTIVATION && c.failure != null) {
                    return rootMessage(c.failure);
                }
            }
        }
        return null;
    }

    /** @return the message of the last {@code Caused by:} of a stack trace (else its first line), without the class name */
    static String rootMessage(String trace) {
        String line = trace.lines().findFirst().orElse(trace);
        for (String l : trace.lines().toList()) {
            if (l.startsWith("Caused by: ")) {
                line = l.substring("Caused by: ".length());
            }
        }
        int colon = line.indexOf(": ");
        return colon > 0 && !line.substring(0, colon).contains(" ") ? line.substring(colon + 2) : line;
    }

    private <S> S await(Class<S> type, String filter, String what, java.util.function.Supplier<String> failure) {
        Filter f;
        try {
            f = FrameworkUtil.createFilter("(&(objectClass=" + type.getName() + ")" + filter + ")");
        } catch (InvalidSyntaxException e) {
            throw new BacktestException("bad service filter " + filter + ": " + e.getMessage(), e);
        }
        ServiceTracker<S, S> tracker = new ServiceTracker<>(context, f, null);
        tracker.open();
        try {
            long until = System.nanoTime() + SERVICE_WAIT_MS * 1_000_000L;
            S service = null;
            while (service == null && System.nanoTime() < until) {
                service = tracker.waitForService(200);
                String failed = service == null ? failure.get() : null;
                if (failed != null) {
                    throw new BacktestException(what.replaceFirst(" \\(check its configuration.*", "") + " refused its settings: "
                            + failed);
                }
            }
            if (service == null) {
                throw new BacktestException(what + " did not start within " + SERVICE_WAIT_MS + " ms");
            }
            awaitSubscribed(tracker.getServiceReference(), what, until);
            return service;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new BacktestException("interrupted while waiting for " + what, e);
        } finally {
            tracker.close();
        }
    }

    /**
     * Waits until the bus delivers to a service that is also an event handler: the framework tells the listeners of a
     * registration one after the other, and this runner may see the service before the bus does. Without this wait
     * the first candles of a replay could miss a strategy just configured.
     */
    private void awaitSubscribed(ServiceReference<?> reference, String what, long until) throws InterruptedException {
        if (reference == null || !java.util.Arrays.asList((String[]) reference.getProperty(
                org.osgi.framework.Constants.OBJECTCLASS)).contains(EventHandler.class.getName())) {
            return;
        }
        if (!bus.tracks(reference, java.time.Duration.ofNanos(Math.max(0, until - System.nanoTime())))) {
            throw new BacktestException(what + " started, but the event bus did not take it up within "
                    + SERVICE_WAIT_MS + " ms");
        }
    }

    private static EquityPoint mark(Exchange exchange, Market market, Candle candle) {
        Balance quote = exchange.balance(market.quote());
        Balance base = exchange.balance(market.base());
        BigDecimal cash = quote == null ? BigDecimal.ZERO : quote.total();
        BigDecimal held = base == null ? BigDecimal.ZERO : base.total();
        return new EquityPoint(candle.closeTime(), candle.close(), cash.add(held.multiply(candle.close())), held);
    }

    /**
     * Refuses an unknown strategy or setting before anything is configured, naming what there is.
     *
     * @throws BacktestException naming the strategies or settings available
     */
    private void checkStrategy(String pid, Map<String, String> config) {
        List<String> strategies = settings.factoryPids(STRATEGY_PIDS);
        if (!strategies.contains(pid)) {
            List<String> names = strategies.stream().map(p -> p.substring(STRATEGY_PIDS.length())).toList();
            throw new BacktestException("unknown strategy '" + (pid.startsWith(STRATEGY_PIDS) ? pid.substring(
                    STRATEGY_PIDS.length()) : pid) + "': this runtime has " + String.join(", ", names));
        }
        List<String> problems = settings.problems(pid, config, false);
        if (!problems.isEmpty()) {
            throw new BacktestException("strategy setting refused: " + String.join("; ", problems));
        }
    }

    /** @return every default and limit the run uses, with its currency and where it came from */
    private static Map<String, String> parameters(BacktestRequest request, Market market, BigDecimal cash,
            Map<String, String> strategySettings, boolean defaultAmount, Exchange exchange, RiskView risk) {
        String quote = market.quote();
        Map<String, String> p = new LinkedHashMap<>();
        p.put("initial cash", cash.toPlainString() + " " + quote + (request.initialCash() == null ? " (default for " + quote + ")" : ""));
        if (strategySettings.containsKey(RISK_PER_TRADE)) {
            p.put(RISK_PER_TRADE, strategySettings.get(RISK_PER_TRADE) + " of equity lost at the stop-loss per buy");
        } else if (strategySettings.containsKey(ORDER_AMOUNT) && strategySettings.get(ORDER_AMOUNT).strip().endsWith("%")) {
            p.put(ORDER_AMOUNT, strategySettings.get(ORDER_AMOUNT).strip() + " of equity per buy");
        } else if (strategySettings.containsKey(ORDER_AMOUNT)) {
            p.put(ORDER_AMOUNT, strategySettings.get(ORDER_AMOUNT) + " " + quote + (defaultAmount ? " (default: "
                    + QuoteCurrency.DEFAULT_ORDER_SHARE.movePointRight(2).stripTrailingZeros().toPlainString()
                    + "% of the initial cash)" : ""));
        }
        if (!io.autotrade.api.strategy.ExitRules.parse(strategySettings).isEmpty()) {
            p.put("exits", "inside each candle, before its close: at the open when it opened beyond a level, else at the"
                    + " stop (or trailing) level when the low reached it, else at the target when the high did; a candle"
                    + " that reached both counts as the stop (the pessimistic assumption)");
        }
        MarketRules rules = exchange.rules(market);
        p.put("fee rate", rules.bidFee().movePointRight(2).stripTrailingZeros().toPlainString() + "% of each fill (exchange)");
        p.put("exchange minimum order", rules.minTotal().toPlainString() + " " + quote);
        for (RiskLimit limit : risk.limits()) {
            String rule = RiskKeys.rule(limit.rule());
            boolean ours = limit.unit().equals(quote) || !RiskKeys.isCurrency(limit.unit());
            if (ours && !p.containsKey(rule)) {
                boolean set = request.riskConfig().containsKey(rule);
                p.put(rule, limit.limit().stripTrailingZeros().toPlainString() + " " + limit.unit()
                        + (limit.limit().signum() == 0 && !rule.equals("min.order.total") ? " (off)" : "")
                        + (set ? " (set for this run)" : " (risk manager)"));
            }
        }
        return p;
    }

    private BacktestReport report(BacktestRequest request, BigDecimal initialCash, Map<String, String> parameters,
            Market market, Strategy strategy, Exchange exchange, ReplayResult replay, Candle first, Gaps gaps,
            EquityCurve curve, Excursions excursions) {
        Candle last = gaps.last();
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
        BigDecimal fromPnl = initialCash.add(position.realizedPnl()).add(unrealized).subtract(position.feesPaid());
        if (fromPnl.compareTo(equity) != 0) {
            throw new BacktestException("the books do not balance: initial cash + realized + unrealized - fees = "
                    + fromPnl.toPlainString() + " but cash + position value = " + equity.toPlainString());
        }
        Map<ClientOrderId, ExitReason> exitReasons = new java.util.HashMap<>();
        for (DomainEvent<?> e : store.query(EventQuery.ofType(OrderRequested.KIND.type()))) {
            OrderRequested r = (OrderRequested) e.payload();
            if (r.exitReason() != null) {
                exitReasons.put(r.orderId(), r.exitReason());
            }
        }
        List<DomainEvent<?>> fillEvents = store.query(EventQuery.ofType(OrderFilled.KIND.type()));
        List<Trade> trades = fillEvents.stream().map(e -> trade(e, exitReasons)).toList();
        List<ClosedTrade> closed = BacktestMetrics.closedTrades(fillEvents.stream()
                .map(e -> new BacktestMetrics.Fill(e.occurredAt(), (OrderFilled) e.payload(),
                        exitReasons.get(((OrderFilled) e.payload()).orderId()))).toList()).stream().map(excursions::of).toList();
        List<Rejection> rejections = store.query(EventQuery.ofType(OrderRejected.KIND.type())).stream()
                .map(PipelineBacktestRunner::rejection).toList();
        BigDecimal buyAndHold = lastPrice.divide(first.open(), BacktestReport.RATIO_SCALE, RoundingMode.HALF_EVEN)
                .subtract(BigDecimal.ONE);
        Metrics metrics = BacktestMetrics.compute(replay.firstOpen(), replay.lastClose(), buyAndHold, curve, closed);
        return new BacktestReport(market.code(), request.data().toString(), strategy.id(), strategy.settings(),
                replay.candles(), replay.firstOpen(), replay.lastClose(), initialCash, cash,
                position.volume(), lastPrice, equity, position.realizedPnl(), unrealized, position.feesPaid(),
                trades, rejections, exchange.rules(market).bidFee(), request.riskConfig(), curve.points(), closed, metrics,
                parameters, gaps.count(), gaps.missing(), signals(),
                Tearsheets.build(first.open(), curve, replay.lastClose(), closed, request.monteCarloRuns(), request.seed()));
    }

    /** @return the run's signals, as stored */
    private List<io.autotrade.api.backtest.BacktestSignal> signals() {
        return store.query(EventQuery.ofType(io.autotrade.api.trading.SignalGenerated.KIND.type())).stream().map(e -> {
            io.autotrade.api.trading.SignalGenerated s = (io.autotrade.api.trading.SignalGenerated) e.payload();
            return new io.autotrade.api.backtest.BacktestSignal(e.occurredAt(), s.strategyId(), s.order().side(), s.reason());
        }).toList();
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

    private static Trade trade(DomainEvent<?> event, Map<ClientOrderId, ExitReason> exitReasons) {
        OrderFilled fill = (OrderFilled) event.payload();
        return new Trade(event.occurredAt(), fill.side(), fill.price(), fill.volume(), fill.fee(),
                exitReasons.get(fill.orderId()));
    }
}
