package io.autotrade.shell.internal;

import io.autotrade.api.portfolio.OrderBlotter;
import io.autotrade.api.portfolio.Protection;
import io.autotrade.api.trading.ExitReason;
import io.autotrade.api.trading.ProtectionUpdated;
import io.autotrade.api.risk.RiskLimit;
import io.autotrade.api.risk.RiskView;
import io.autotrade.api.trading.ClientOrderId;
import io.autotrade.api.trading.KillSwitch;
import io.autotrade.api.trading.RiskBreached;
import io.autotrade.api.trading.TradingStatus;
import java.math.BigDecimal;
import java.util.List;
import org.apache.felix.service.command.Descriptor;
import org.apache.felix.service.command.Parameter;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;

/**
 * Gogo commands of the kill switch and the risk manager: {@code trade:halt}, {@code trade:resume},
 * {@code trade:risk} and {@code trade:cancel} (which works while halted).
 */
@Component(service = RiskCommands.class, property = {"osgi.command.scope=trade", "osgi.command.function=halt",
        "osgi.command.function=resume", "osgi.command.function=risk", "osgi.command.function=cancel"})
public class RiskCommands {
    private final KillSwitch killSwitch;
    private final TradingStatus status;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile RiskView risk;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile OrderBlotter orders;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile Protection protection;

    /**
     * @param killSwitch halts and resumes trading
     * @param status     the trading state
     */
    @Activate
    public RiskCommands(@Reference KillSwitch killSwitch, @Reference TradingStatus status) {
        this.killSwitch = killSwitch;
        this.status = status;
    }

    /**
     * @param reason words of the reason
     * @return the new state
     */
    @Descriptor("halt trading: no new order passes until trade:resume; cancels and exits still do; --cancel-all also"
            + " cancels every open order in one batch; --close also closes every open position at market (exit reason halt)")
    public String halt(
            @Descriptor("also cancel every open order (the exchange's batch cancel)") @Parameter(names = "--cancel-all", presentValue = "true", absentValue = "false") boolean cancelAll,
            @Descriptor("also close every guarded open position at market") @Parameter(names = "--close", presentValue = "true", absentValue = "false") boolean close,
            @Descriptor("why (optional)") String... reason) {
        killSwitch.halt(reason.length == 0 ? "halted from the shell" : "halted from the shell: " + String.join(" ", reason));
        StringBuilder out = new StringBuilder("trading " + status.state() + ": " + killSwitch.haltReason());
        OrderBlotter blotter = orders;
        if (cancelAll && blotter != null) {
            List<ClientOrderId> asked = blotter.cancelAll();
            out.append(System.lineSeparator()).append(asked.isEmpty() ? "no open order to cancel"
                    : "cancel of " + asked.size() + " open order(s) sent in one batch");
        }
        Protection p = protection;
        if (close && p == null) {
            out.append(System.lineSeparator()).append("the protection is not running: no position closed");
        } else if (close) {
            List<ProtectionUpdated> open = p.guarded();
            for (ProtectionUpdated g : open) {
                try {
                    out.append(System.lineSeparator()).append("closing ").append(g.strategyId()).append(": order ")
                            .append(p.close(g.strategyId(), ExitReason.HALT));
                } catch (IllegalArgumentException e) {
                    out.append(System.lineSeparator()).append("not closing ").append(g.strategyId()).append(": ").append(e.getMessage());
                }
            }
            if (open.isEmpty()) {
                out.append(System.lineSeparator()).append("no open position to close");
            }
        }
        return out.toString();
    }

    /**
     * @param reason words of the reason
     * @return the new state
     */
    @Descriptor("lift a halt")
    public String resume(@Descriptor("why (optional)") String... reason) {
        boolean lifted = killSwitch.resume(reason.length == 0 ? "resumed from the shell"
                : "resumed from the shell: " + String.join(" ", reason));
        return lifted ? "trading " + status.state() : "trading was not halted (" + status.state() + ")";
    }

    /** @return limits, usage and recent breaches */
    @Descriptor("show every risk limit, its current usage and the latest breaches")
    public String risk() {
        RiskView view = risk;
        if (view == null) {
            return "no risk manager is running: every order is rejected (no_risk_manager)";
        }
        String halt = killSwitch.haltReason();
        return "trading " + status.state() + (halt == null ? "" : " (" + halt + ")") + System.lineSeparator()
                + limitTable(view.limits()) + System.lineSeparator() + breachTable(view.recentBreaches());
    }

    static String limitTable(List<RiskLimit> limits) {
        Table t = new Table("rule", "limit", "usage", "unit", "of");
        for (RiskLimit l : limits) {
            t.row(l.rule(), l.limit().signum() == 0 && !l.rule().equals("min.order.total") ? "off" : plain(l.limit()),
                    plain(l.usage()), l.unit(), l.note());
        }
        return t.toString();
    }

    static String breachTable(List<RiskBreached> breaches) {
        if (breaches.isEmpty()) {
            return "no breaches";
        }
        Table t = new Table("rule", "order", "strategy", "market", "limit", "value", "message");
        for (RiskBreached b : breaches) {
            t.row(b.rule(), b.orderId() == null ? "-" : b.orderId().value(), b.strategyId(), b.market(), plain(b.limit()),
                    plain(b.value()), b.message());
        }
        return t.toString();
    }

    private static String plain(BigDecimal value) {
        return value.stripTrailingZeros().toPlainString();
    }

    /**
     * @param orderId a client order id
     * @return what was asked
     */
    @Descriptor("cancel an open order, or with --all every open order in one batch (allowed while halted)")
    public String cancel(
            @Descriptor("every open order, through the exchange's batch cancel") @Parameter(names = "--all", presentValue = "true", absentValue = "false") boolean all,
            @Descriptor("client order id, see trade:orders --open") String... orderId) {
        OrderBlotter blotter = orders;
        if (blotter == null) {
            throw new IllegalStateException("no order manager is running");
        }
        if (all) {
            List<ClientOrderId> asked = blotter.cancelAll();
            return asked.isEmpty() ? "no open order" : "cancel of " + asked.size() + " open order(s) sent in one batch: "
                    + asked.stream().map(ClientOrderId::value).toList() + "; trade:orders shows the outcome";
        }
        if (orderId.length != 1) {
            throw new IllegalArgumentException("give one client order id, or --all");
        }
        blotter.cancel(new ClientOrderId(orderId[0]));
        return "cancel of " + orderId[0] + " sent; trade:orders shows the outcome";
    }
}
