package io.autotrade.strategy.rsi.internal;

import io.autotrade.api.event.DomainEvent;
import io.autotrade.api.event.EventBus;
import io.autotrade.api.event.EventProperties;
import io.autotrade.api.event.EventQuery;
import io.autotrade.api.event.EventStore;
import io.autotrade.api.strategy.LongOnlyBook;
import io.autotrade.api.strategy.Strategy;
import io.autotrade.api.trading.CandleClosed;
import io.autotrade.api.trading.Market;
import io.autotrade.api.trading.OrderSpec;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.event.Event;
import org.osgi.service.event.EventHandler;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/**
 * RSI mean reversion, one instance per market (factory PID {@value #PID}). Buys {@code order.amount}
 * of quote currency when the RSI crosses up through {@code oversold} while flat
 * ({@code previous < oversold <= current}); sells the whole position when it crosses down through
 * {@code overbought} while long ({@code previous > overbought >= current}). No signal before two RSI
 * values exist, and none while its own order is in flight.
 *
 * <p>The instance registers its EventAdmin handler itself, filtered to its market, so that two
 * instances on two markets never see each other's candles.
 */
@Component(configurationPid = RsiStrategy.PID, configurationPolicy = ConfigurationPolicy.REQUIRE, service = {})
@Designate(ocd = RsiStrategy.Config.class, factory = true)
public class RsiStrategy implements Strategy, EventHandler {
    /** Factory configuration PID. */
    public static final String PID = "io.autotrade.strategy.rsi";

    /** One instance's settings. */
    @ObjectClassDefinition(name = "autotrade RSI strategy", description = "Wilder's RSI crossing oversold/overbought")
    public @interface Config {
        /** @return market code */
        @AttributeDefinition(name = "Market", description = "Upbit market code, quote first, e.g. KRW-BTC")
        String market();

        /** @return instance id; empty means rsi-MARKET */
        @AttributeDefinition(name = "Strategy id", description = "Unique id of this instance; empty: rsi-<market>", required = false)
        String strategy_id() default "";

        /** @return RSI period */
        @AttributeDefinition(name = "Period", description = "Number of close-to-close changes averaged", min = "1")
        int period() default 14;

        /** @return oversold threshold */
        @AttributeDefinition(name = "Oversold", description = "Buy when the RSI crosses up through this level", min = "0", max = "100")
        String oversold() default "30";

        /** @return overbought threshold */
        @AttributeDefinition(name = "Overbought", description = "Sell when the RSI crosses down through this level", min = "0", max = "100")
        String overbought() default "70";

        /** @return buy size, quote currency */
        @AttributeDefinition(name = "Order amount", description = "Quote currency spent per buy (KRW on KRW markets)")
        String order_amount() default "1000000";
    }

    private final String id;
    private final Market market;
    private final BigDecimal oversold;
    private final BigDecimal overbought;
    private final BigDecimal orderAmount;
    private final WilderRsi rsi;
    private final Map<String, String> settings = new LinkedHashMap<>();
    private final LongOnlyBook book;
    private final ServiceRegistration<?> registration;
    private BigDecimal previousRsi;

    /**
     * @param bus     where signals are published
     * @param store   the candles and fills this instance handled before, to warm up from after a restart
     * @param context to register the handler and strategy service
     * @param config  the instance's settings
     * @throws IllegalArgumentException if a setting is malformed or out of range
     */
    @Activate
    public RsiStrategy(@Reference EventBus bus, @Reference EventStore store, BundleContext context, Config config) {
        this.market = Market.of(config.market());
        this.id = config.strategy_id().isBlank() ? "rsi-" + market.code() : config.strategy_id();
        this.rsi = new WilderRsi(config.period());
        this.oversold = level("oversold", config.oversold());
        this.overbought = level("overbought", config.overbought());
        this.orderAmount = new BigDecimal(config.order_amount().strip());
        if (oversold.compareTo(overbought) >= 0) {
            throw new IllegalArgumentException("oversold " + oversold + " must be below overbought " + overbought);
        }
        if (orderAmount.signum() <= 0) {
            throw new IllegalArgumentException("order.amount must be > 0, was " + config.order_amount());
        }
        settings.put("market", market.code());
        settings.put("period", String.valueOf(config.period()));
        settings.put("oversold", oversold.toPlainString());
        settings.put("overbought", overbought.toPlainString());
        settings.put("order.amount", orderAmount.toPlainString());
        this.book = new LongOnlyBook("rsi", id, market, bus);
        book.warmUp(store.query(EventQuery.all().handledBy(book.handlerId())), this::handle);
        this.registration = context.registerService(new String[] {Strategy.class.getName(), EventHandler.class.getName()},
                this, book.serviceProperties());
    }

    private static BigDecimal level(String name, String value) {
        BigDecimal level = new BigDecimal(value.strip());
        if (level.signum() < 0 || level.compareTo(BigDecimal.valueOf(100)) > 0) {
            throw new IllegalArgumentException(name + " must be within 0..100, was " + value);
        }
        return level;
    }

    @Deactivate
    void stop() {
        registration.unregister();
    }

    @Override
    public String id() {
        return id;
    }

    @Override
    public Market market() {
        return market;
    }

    @Override
    public Map<String, String> settings() {
        return Map.copyOf(settings);
    }

    @Override
    public synchronized void handleEvent(Event osgiEvent) {
        handle(EventProperties.domainEvent(osgiEvent));
    }

    private void handle(DomainEvent<?> event) {
        if (!book.track(event) && event.payload() instanceof CandleClosed closed) {
            onClose(event, closed);
        }
    }

    private void onClose(DomainEvent<?> event, CandleClosed closed) {
        Optional<BigDecimal> current = rsi.add(closed.candle().close());
        if (current.isEmpty()) {
            return;
        }
        BigDecimal now = current.get();
        BigDecimal before = previousRsi;
        previousRsi = now;
        if (before == null || book.orderInFlight()) {
            return;
        }
        if (book.flat() && before.compareTo(oversold) < 0 && oversold.compareTo(now) <= 0) {
            book.signal(event, OrderSpec.marketBuy(market, orderAmount), "RSI(" + rsi.period() + ") crossed up through "
                    + oversold.toPlainString() + ": " + round(before) + " -> " + round(now));
        } else if (!book.flat() && before.compareTo(overbought) > 0 && overbought.compareTo(now) >= 0) {
            book.signal(event, OrderSpec.marketSell(market, book.positionVolume()), "RSI(" + rsi.period()
                    + ") crossed down through " + overbought.toPlainString() + ": " + round(before) + " -> " + round(now));
        }
    }

    private static String round(BigDecimal value) {
        return value.setScale(2, RoundingMode.HALF_EVEN).toPlainString();
    }
}
