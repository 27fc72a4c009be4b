package io.autotrade.strategy.macross.internal;

import io.autotrade.api.event.DomainEvent;
import io.autotrade.api.event.EventBus;
import io.autotrade.api.event.EventStore;
import io.autotrade.api.portfolio.Account;
import io.autotrade.api.portfolio.OrderBlotter;
import io.autotrade.api.risk.RiskView;
import io.autotrade.strategy.support.LongOnlyStrategy;
import io.autotrade.strategy.support.StrategyServices;
import io.autotrade.api.trading.CandleClosed;
import java.math.BigDecimal;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.osgi.service.metatype.annotations.Option;


/**
 * Moving-average crossover, one instance per market (factory PID {@value #PID}). With
 * {@code d = fast - slow} on candle closes: buys {@code order.amount} of quote currency on a golden
 * cross ({@code d} goes from &le; 0 to &gt; 0) while flat; sells the whole position on a death cross
 * ({@code d} from &ge; 0 to &lt; 0) while long. No signal before both averages and one previous
 * difference exist, and none while its own order is in flight.
 *
 * <p>Like every strategy it registers its handler filtered to its market, and after a restart or a
 * replacement of its bundle it warms its averages, position and order state up from the events the
 * processing log says it handled, so nothing is signalled twice.
 */
@Component(configurationPid = MaCrossStrategy.PID, configurationPolicy = ConfigurationPolicy.REQUIRE, service = {})
@Designate(ocd = MaCrossStrategy.Config.class, factory = true)
public class MaCrossStrategy extends LongOnlyStrategy {
    /** Factory configuration PID. */
    public static final String PID = "io.autotrade.strategy.macross";

    /** One instance's settings. */
    @ObjectClassDefinition(name = "autotrade moving-average crossover strategy",
            description = "Buys on a golden cross of a fast over a slow moving average of closes, sells on a death cross")
    public @interface Config {
        /** @return market code */
        @AttributeDefinition(name = "Market", description = "Upbit market code, quote first, e.g. KRW-BTC")
        String market();

        /** @return instance id; empty means macross-MARKET */
        @AttributeDefinition(name = "Strategy id", description = "Unique id of this instance; empty: macross-<market>", required = false)
        String strategy_id() default "";

        /** @return fast average's period, candles */
        @AttributeDefinition(name = "Fast period", description = "Candles in the fast average; below the slow period", min = "1")
        int fast_period() default 10;

        /** @return slow average's period, candles */
        @AttributeDefinition(name = "Slow period", description = "Candles in the slow average", min = "2")
        int slow_period() default 30;

        /** @return SMA or EMA */
        @AttributeDefinition(name = "Average", description = "Simple or exponential (SMA-seeded) moving average",
                options = {@Option(label = "Simple (SMA)", value = "SMA"), @Option(label = "Exponential (EMA)", value = "EMA")})
        String ma_type() default "SMA";

        /** @return buy size, quote currency */
        @AttributeDefinition(name = "Order amount", description = "Quote currency spent per buy, or a share of equity such as 10%; empty: 10% of the quote currency's default cash (KRW 1000000, USDT 1000, BTC 0.01)", required = false)
        String order_amount() default "";

        /** @return share of equity risked per trade */
        @AttributeDefinition(name = "Risk per trade", description = "Instead of order.amount: size each buy so its"
                + " stop-loss loses this fraction of equity (equity x risk.per.trade / stop.loss); needs stop.loss",
                required = false)
        String risk_per_trade() default "";

        /** @return stop-loss fraction */
        @AttributeDefinition(name = "Stop-loss", description = "Exit when the price falls to entry x (1 - this), e.g."
                + " 0.02; empty: off", required = false)
        String stop_loss() default "";

        /** @return take-profit fraction */
        @AttributeDefinition(name = "Take-profit", description = "Exit when the price rises to entry x (1 + this);"
                + " empty: off", required = false)
        String take_profit() default "";

        /** @return trailing-stop fraction */
        @AttributeDefinition(name = "Trailing stop", description = "Exit when the price falls this fraction below the"
                + " highest price since entry; empty: off", required = false)
        String trailing_stop() default "";

