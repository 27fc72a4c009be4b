package io.autotrade.api.portfolio;

import io.autotrade.api.trading.ClientOrderId;
import io.autotrade.api.trading.ExitReason;
import io.autotrade.api.trading.ProtectionUpdated;
import java.util.List;

/** The protective exits' view and controls, for the shell and operators (bundle {@code manager.protection}). */
public interface Protection {

    /** @return the state of every strategy instance's guarded position that is open, by instance id */
    List<ProtectionUpdated> guarded();

    /**
     * Closes an instance's position at market now, through the order path like any exit (it passes the risk checks
     * and a halt), with the reason on its order and fill. Its trigger price (on paper: its fill price) is the
     * position's mark (the last close or fill), else the last price seen.
     *
     * @param strategyId the instance
     * @param reason     {@link ExitReason#MANUAL} (an operator) or {@link ExitReason#HALT} (closing on a halt)
     * @return the exit order's client order id
     * @throws IllegalArgumentException if the instance holds no position, an exit of it is already in flight, no price
     *                                  of its market has been seen yet, or the reason is not MANUAL or HALT
     */
    ClientOrderId close(String strategyId, ExitReason reason);
}
