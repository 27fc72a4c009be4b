package io.autotrade.web.api.internal;

import io.autotrade.api.event.EventBusAdmin;
import io.autotrade.api.event.EventStore;
import io.autotrade.api.event.LaneStatistics;
import io.autotrade.api.event.LatencySummary;
import io.autotrade.api.exchange.Exchange;
import io.autotrade.api.exchange.ExchangeStatus;
import io.autotrade.api.portfolio.Account;
import io.autotrade.api.portfolio.OrderBlotter;
import io.autotrade.api.portfolio.OrderView;
import io.autotrade.api.portfolio.PositionBook;
import io.autotrade.api.trading.KillSwitch;
import io.autotrade.api.trading.OrderState;
import io.autotrade.api.trading.TradingState;
import io.autotrade.api.trading.TradingStatus;
import jakarta.servlet.Servlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.EnumMap;
import java.util.Map;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.servlet.whiteboard.propertytypes.HttpWhiteboardServletPattern;

/**
 * {@code GET /metrics}: the runtime's figures in the Prometheus text format, read from the same services as the shell
 * when scraped: the bus per lane (events published, delivered, retried, dead-lettered, rejected; queue depth; delivery
 * latency), the journal's commit latency and fault, the events stored, orders by state (rejections included), the
 * trading state, each exchange's connection and rate-limit usage per request group, and the account's equity per quote
 * currency. Needs the bearer token like the API.
 */