        /** @return longest holding */
        @AttributeDefinition(name = "Max holding", description = "Exit at market after holding this long, ISO-8601"
                + " (PT12H, P2D); empty: off", required = false)
        String max_holding() default "";

        /** @return minimal ROI table */
        @AttributeDefinition(name = "ROI table", description = "After N minutes take profit at this fraction:"
                + " MINUTES:FRACTION,... e.g. 0:0.05,30:0.02,60:0; empty: off", required = false)
        String roi() default "";

        /** @return how orders go to the exchange */
        @AttributeDefinition(name = "Order type", description = "market: market orders (default); best: Upbit's best-price"
                + " order (ord_type best), which takes the best opposite level only", required = false,
                options = {@Option(label = "market", value = "market"), @Option(label = "best", value = "best")})
        String order_type() default "market";

        /** @return time in force of best orders */
        @AttributeDefinition(name = "Order time in force", description = "For order.type best: ioc (default; what does"
                + " not fill at once is canceled) or fok (all or nothing); empty for market orders", required = false)
        String order_time_in_force() default "";

        /** @return Upbit's self-match prevention for these orders */
        @AttributeDefinition(name = "Order self-match prevention", description = "Upbit smp_type of this instance's"
                + " orders: cancel_taker, cancel_maker or reduce; empty: the exchange adapter's smp.type", required = false)
        String order_smp_type() default "";
    }

    private final MovingAverage fast;
    private final MovingAverage slow;
    private BigDecimal previousDifference;

    /**
     * @param bus     where signals are published
     * @param store   the candles and fills this instance handled before, to warm up from
     * @param blotter the orders in flight (no signal while one of this instance is)
     * @param account equity and buying power, for a size by a share of equity
     * @param risk    the risk limits that cap such a size
     * @param context to register the handler and strategy service
     * @param config  the instance's settings
     * @param properties the same as text, for the sizing and exit settings the base class reads
     * @throws IllegalArgumentException if a setting is malformed or out of range (naming it)
     */
    @Activate
    public MaCrossStrategy(@Reference EventBus bus, @Reference EventStore store, @Reference OrderBlotter blotter,
            @Reference Account account, @Reference RiskView risk, BundleContext context, Config config,
            Map<String, Object> properties) {
        super("macross", config.strategy_id(), config.market(), properties,
                new StrategyServices(bus, blotter, account, risk));
        orderOptions(config.order_type(), config.order_time_in_force(), config.order_smp_type());
        MovingAverage.Type type;
        try {
            type = MovingAverage.Type.valueOf(config.ma_type().strip().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("ma.type must be SMA or EMA, was '" + config.ma_type() + "'", e);
        }
        if (config.fast_period() >= config.slow_period()) {
            throw new IllegalArgumentException("fast.period " + config.fast_period() + " must be below slow.period "
                    + config.slow_period());
        }
        this.fast = new MovingAverage(type, config.fast_period());
        this.slow = new MovingAverage(type, config.slow_period());
        setting("fast.period", config.fast_period());
        setting("slow.period", config.slow_period());
        setting("ma.type", type.name());
        start(store, context);
    }

    @Deactivate
    void deactivate() {
        stop();
    }

    @Override
    protected void onClose(DomainEvent<?> event, CandleClosed closed) {
        BigDecimal close = closed.candle().close();
        Optional<BigDecimal> f = fast.add(close);
        Optional<BigDecimal> s = slow.add(close);
        if (f.isEmpty() || s.isEmpty()) {
            return;
        }
        BigDecimal now = f.get().subtract(s.get());
        BigDecimal before = previousDifference;
        previousDifference = now;
        if (before == null || orderInFlight()) {
            return;
        }
        if (flat() && before.signum() <= 0 && now.signum() > 0) {
            buy(event, "golden cross: " + fast + " " + round(f.get()) + " rose above " + slow + " " + round(s.get()));
        } else if (!flat() && before.signum() >= 0 && now.signum() < 0) {
            sellAll(event, "death cross: " + fast + " " + round(f.get()) + " fell below " + slow + " " + round(s.get()));
        }
    }
}
