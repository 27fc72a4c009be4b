package io.autotrade.manager.position.internal;

import io.autotrade.api.event.DomainEvent;
import io.autotrade.api.event.EventBus;
import io.autotrade.api.event.EventProperties;
import io.autotrade.api.event.EventQuery;
import io.autotrade.api.event.EventStore;
import io.autotrade.api.event.Topics;
import io.autotrade.api.exchange.Balance;
import io.autotrade.api.exchange.Exchange;
import io.autotrade.api.portfolio.Account;
import io.autotrade.api.portfolio.PositionBook;
import io.autotrade.api.trading.CandleClosed;
import io.autotrade.api.trading.Market;
import io.autotrade.api.trading.OrderFilled;
import io.autotrade.api.trading.Position;
import io.autotrade.api.trading.PositionUpdated;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.event.Event;
import org.osgi.service.event.EventConstants;
import org.osgi.service.event.EventHandler;

/**
 * Positions per market as a fold over fills; publishes {@link PositionUpdated} after each fill and
 * marks positions to every candle close (without an event: the mark is derived state). On start the
 * positions are rebuilt from the fills and candles the processing log says it handled; the bus
 * redelivers the rest. Also the {@link Account}: the exchange's cash plus these positions at their marks.
 */
@Component(immediate = true, service = {PositionBook.class, Account.class, EventHandler.class},
        property = {EventConstants.EVENT_TOPIC + "=" + Topics.ORDER_FILLED, EventConstants.EVENT_TOPIC + "=" + Topics.CANDLE_CLOSED,
                EventProperties.HANDLER_ID + "=" + PositionManager.HANDLER})
public class PositionManager implements PositionBook, Account, EventHandler {
    /** Handler id: the processing log says which fills this manager has folded in. */
    static final String HANDLER = "manager.position";

    private final EventBus bus;
    private final Map<String, Position> positions = new TreeMap<>();
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile Exchange exchange;

    /**
     * @param bus   where position updates are published
     * @param store the fills to rebuild from
     */
    @Activate
    public PositionManager(@Reference EventBus bus, @Reference EventStore store) {
        this.bus = bus;
        synchronized (positions) {
            for (DomainEvent<?> event : store.query(EventQuery.all().handledBy(HANDLER))) {
                if (event.payload() instanceof OrderFilled fill) {
                    apply(fill, event);
                } else if (event.payload() instanceof CandleClosed closed) {
                    positions.computeIfPresent(closed.market().code(), (code, p) -> p.markedAt(closed.candle().close()));
                }
            }
        }
    }

    private Position apply(OrderFilled fill, DomainEvent<?> event) {
        Position before = positions.getOrDefault(fill.market().code(), Position.flat(fill.market(), event.occurredAt()));
        Position after = PositionFold.apply(before, fill, event.occurredAt());
        positions.put(fill.market().code(), after);
        return after;
    }

    @Override
    public void handleEvent(Event osgiEvent) {
        DomainEvent<?> event = EventProperties.domainEvent(osgiEvent);
        if (event.payload() instanceof OrderFilled fill) {
            Position after;
            synchronized (positions) {
                after = apply(fill, event);
            }
            bus.publish(DomainEvent.causedBy(event, new PositionUpdated(after), event.occurredAt()));
        } else if (event.payload() instanceof CandleClosed closed) {
            synchronized (positions) {
                positions.computeIfPresent(closed.market().code(), (code, p) -> p.markedAt(closed.candle().close()));
            }
        }
    }

    @Override
    public Optional<BigDecimal> equity(String quoteCurrency, Market market, BigDecimal price) {
        Exchange ex = exchange;
        if (ex == null) {
            return Optional.empty();
        }
        Balance cash = ex.balances().get(quoteCurrency);
        BigDecimal equity = cash == null ? BigDecimal.ZERO : cash.total();
        synchronized (positions) {
            for (Position p : positions.values()) {
                if (p.market().quote().equals(quoteCurrency)) {
                    BigDecimal mark = p.market().equals(market) && price != null ? price : p.markPrice();
                    equity = equity.add(p.volume().multiply(mark));
                }
            }
        }
        return Optional.of(equity);
    }

    @Override
    public Optional<BigDecimal> buyingPower(Market market) {
        Exchange ex = exchange;
        if (ex == null) {
            return Optional.empty();
        }
        Balance cash = ex.balances().get(market.quote());
        if (cash == null) {
            return Optional.of(BigDecimal.ZERO);
        }
        BigDecimal fee = ex.rules(market).bidFee();
        return Optional.of(cash.available().divide(BigDecimal.ONE.add(fee), 8, java.math.RoundingMode.DOWN));
    }

    @Override
    public Optional<Position> position(Market market) {
        synchronized (positions) {
            return Optional.ofNullable(positions.get(market.code()));
        }
    }

    @Override
    public List<Position> positions() {
        synchronized (positions) {
            return new ArrayList<>(positions.values());
        }
    }
}
