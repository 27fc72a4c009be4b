package io.autotrade.manager.protection.internal;

import io.autotrade.api.strategy.ExitRules;
import io.autotrade.api.trading.ClientOrderId;
import io.autotrade.api.trading.Exit;
import io.autotrade.api.trading.ExitReason;
import io.autotrade.api.trading.Market;
import io.autotrade.api.trading.PriceRange;
import io.autotrade.api.trading.ProtectionUpdated;
import io.autotrade.api.trading.Side;
import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * One strategy instance's position as the protection guards it, and the exit rules' semantics (README "Exits
 * and sizing"). Not thread safe: the component serialises calls.
 *
 * <ul>
 *   <li>Entry price: the entry fills' volume-weighted price. Levels follow it: stop = entry &times; (1 &minus;
 *       {@code stop.loss}) rounded up to the tick, target = entry &times; (1 + {@code take.profit}) rounded down
 *       (both toward the entry); with a ROI table the target is the lower of that and the table's, as of the
 *       range's start.</li>
 *   <li>Trailing level: the highest price since entry &times; (1 &minus; {@code trailing.stop}), rounded up;
 *       the highest starts at the entry fills' prices and takes each range's high after that range's checks;
 *       the level never moves down.</li>
 *   <li>Per range (a candle's open, low and high, or one live trade): if the open is at or beyond the stop (or
 *       trailing) level, exit at the open; else at or beyond the target, exit at the open; else past
 *       {@code max.holding}, exit at the open; else if the low reaches the stop, exit at the stop; else if the
 *       high reaches the target, exit at the target. When a range crosses both, the stop wins (the pessimistic
 *       assumption).</li>
 * </ul>
 */
final class Guard {
    /** Rounds a price to the market's tick in the given direction. */
    interface Ticks {
        BigDecimal round(Market market, BigDecimal price, RoundingMode mode);
    }

    /** A decision to exit: why, at what price. */
    record Trigger(ExitReason reason, BigDecimal price, String why) {
        Exit exit() {
            return new Exit(reason, price);
        }
    }

    final String strategyId;
    final Market market;
    private ExitRules rules;
    private BigDecimal volume = BigDecimal.ZERO;
    private BigDecimal entryVolume = BigDecimal.ZERO;
    private BigDecimal entryNotional = BigDecimal.ZERO;
    private Instant entryTime;
    private BigDecimal highest;
    private BigDecimal trailingLevel;
    private ClientOrderId exitOrder;

    Guard(String strategyId, Market market, ExitRules rules) {
        this.strategyId = strategyId;
        this.market = market;
        this.rules = rules;
    }

    /**
     * @param state a stored state
     * @return the guard it describes
     * @throws IllegalArgumentException if its rules are malformed
     */
    static Guard of(ProtectionUpdated state) {
        Guard g = new Guard(state.strategyId(), state.market(), ExitRules.parse(state.rules()));
        g.volume = state.volume();
        if (state.volume().signum() > 0) {
            g.entryVolume = state.volume();
            g.entryNotional = state.entryPrice().multiply(state.volume());
            g.entryTime = state.entryTime();
            g.highest = state.highest();
            g.trailingLevel = state.trailingLevel();
        }
        g.exitOrder = state.exitOrder();
        return g;
    }

    /** @return its state as an event payload, with what changed */
    ProtectionUpdated state(Ticks ticks, Instant at, String reason) {
        boolean open = volume.signum() > 0;
        return new ProtectionUpdated(strategyId, market, volume, open ? entryPrice() : null, entryTime, highest,
                open ? stopLevel(ticks) : null, open ? targetLevel(ticks, at) : null, open ? trailingLevel : null, exitOrder,
                rules.settings(), reason);
    }

    ExitRules rules() {
        return rules;
    }

    void rules(ExitRules next, Ticks ticks) {
        rules = next;
        trailingLevel = null;
        trail(ticks);
    }

    BigDecimal volume() {
        return volume;
    }

    ClientOrderId exitOrder() {
        return exitOrder;
    }

    void exitSent(ClientOrderId order) {
        exitOrder = order;
    }

    /** The exit order ended without closing the position (canceled or rejected): the next price decides again. */
    void exitEnded() {
        exitOrder = null;
    }

    /**
     * A fill of the instance's order on the guarded market.
     *
     * @param side   bid (entry) or ask
     * @param price  fill price
     * @param volume fill volume
     * @param at     fill time
     * @param ticks  the market's price units
     */
    void filled(Side side, BigDecimal price, BigDecimal volume, Instant at, Ticks ticks) {
        if (side == Side.BID) {
            if (this.volume.signum() == 0) {
                entryVolume = BigDecimal.ZERO;
                entryNotional = BigDecimal.ZERO;
                entryTime = at;
                highest = null;
                trailingLevel = null;
            }
            this.volume = this.volume.add(volume);
            entryVolume = entryVolume.add(volume);
            entryNotional = entryNotional.add(price.multiply(volume));
            highest = highest == null ? price : highest.max(price);
            trail(ticks);
            return;
        }
        this.volume = this.volume.subtract(volume).max(BigDecimal.ZERO);
        if (this.volume.signum() == 0) {
            entryTime = null;
            highest = null;
            trailingLevel = null;
            exitOrder = null;
        }
    }

