package io.autotrade.shell.internal;

import io.autotrade.api.backtest.BacktestRequest;
import io.autotrade.api.backtest.BacktestRunner;
import io.autotrade.api.event.DomainEvent;
import io.autotrade.api.event.EventQuery;
import io.autotrade.api.event.EventStore;
import io.autotrade.api.portfolio.OrderBlotter;
import io.autotrade.api.portfolio.OrderView;
import io.autotrade.api.portfolio.PositionBook;
import io.autotrade.api.strategy.Strategy;
import io.autotrade.api.strategy.StrategyInstances;
import io.autotrade.api.trading.KillSwitch;
import io.autotrade.api.trading.Position;
import io.autotrade.api.trading.TradingStatus;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.file.Paths;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.felix.service.command.Descriptor;
import org.apache.felix.service.command.Parameter;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;

/** Gogo commands of scope {@code trade}: the operator's view of the runtime and the backtest entry point. */
@Component(service = TradeCommands.class, property = {"osgi.command.scope=trade",
        "osgi.command.function=status", "osgi.command.function=orders", "osgi.command.function=positions",
        "osgi.command.function=pnl", "osgi.command.function=events", "osgi.command.function=strategies",
        "osgi.command.function=backtest"})
public class TradeCommands {
    private final EventStore store;
    private final OrderBlotter orders;
    private final PositionBook positions;
    private final TradingStatus status;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile BacktestRunner backtests;

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC)
    private final List<Strategy> strategies = new CopyOnWriteArrayList<>();


    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile StrategyInstances instances;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile KillSwitch killSwitch;

    /**
     * @param store     events
     * @param orders    the order blotter
     * @param positions the position book
     * @param status    the trading state
     */
    @Activate
    public TradeCommands(@Reference EventStore store, @Reference OrderBlotter orders, @Reference PositionBook positions,
            @Reference TradingStatus status) {
        this.store = store;
        this.orders = orders;
        this.positions = positions;
        this.status = status;
    }

    /** @return trading state, orders in flight, each strategy's own state, store */
    @Descriptor("show the trading state, the orders holding it, each strategy's own state and the event store")
    public String status() {
        Table t = new Table("", "");
        t.row("trading state", status.state());
        KillSwitch kill = killSwitch;
        if (kill != null && kill.haltReason() != null) {
            t.row("halted because", kill.haltReason());
        }
        t.row("orders in flight", status.openOrders().isEmpty() ? "none" : String.join(", ", status.openOrders()));
        t.row("strategies", strategies.size());
        StrategyInstances check = instances;
        for (Strategy s : strategies) {
            List<String> held = status.openOrders(s.id());
            String quoteProblem = check == null ? null : check.marketProblem(s.market());
            t.row("  " + s.id(), status.state(s.id()) + (held.isEmpty() ? "" : " (" + String.join(", ", held) + ")")
                    + (quoteProblem == null ? "" : "; CANNOT TRADE: " + quoteProblem));
        }
        if (check != null) {
            for (StrategyInstances.Problem p : check.problems()) {
                if (p.reason().startsWith("no exchange holds")) {
                    continue; // shown on the running instance's row
                }
                t.row("  " + p.pid(), "CANNOT TRADE: " + p.reason());
            }
        }
        t.row("event store", store.location() + " (" + store.count() + " events)");
        return t.toString();
    }

    /** @return running strategies */
    @Descriptor("list the running strategy instances and their settings")
    public String strategies() {
        Table t = new Table("id", "market", "settings");
        strategies.forEach(s -> t.row(s.id(), s.market(), new java.util.TreeMap<>(s.settings())));
        return t.isEmpty() ? "no strategy is running" : t.toString();
    }

    /**
     * @param openOnly only orders in flight
     * @return the order blotter
     */
    @Descriptor("list orders, oldest first; a sell's exit column says why it closes the position (signal, stop_loss,"
            + " take_profit, trailing_stop, time_exit)")
    public String orders(@Descriptor("only orders not yet final") @Parameter(names = "--open", presentValue = "true",
            absentValue = "false") boolean openOnly) {
        List<OrderView> list = openOnly ? orders.openOrders() : orders.orders();
        Table t = new Table("created (UTC)", "order id", "strategy", "market", "side", "exit", "type", "state", "executed",
                "funds", "fee", "reason");
        for (OrderView o : list) {
            t.row(o.createdAt(), o.orderId(), o.strategyId(), o.spec().market(), o.spec().side().upbitName(),
                    o.exitReason() == null ? "" : o.exitReason().code(), o.spec().upbitTypeName(), o.state(), o.executedVolume().toPlainString(),
                    o.executedFunds().setScale(2, RoundingMode.HALF_EVEN).toPlainString(),
                    o.paidFee().setScale(2, RoundingMode.HALF_EVEN).toPlainString(), o.reason());
        }
        return t.isEmpty() ? "no orders" : t.toString();
    }

    /** @return positions */
    @Descriptor("list positions: volume, average entry, mark, realized and unrealized PnL, fees")
    public String positions() {
        Table t = new Table("market", "volume", "avg entry", "mark", "cost basis", "realized", "unrealized", "fees");
        for (Position p : positions.positions()) {
            t.row(p.market(), p.volume().toPlainString(), p.averageEntryPrice().toPlainString(),
                    p.markPrice().toPlainString(), two(p.costBasis()), two(p.realizedPnl()), two(p.unrealizedPnl()),
                    two(p.feesPaid()));
        }
        return t.isEmpty() ? "no positions" : t.toString();
    }

    /** @return PnL per market and in total */
    @Descriptor("show realized, unrealized and net PnL (net of fees) per market and in total")
    public String pnl() {
        Table t = new Table("market", "realized", "unrealized", "fees", "net");
        BigDecimal realized = BigDecimal.ZERO;
        BigDecimal unrealized = BigDecimal.ZERO;
        BigDecimal fees = BigDecimal.ZERO;
        for (Position p : positions.positions()) {
            t.row(p.market(), two(p.realizedPnl()), two(p.unrealizedPnl()), two(p.feesPaid()),
                    two(p.realizedPnl().add(p.unrealizedPnl()).subtract(p.feesPaid())));
            realized = realized.add(p.realizedPnl());
            unrealized = unrealized.add(p.unrealizedPnl());
            fees = fees.add(p.feesPaid());
        }
        t.row("total", two(realized), two(unrealized), two(fees), two(realized.add(unrealized).subtract(fees)));
        return t.toString();
    }

    /**
     * @param aggregate   aggregate filter
     * @param correlation correlation filter
     * @param type        type filter
     * @param since       ISO-8601 instant filter
     * @param limit       newest N
     * @return stored events
     */
    @Descriptor("list stored events, oldest first, with their causation chain")
    public String events(
            @Descriptor("only this aggregate (order id, market, strategy id)") @Parameter(names = "--aggregate", absentValue = "") String aggregate,
            @Descriptor("only this correlation chain") @Parameter(names = "--correlation", absentValue = "") String correlation,
            @Descriptor("only this type, e.g. order.filled") @Parameter(names = "--type", absentValue = "") String type,
            @Descriptor("only events at or after this ISO-8601 instant") @Parameter(names = "--since", absentValue = "") String since,
            @Descriptor("only the newest N (0 = all)") @Parameter(names = "--limit", absentValue = "50") int limit) {
        EventQuery q = EventQuery.all().limit(limit);
        if (!aggregate.isEmpty()) {
            q = q.aggregate(aggregate);
        }
        if (!correlation.isEmpty()) {
            q = q.correlation(UUID.fromString(correlation));
        }
        if (!type.isEmpty()) {
            q = q.type(type);
        }
        if (!since.isEmpty()) {
            q = q.since(Instant.parse(since));
        }
        Table t = new Table("occurred (UTC)", "type", "aggregate", "event id", "caused by", "correlation", "payload");
        for (DomainEvent<?> e : store.query(q)) {
            t.row(e.occurredAt(), e.type(), e.aggregateId(), e.eventId(),
                    e.causationId().equals(e.eventId()) ? "-" : e.causationId(), e.correlationId(), e.payload());
        }
        return t.isEmpty() ? "no events" : t.toString();
    }

    /**
     * @param data     candle file
     * @param market   market code
     * @param cash     initial cash
     * @param report   JSON report file
     * @param html     HTML report file (charts, metrics, trades), or empty for none
     * @param resume   continue an interrupted run on the same database
     * @param strategy strategy: {@code rsi}, {@code macross} or a factory PID
     * @param monteCarlo bootstrap sequences of the round trips, 0 for none
     * @param seed     the Monte Carlo's seed
     * @param from     the first candle open that trades, or empty
     * @param to       the first candle open not replayed, or empty
     * @param warmUpFrom the first candle open replayed, or empty
     * @param config   key=value strategy settings
     * @return the report as text
     */
    @Descriptor("backtest a strategy on a candle file through the whole pipeline and print the report")
    public String backtest(
            @Descriptor("candle file (pyupbit CSV, Date,Open,... CSV, Upbit REST CSV/JSON, open_time,... CSV)") @Parameter(names = "--data", absentValue = "") String data,
            @Descriptor("market code, when the file names none, e.g. KRW-BTC") @Parameter(names = "--market", absentValue = "") String market,
            @Descriptor("initial cash in the quote currency (default: KRW 10000000, USDT 10000, BTC 0.1)") @Parameter(names = "--cash", absentValue = "") String cash,
            @Descriptor("write the JSON report to this file") @Parameter(names = "--report", absentValue = "") String report,
            @Descriptor("write the HTML report (charts, metrics, trades) to this file") @Parameter(names = "--html", absentValue = "") String html,
            @Descriptor("continue an interrupted run on the same database") @Parameter(names = "--resume", presentValue = "true", absentValue = "false") boolean resume,
            @Descriptor("strategy: rsi, macross, or a strategy component's factory PID") @Parameter(names = "--strategy", absentValue = "rsi") String strategy,
            @Descriptor("Monte Carlo of the round trips: this many bootstrap sequences (0: none)") @Parameter(names = "--monte-carlo", absentValue = "0") int monteCarlo,
            @Descriptor("seed of the Monte Carlo's draws (the same seed gives the same figures)") @Parameter(names = "--seed", absentValue = "42") long seed,
            @Descriptor("trade from this candle open (ISO-8601 instant); earlier candles only warm the strategy up") @Parameter(names = "--from", absentValue = "") String from,
            @Descriptor("replay no candle opening at or after this instant (ISO-8601)") @Parameter(names = "--to", absentValue = "") String to,
            @Descriptor("skip the candles opening before this instant (ISO-8601): where the warm-up starts") @Parameter(names = "--warm-up-from", absentValue = "") String warmUpFrom,
            @Descriptor("strategy settings as key=value, e.g. period=14 oversold=30; risk limits as risk.key=value, e.g. risk.max.order.notional=500000 (a risk. word that names a strategy setting, such as risk.per.trade, is the strategy's)") String... config) {
        BacktestRunner runner = backtests;
        if (runner == null) {
            throw new IllegalStateException("no backtest runner is available in this runtime");
        }
        if (data.isEmpty()) {
            throw new IllegalArgumentException("--data FILE is required");
        }
        Map<String, String> settings = new LinkedHashMap<>();
        Map<String, String> risk = new LinkedHashMap<>();
        for (String entry : config) {
            int eq = entry.indexOf('=');
            if (eq <= 0) {
                throw new IllegalArgumentException("setting '" + entry + "' is not key=value");
            }
            String key = entry.substring(0, eq);
            if (key.startsWith("risk.")) {
                risk.put(key.substring("risk.".length()), entry.substring(eq + 1));
            } else {
                settings.put(key, entry.substring(eq + 1));
            }
        }
        BigDecimal initialCash = null;
        if (!cash.isEmpty()) {
            try {
                initialCash = new BigDecimal(cash.strip());
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("--cash '" + cash + "' is not a number");
            }
        }
        BacktestRequest request = new BacktestRequest(Paths.get(data), market.isEmpty() ? Optional.empty() : Optional.of(market),
                strategyPid(strategy), settings, initialCash, report.isEmpty() ? Optional.empty() : Optional.of(Paths.get(report)),
                html.isEmpty() ? Optional.empty() : Optional.of(Paths.get(html)), resume, risk, monteCarlo, seed,
                instant("--warm-up-from", warmUpFrom), instant("--from", from), instant("--to", to));
        return ReportText.format(runner.run(request));
    }

    /** @return the instant, or null for an empty option; @throws IllegalArgumentException naming the option */
    static Instant instant(String option, String value) {
        if (value.isBlank()) {
            return null;
        }
        try {
            return Instant.parse(value.strip());
        } catch (java.time.format.DateTimeParseException e) {
            throw new IllegalArgumentException(option + " '" + value + "' is not an ISO-8601 instant such as 2023-03-04T00:00:00Z");
        }
    }

    /** @return the factory PID: a short name {@code NAME} (no dot) is {@code io.autotrade.strategy.NAME} */
    static String strategyPid(String strategy) {
        return strategy.contains(".") ? strategy : "io.autotrade.strategy." + strategy;
    }

    private static String two(BigDecimal amount) {
        return amount.setScale(2, RoundingMode.HALF_EVEN).toPlainString();
    }
}
