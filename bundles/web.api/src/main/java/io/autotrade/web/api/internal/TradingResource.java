package io.autotrade.web.api.internal;

import io.autotrade.api.event.EventStore;
import io.autotrade.api.portfolio.OrderBlotter;
import io.autotrade.api.portfolio.Protection;
import io.autotrade.api.strategy.Strategy;
import io.autotrade.api.strategy.StrategyInstances;
import io.autotrade.api.trading.ClientOrderId;
import io.autotrade.api.trading.ExitReason;
import io.autotrade.api.trading.KillSwitch;
import io.autotrade.api.trading.ProtectionUpdated;
import io.autotrade.api.trading.TradingStatus;
import jakarta.servlet.Servlet;
import jakarta.servlet.http.HttpServletRequest;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.log.Logger;
import org.osgi.service.log.LoggerFactory;
import org.osgi.service.servlet.whiteboard.propertytypes.HttpWhiteboardServletPattern;

/**
 * {@code GET /api/v1/status}, {@code GET /api/v1/strategies}, {@code POST /api/v1/halt} and
 * {@code POST /api/v1/resume}: the trading state and the kill switch, from the services {@code trade:status},
 * {@code trade:strategies}, {@code trade:halt} and {@code trade:resume} use.
 */
@Component(service = Servlet.class)
@HttpWhiteboardServletPattern({Api.BASE + "/status", Api.BASE + "/strategies", Api.BASE + "/halt", Api.BASE + "/resume"})
public class TradingResource extends ApiServlet {
    private static final long serialVersionUID = 1L;
    private final transient TradingStatus status;
    private final transient KillSwitch killSwitch;
    private final transient EventStore store;
    private final transient Logger logger;

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC)
    private final transient List<Strategy> strategies = new CopyOnWriteArrayList<>();

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private transient volatile OrderBlotter orders;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private transient volatile Protection protection;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private transient volatile StrategyInstances instances;

    /**
     * @param status     the trading state (core)
     * @param killSwitch halts and resumes trading (core)
     * @param store      the event store, for its location and size
     * @param loggers    the OSGi log
     */
    @Activate
    public TradingResource(@Reference TradingStatus status, @Reference KillSwitch killSwitch, @Reference EventStore store,
            @Reference LoggerFactory loggers) {
        this.status = status;
        this.killSwitch = killSwitch;
        this.store = store;
        this.logger = loggers.getLogger(TradingResource.class);
    }

    @Override
    Logger logger() {
        return logger;
    }

    @Override
    Reply get(HttpServletRequest request) {
        return switch (route(request)) {
            case "/status" -> Reply.ok(status());
            case "/strategies" -> Reply.ok(strategies.stream().map(s -> Json.object("id", s.id(), "market", s.market().code(),
                    "state", status.state(s.id()).name(), "settings", new TreeMap<>(s.settings()))).toList());
            default -> throw new ApiException(405, "method_not_allowed", "use POST on " + request.getRequestURI());
        };
    }

    /**
     * @return as {@code trade:status}: each running instance with its own state and, when no exchange trades its market,
     *         why ({@code cannot_trade}); and each configured instance that does not run, with why
     */
    private Map<String, Object> status() {
        StrategyInstances check = this.instances;
        List<Object> running = new ArrayList<>();
        for (Strategy s : strategies) {
            running.add(Json.object("id", s.id(), "market", s.market().code(), "state", status.state(s.id()).name(),
                    "orders_in_flight", status.openOrders(s.id()),
                    "cannot_trade", check == null ? null : check.marketProblem(s.market())));
        }
        List<Object> problems = new ArrayList<>();
        if (check != null) {
            for (StrategyInstances.Problem p : check.problems()) {
                if (!p.reason().startsWith("no exchange holds")) { // shown on the running instance
                    problems.add(Json.object("pid", p.pid(), "cannot_trade", p.reason()));
                }
            }
        }
        return Json.object("state", status.state().name(), "halt_reason", killSwitch.haltReason(),
                "orders_in_flight", status.openOrders(), "strategies", running, "configured_not_trading", problems,
                "event_store", Json.object("location", store.location(), "events", store.count()));
    }

    /**
     * {@code POST halt {"reason": "...", "cancel_all": false, "close": false}}: as {@code trade:halt}; {@code POST
     * resume {"reason": "..."}}: as {@code trade:resume} (409 when trading was not halted).
     */
    @Override
    Reply post(HttpServletRequest request) throws IOException {
        Map<String, Object> body = Json.body(request);
        String reason = Json.string(body, "reason", "").strip();
        return switch (route(request)) {
            case "/halt" -> halt(reason, Json.flag(body, "cancel_all"), Json.flag(body, "close"));
            case "/resume" -> {
                boolean lifted = killSwitch.resume(reason.isEmpty() ? "resumed from the API" : "resumed from the API: " + reason);
                if (!lifted) {
                    throw ApiException.conflict("trading was not halted (" + status.state() + ")");
                }
                yield Reply.ok(Json.object("state", status.state().name(), "halt_reason", killSwitch.haltReason()));
            }
            default -> throw new ApiException(405, "method_not_allowed", "use GET on " + request.getRequestURI());
        };
    }

    private Reply halt(String reason, boolean cancelAll, boolean close) {
        killSwitch.halt(reason.isEmpty() ? "halted from the API" : "halted from the API: " + reason);
        Map<String, Object> reply = Json.object("state", status.state().name(), "halt_reason", killSwitch.haltReason());
        OrderBlotter blotter = orders;
        if (cancelAll) {
            reply.put("cancel_sent", blotter == null ? List.of() : blotter.cancelAll().stream().map(ClientOrderId::value).toList());
        }
        if (close) {
            Protection p = protection;
            if (p == null) {
                throw ApiException.unavailable("trading is halted, but the protection is not running: no position closed");
            }
            List<Object> closing = new ArrayList<>();
            for (ProtectionUpdated g : p.guarded()) {
                try {
                    closing.add(Json.object("strategy", g.strategyId(), "order_id", p.close(g.strategyId(), ExitReason.HALT).value()));
                } catch (IllegalArgumentException e) {
                    closing.add(Json.object("strategy", g.strategyId(), "error", e.getMessage()));
                }
            }
            reply.put("closing", closing);
        }
        return Reply.ok(reply);
    }
}
