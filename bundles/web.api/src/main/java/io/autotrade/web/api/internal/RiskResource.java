package io.autotrade.web.api.internal;

import io.autotrade.api.risk.RiskView;
import io.autotrade.api.trading.KillSwitch;
import io.autotrade.api.trading.TradingStatus;
import jakarta.servlet.Servlet;
import jakarta.servlet.http.HttpServletRequest;
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
 * {@code GET /api/v1/risk}: every risk limit with its usage and the latest breaches, as {@code trade:risk}; 503 while
 * no risk manager runs (every order is then rejected, {@code no_risk_manager}).
 */
@Component(service = Servlet.class)
@HttpWhiteboardServletPattern(Api.BASE + "/risk")
public class RiskResource extends ApiServlet {
    private static final long serialVersionUID = 1L;
    private final transient TradingStatus status;
    private final transient KillSwitch killSwitch;
    private final transient Logger logger;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private transient volatile RiskView risk;

    /**
     * @param status     the trading state
     * @param killSwitch the halt reason
     * @param loggers    the OSGi log
     */
    @Activate
    public RiskResource(@Reference TradingStatus status, @Reference KillSwitch killSwitch, @Reference LoggerFactory loggers) {
        this.status = status;
        this.killSwitch = killSwitch;
        this.logger = loggers.getLogger(RiskResource.class);
    }

    @Override
    Logger logger() {
        return logger;
    }

    @Override
    Reply get(HttpServletRequest request) {
        RiskView view = risk;
        if (view == null) {
            throw ApiException.unavailable("no risk manager is running: every order is rejected (no_risk_manager)");
        }
        return Reply.ok(Json.object("state", status.state().name(), "halt_reason", killSwitch.haltReason(),
                "limits", view.limits().stream().map(Views::limit).toList(),
                "breaches", view.recentBreaches().stream().map(Views::breach).toList()));
    }
}
