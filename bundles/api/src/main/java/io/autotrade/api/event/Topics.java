package io.autotrade.api.event;

/**
 * EventAdmin topic names, each derived from its event's type name ({@link #forType}: {@code order.accepted}
 * is {@code autotrade/order/ACCEPTED}; a test holds every kind to it). Subscribers register an
 * {@code org.osgi.service.event.EventHandler} service with {@code event.topics} set to one of these
 * (or a wildcard such as {@code autotrade/order/*}).
 */
public final class Topics {
    /** Prefix shared by every autotrade topic. */
    public static final String PREFIX = "autotrade/";
    /** Wildcard matching every autotrade topic. */
    public static final String ALL = "autotrade/*";

    /** A candle's interval began: the first trade price (open) is known. */
    public static final String CANDLE_OPENED = "autotrade/candle/OPENED";
    /** A candle closed: open, high, low, close and volume are final. */
    public static final String CANDLE_CLOSED = "autotrade/candle/CLOSED";
    /** The prices a market traded at over a span (a replayed candle's range, a live trade price). */
    public static final String PRICE_RANGE = "autotrade/market/PRICE_RANGE";
    /** How far a backtest's replay of a candle file got, journaled in place of its candles. */
    public static final String REPLAY_CHECKPOINT = "autotrade/market/REPLAY_CHECKPOINT";
    /** The protection's state of a strategy's position changed (levels, volume, exit in flight). */
    public static final String PROTECTION_UPDATED = "autotrade/protection/UPDATED";
    /** A strategy asked for an order. */
    public static final String SIGNAL_GENERATED = "autotrade/signal/GENERATED";
    /** The order manager created an order for a signal. */
    public static final String ORDER_REQUESTED = "autotrade/order/REQUESTED";
    /** The order manager handed an order to an exchange. */
    public static final String ORDER_SUBMITTED = "autotrade/order/SUBMITTED";
    /** An exchange accepted an order. */
    public static final String ORDER_ACCEPTED = "autotrade/order/ACCEPTED";
    /** An order was filled, in part or in full. */
    public static final String ORDER_FILLED = "autotrade/order/FILLED";
    /** An order was canceled. */
    public static final String ORDER_CANCELED = "autotrade/order/CANCELED";
    /** An order was rejected before it could fill. */
    public static final String ORDER_REJECTED = "autotrade/order/REJECTED";
    /** Every order topic. */
    public static final String ORDER_ALL = "autotrade/order/*";
    /** A position changed. */
    public static final String POSITION_UPDATED = "autotrade/position/UPDATED";
    /** A pre-trade check refused an order, or a risk limit halted trading. */
    public static final String RISK_BREACHED = "autotrade/risk/BREACHED";
    /** A configuration change was asked for ({@code ConfigChangeRequested}). */
    public static final String CONFIG_CHANGE_REQUESTED = "autotrade/config/CHANGE_REQUESTED";
    /** A configuration change was applied ({@code ConfigChangeApplied}). */
    public static final String CONFIG_CHANGE_APPLIED = "autotrade/config/CHANGE_APPLIED";
    /** A bundle install, update or removal was asked for ({@code BundleChangeRequested}). */
    public static final String BUNDLE_CHANGE_REQUESTED = "autotrade/config/BUNDLE_CHANGE_REQUESTED";
    /** A requested bundle install, update or removal was carried out, or failed ({@code BundleChangeApplied}). */
    public static final String BUNDLE_CHANGE_APPLIED = "autotrade/config/BUNDLE_CHANGE_APPLIED";
    /** The event store moved to another database profile ({@code DbProfileSwitched}). */
    public static final String DB_PROFILE_SWITCHED = "autotrade/db/PROFILE_SWITCHED";
    /** Something failed that needs a person: a dead-lettered event, a component that cannot work. */
    public static final String CRITICAL_FAILURE = "autotrade/system/CRITICAL_FAILURE";
    /** The trading state (IDLE, TRADING, HALTED) changed. */
    public static final String TRADING_STATE_CHANGED = "autotrade/trading/STATE_CHANGED";

    private Topics() {
    }

    /**
     * The topic of an event type: {@code autotrade/<group>/<NAME>} for type {@code <group>.<name>}.
     *
     * @param type an event type name, e.g. {@code candle.closed}
     * @return its topic, e.g. {@code autotrade/candle/CLOSED}
     * @throws IllegalArgumentException if the type is not {@code group.name}
     */
    public static String forType(String type) {
        int dot = type.indexOf('.');
        if (dot <= 0 || dot == type.length() - 1 || type.indexOf('.', dot + 1) >= 0) {
            throw new IllegalArgumentException("an event type is <group>.<name>, was '" + type + "'");
        }
        return PREFIX + type.substring(0, dot) + "/" + type.substring(dot + 1).toUpperCase(java.util.Locale.ROOT);
    }
}
