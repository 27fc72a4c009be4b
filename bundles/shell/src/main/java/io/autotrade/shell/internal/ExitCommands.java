package io.autotrade.shell.internal;

import io.autotrade.api.portfolio.Protection;
import io.autotrade.api.trading.ClientOrderId;
import io.autotrade.api.trading.ExitReason;
import io.autotrade.api.trading.ProtectionUpdated;
import java.math.BigDecimal;
import org.apache.felix.service.command.Descriptor;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;

/** Gogo commands of the protective exits: {@code trade:exits} (the guarded positions and their levels) and {@code trade:close}. */
@Component(service = ExitCommands.class, property = {"osgi.command.scope=trade", "osgi.command.function=exits",
        "osgi.command.function=close"})
public class ExitCommands {
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile Protection protection;

    /** @return every guarded open position with its entry, levels and exit in flight */
    @Descriptor("list the open positions the protective exits guard: entry, stop, target and trailing levels, highest price, exit in flight")
    public String exits() {
        Protection p = protection;
        if (p == null) {
            return "the protection (bundle io.autotrade.manager.protection) is not running";
        }
        Table t = new Table("strategy", "market", "volume", "entry", "since (UTC)", "stop", "target", "trailing", "highest",
                "exit in flight", "rules");
        for (ProtectionUpdated g : p.guarded()) {
            t.row(g.strategyId(), g.market(), g.volume().toPlainString(), plain(g.entryPrice()), g.entryTime(), plain(g.stopLevel()),
                    plain(g.targetLevel()), plain(g.trailingLevel()), plain(g.highest()),
                    g.exitOrder() == null ? "" : g.exitOrder(), g.rules().isEmpty() ? "none" : g.rules());
        }
        return t.isEmpty() ? "no open position" : t.toString();
    }

    /**
     * @param strategyId the instance whose position to close
     * @return the exit order
     */
    @Descriptor("close a strategy instance's position at market now (exit reason manual); passes a halt, like any exit")
    public String close(@Descriptor("strategy instance id, e.g. rsi-KRW-BTC") String strategyId) {
        Protection p = protection;
        if (p == null) {
            return "the protection (bundle io.autotrade.manager.protection) is not running: nothing closed";
        }
        ClientOrderId order = p.close(strategyId, ExitReason.MANUAL);
        return "closing " + strategyId + " at market: order " + order + " (exit manual); trade:orders shows its fill";
    }

    private static String plain(BigDecimal d) {
        return d == null ? "" : d.stripTrailingZeros().toPlainString();
    }
}
