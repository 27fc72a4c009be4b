package io.autotrade.api.risk;

import io.autotrade.api.trading.RiskBreached;
import java.util.List;

/** The risk manager's limits, their usage and the latest breaches, for {@code trade:risk}. */
public interface RiskView {

    /** @return every rule with its limit and current usage, in check order */
    List<RiskLimit> limits();

    /** @return the latest breaches, newest last (at most 20) */
    List<RiskBreached> recentBreaches();
}