@Component(service = Servlet.class)
@HttpWhiteboardServletPattern("/metrics")
public class MetricsResource extends HttpServlet {
    private static final long serialVersionUID = 1L;
    private static final double NANOS = 1e9;
    private final transient EventBusAdmin bus;
    private final transient EventStore store;
    private final transient TradingStatus status;
    private final transient KillSwitch killSwitch;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private transient volatile OrderBlotter orders;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private transient volatile PositionBook positions;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private transient volatile Account account;

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC)
    private final transient java.util.List<Exchange> exchanges = new java.util.concurrent.CopyOnWriteArrayList<>();

    /**
     * @param bus        lanes and journal
     * @param store      the event store
     * @param status     the trading state
     * @param killSwitch the halt
     */
    @Activate
    public MetricsResource(@Reference EventBusAdmin bus, @Reference EventStore store, @Reference TradingStatus status,
            @Reference KillSwitch killSwitch) {
        this.bus = bus;
        this.store = store;
        this.status = status;
        this.killSwitch = killSwitch;
    }

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        byte[] body = scrape().getBytes(StandardCharsets.UTF_8);
        response.setStatus(200);
        response.setContentType(Prometheus.CONTENT_TYPE);
        response.setContentLength(body.length);
        response.getOutputStream().write(body);
    }

    /** @return every metric, as text */
    String scrape() {
        Prometheus p = new Prometheus();
        for (LaneStatistics s : bus.statistics()) {
            String lane = s.lane().name();
            p.sample("autotrade_bus_published_total", "counter", "Events published to the lane.", s.published(), "lane", lane);
            p.sample("autotrade_bus_delivered_total", "counter", "Handler deliveries completed on the lane.", s.delivered(), "lane", lane);
            p.sample("autotrade_bus_retried_total", "counter", "Handler calls retried after a failure.", s.retried(), "lane", lane);
            p.sample("autotrade_bus_dead_lettered_total", "counter", "Deliveries given up and dead-lettered.", s.deadLettered(), "lane", lane);
            p.sample("autotrade_bus_rejected_total", "counter", "Publishes refused because the lane was full.", s.rejected(), "lane", lane);
            p.sample("autotrade_bus_slow_calls_total", "counter", "Handler calls longer than the watchdog's threshold.", s.slowCalls(), "lane", lane);
            p.sample("autotrade_bus_queue_depth", "gauge", "Events queued on the lane now.", s.depth(), "lane", lane);
            p.sample("autotrade_bus_queue_capacity", "gauge", "Most events the lane queues.", s.capacity(), "lane", lane);
            p.sample("autotrade_bus_delivery_latency_seconds", "gauge", "Time from publish to handled, by quantile, seconds.",
                    s.latencyP50Nanos() / NANOS, "lane", lane, "quantile", "0.5");
            p.sample("autotrade_bus_delivery_latency_seconds", "gauge", "Time from publish to handled, by quantile, seconds.",
                    s.latencyP99Nanos() / NANOS, "lane", lane, "quantile", "0.99");
        }
        LatencySummary commits = bus.journalCommits();
        String help = "Journal commit time (a publish's events and deliveries, one transaction), seconds.";
        p.sample("autotrade_journal_commit_seconds", "summary", help, commits.p50Nanos() / NANOS, "quantile", "0.5");
        p.sample("autotrade_journal_commit_seconds", "summary", help, commits.p99Nanos() / NANOS, "quantile", "0.99");
        p.sample("autotrade_journal_commit_seconds_sum", "summary", help, commits.sumNanos() / NANOS);
        p.sample("autotrade_journal_commit_seconds_count", "summary", help, commits.count());
        p.sample("autotrade_journal_commit_max_seconds", "gauge", "Longest journal commit, seconds.", commits.maxNanos() / NANOS);
        p.sample("autotrade_journal_fault", "gauge", "1 while the journal refuses commits (trading is halted then).",
                bus.journalFault() == null ? 0 : 1);
        p.sample("autotrade_events_stored", "gauge", "Domain events in the event store.", store.count());
        for (TradingState state : TradingState.values()) {
            p.sample("autotrade_trading_state", "gauge", "1 for the runtime's trading state.", status.state() == state ? 1 : 0,
                    "state", state.name());
        }
        p.sample("autotrade_trading_halted", "gauge", "1 while the kill switch holds trading.", killSwitch.haltReason() == null ? 0 : 1);
        OrderBlotter blotter = orders;
        if (blotter != null) {
            Map<OrderState, Integer> byState = new EnumMap<>(OrderState.class);
            for (OrderState s : OrderState.values()) {
                byState.put(s, 0);
            }
            for (OrderView o : blotter.orders()) {
                byState.merge(o.state(), 1, Integer::sum);
            }
            byState.forEach((s, n) -> p.sample("autotrade_orders", "gauge",
                    "Orders in the blotter by state (REJECTED: refused by risk or the exchange).", n, "state", s.name()));
        }
        for (Exchange x : exchanges) {
            ExchangeStatus s = x.status();
            p.sample("autotrade_exchange_connected", "gauge", "1 while orders, fills and balances can flow.", s.connected() ? 1 : 0,
                    "exchange", x.id());
            for (ExchangeStatus.RateLimitUsage r : s.rateLimits()) {
                p.sample("autotrade_exchange_rate_limit_used", "gauge", "Requests sent in the group's current window.", r.used(),
                        "exchange", x.id(), "group", r.group());
                p.sample("autotrade_exchange_rate_limit_permits", "gauge", "Requests the group allows per window.", r.permits(),
                        "exchange", x.id(), "group", r.group());
                p.sample("autotrade_exchange_rate_limit_window_seconds", "gauge", "The group's window, seconds.",
                        r.window().toMillis() / 1000.0, "exchange", x.id(), "group", r.group());
                p.sample("autotrade_exchange_rate_limit_blocked", "gauge", "1 while the exchange refuses the group (429 backoff, 418 block).",
                        r.blockedUntil() == null ? 0 : 1, "exchange", x.id(), "group", r.group());
            }
        }
        PositionBook book = positions;
        Account acct = account;
        if (book != null && acct != null) {
            PortfolioResource.equity(book.positions(), acct).forEach((quote, e) -> p.sample("autotrade_equity", "gauge",
                    "Cash plus positions at their mark, in the quote currency.", e.doubleValue(), "currency", quote));
        }
        return p.toString();
    }
}
