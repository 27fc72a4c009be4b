package io.autotrade.api.trading;

import io.autotrade.api.config.BundleChangeApplied;
import io.autotrade.api.config.BundleChangeRequested;
import io.autotrade.api.config.ConfigChangeApplied;
import io.autotrade.api.config.ConfigChangeRequested;
import io.autotrade.api.config.DbProfileSwitched;
import io.autotrade.api.event.CriticalFailure;
import io.autotrade.api.event.EventKind;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The registry of the platform's event kinds (the trading kinds of this package and
 * {@link CriticalFailure}), so a stored event can be decoded by its type name.
 */
public final class TradingEvents {
    /** Every kind of this package, in pipeline order. */
    public static final List<EventKind> KINDS = List.of(CandleOpened.KIND, PriceRange.KIND, CandleClosed.KIND, ReplayCheckpoint.KIND, SignalGenerated.KIND,
            OrderRequested.KIND, OrderSubmitted.KIND, OrderAccepted.KIND, OrderFilled.KIND, OrderCanceled.KIND,
            OrderRejected.KIND, PositionUpdated.KIND, ProtectionUpdated.KIND, TradingStateChanged.KIND, RiskBreached.KIND, CriticalFailure.KIND,
            DbProfileSwitched.KIND, ConfigChangeRequested.KIND, ConfigChangeApplied.KIND,
            BundleChangeRequested.KIND, BundleChangeApplied.KIND);

    private static final Map<String, EventKind> BY_TYPE = KINDS.stream()
            .collect(Collectors.toUnmodifiableMap(EventKind::type, Function.identity()));

    private TradingEvents() {
    }

    /**
     * @param type an event type such as {@code order.filled}
     * @return its kind, or empty if no trading event has that type
     */
    public static Optional<EventKind> kind(String type) {
        return Optional.ofNullable(BY_TYPE.get(type));
    }
}
