package io.autotrade.testing.leak;

import io.autotrade.api.event.DomainEvent;
import io.autotrade.api.event.EventBus;
import io.autotrade.api.event.EventProperties;
import io.autotrade.api.event.EventStore;
import io.autotrade.api.event.Topics;
import io.autotrade.api.portfolio.Account;
import io.autotrade.api.portfolio.OrderBlotter;
import io.autotrade.api.risk.RiskView;
import io.autotrade.api.trading.CandleClosed;
import io.autotrade.api.trading.PriceRange;
import io.autotrade.strategy.support.LongOnlyStrategy;
import io.autotrade.strategy.support.StrategyServices;
import java.math.BigDecimal;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.Map;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.event.EventConstants;
import org.osgi.service.event.EventHandler;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/**
 * A strategy that cheats, for tests of the look-ahead check only (factory PID {@value #PID}): at a candle's open it
 * reads that candle's range, which the replay publishes before the candle closes for the protective exits, and buys
 * when the candle is about to rise by {@code rise}; it sells at the next close. No real strategy can know that.
 */
@Component(configurationPid = LeakStrategy.PID, configurationPolicy = ConfigurationPolicy.REQUIRE, service = {})
@Designate(ocd = LeakStrategy.Config.class, factory = true)
public class LeakStrategy extends LongOnlyStrategy {
    /** Factory configuration PID. */
    public static final String PID = "io.autotrade.strategy.leak";

    /** One instance's settings. */
    @ObjectClassDefinition(name = "autotrade test strategy that peeks at the candle ahead")
    public @interface Config {
        /** @return market code */
        @AttributeDefinition(name = "Market")
        String market();

        /** @return instance id */
        @AttributeDefinition(name = "Strategy id", required = false)
        String strategy_id() default "";

        /** @return the rise of the candle's high over its open that makes it buy, a fraction */
        @AttributeDefinition(name = "Rise", required = false)
        String rise() default "0.002";

        /** @return buy size */
        @AttributeDefinition(name = "Order amount", required = false)
        String order_amount() default "";
    }

    private final BigDecimal rise;
    private ServiceRegistration<EventHandler> peek;

    /**
     * @param bus        signals
     * @param store      warm-up
     * @param blotter    orders in flight
     * @param account    equity
     * @param risk       limits
     * @param context    registrations
     * @param config     settings
     * @param properties settings as text
     */
    @Activate
    public LeakStrategy(@Reference EventBus bus, @Reference EventStore store, @Reference OrderBlotter blotter,
            @Reference Account account, @Reference RiskView risk, BundleContext context, Config config,
            Map<String, Object> properties) {
        super("leak", config.strategy_id(), config.market(), properties, new StrategyServices(bus, blotter, account, risk));
        this.rise = new BigDecimal(config.rise().strip());
        setting("rise", rise.toPlainString());
        start(store, context);
        Dictionary<String, Object> props = new Hashtable<>();
        props.put(EventConstants.EVENT_TOPIC, Topics.PRICE_RANGE);
        props.put(EventConstants.EVENT_FILTER, "(" + EventProperties.MARKET + "=" + market().code() + ")");
        props.put(EventProperties.HANDLER_ID, "strategy.leak." + id() + ".peek");
        peek = context.registerService(EventHandler.class, event -> peek(EventProperties.domainEvent(event)), props);
    }

    /** The cheat: the range of the candle that is only opening now. */
    private void peek(DomainEvent<?> event) {
        synchronized (this) {
            if (event.payload() instanceof PriceRange range && flat() && !orderInFlight()
                    && range.high().compareTo(range.open().multiply(BigDecimal.ONE.add(rise))) >= 0) {
                buy(event, "the candle opening now will rise to " + range.high().toPlainString());
            }
        }
    }

    @Deactivate
    void deactivate() {
        if (peek != null) {
            peek.unregister();
        }
        stop();
    }

    @Override
    protected void onClose(DomainEvent<?> event, CandleClosed closed) {
        if (!flat() && !orderInFlight()) {
            sellAll(event, "sold at the close after the peek");
        }
    }
}