    /** @return the entry fills' volume-weighted price (34 significant digits) */
    BigDecimal entryPrice() {
        return entryNotional.divide(entryVolume, MathContext.DECIMAL128);
    }

    /** @return the stop level on the tick, or null without {@code stop.loss} */
    BigDecimal stopLevel(Ticks ticks) {
        return rules.stopLoss() == null ? null
                : ticks.round(market, entryPrice().multiply(BigDecimal.ONE.subtract(rules.stopLoss())), RoundingMode.UP);
    }

    /** @return the target on the tick as of {@code at} (the lower of take.profit's and the ROI table's), or null */
    BigDecimal targetLevel(Ticks ticks, Instant at) {
        BigDecimal fraction = rules.takeProfit();
        if (!rules.roi().isEmpty() && entryTime != null) {
            Optional<BigDecimal> roi = rules.roiAfter(Duration.between(entryTime, at));
            if (roi.isPresent()) {
                fraction = fraction == null ? roi.get() : fraction.min(roi.get());
            }
        }
        return fraction == null ? null
                : ticks.round(market, entryPrice().multiply(BigDecimal.ONE.add(fraction)), RoundingMode.DOWN);
    }

    BigDecimal trailingLevel() {
        return trailingLevel;
    }

    BigDecimal highest() {
        return highest;
    }

    /** Moves the trailing level up to the highest price's, never down. @return whether it moved */
    private boolean trail(Ticks ticks) {
        if (rules.trailingStop() == null || highest == null) {
            return false;
        }
        BigDecimal level = ticks.round(market, highest.multiply(BigDecimal.ONE.subtract(rules.trailingStop())), RoundingMode.UP);
        if (trailingLevel != null && level.compareTo(trailingLevel) <= 0) {
            return false;
        }
        trailingLevel = level;
        return true;
    }

    /**
     * Checks the position against a range of prices.
     *
     * @param range the prices traded, on this guard's market
     * @param ticks the market's price units
     * @return the exit to send, or empty (no position, an exit already in flight, or no level reached)
     */
    Optional<Trigger> check(PriceRange range, Ticks ticks) {
        if (volume.signum() == 0 || exitOrder != null || rules.isEmpty()) {
            return Optional.empty();
        }
        BigDecimal stop = stopLevel(ticks);
        boolean trailing = trailingLevel != null && (stop == null || trailingLevel.compareTo(stop) > 0);
        BigDecimal floor = trailing ? trailingLevel : stop;
        ExitReason floorReason = trailing ? ExitReason.TRAILING_STOP : ExitReason.STOP_LOSS;
        BigDecimal target = targetLevel(ticks, range.from());
        BigDecimal open = range.open();
        if (floor != null && open.compareTo(floor) <= 0) {
            return trigger(floorReason, open, "opened at " + plain(open) + ", at or below the " + name(floorReason) + " " + plain(floor));
        }
        if (target != null && open.compareTo(target) >= 0) {
            return trigger(ExitReason.TAKE_PROFIT, open, "opened at " + plain(open) + ", at or above the target " + plain(target));
        }
        if (rules.maxHolding() != null && !range.from().isBefore(entryTime.plus(rules.maxHolding()))) {
            return trigger(ExitReason.TIME_EXIT, open, "held since " + entryTime + ", max.holding " + rules.maxHolding());
        }
        if (floor != null && range.low().compareTo(floor) <= 0) {
            return trigger(floorReason, floor, "the low " + plain(range.low()) + " reached the " + name(floorReason) + " " + plain(floor));
        }
        if (target != null && range.high().compareTo(target) >= 0) {
            return trigger(ExitReason.TAKE_PROFIT, target, "the high " + plain(range.high()) + " reached the target " + plain(target));
        }
        return Optional.empty();
    }

    /**
     * After a range's checks found nothing: its high joins the highest price since entry.
     *
     * @return whether the trailing level moved up
     */
    boolean passed(PriceRange range, Ticks ticks) {
        if (volume.signum() == 0) {
            return false;
        }
        highest = highest == null ? range.high() : highest.max(range.high());
        return trail(ticks);
    }

    private Optional<Trigger> trigger(ExitReason reason, BigDecimal price, String why) {
        return Optional.of(new Trigger(reason, price, reason.code() + ": " + why + " (entry " + plain(entryPrice()) + ")"));
    }

    private static String name(ExitReason reason) {
        return reason == ExitReason.TRAILING_STOP ? "trailing level" : "stop level";
    }

    private static String plain(BigDecimal d) {
        return d.stripTrailingZeros().toPlainString();
    }
}
