package io.autotrade.strategy.rsi.internal;

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
public class RsiStrategy extends LongOnlyStrategy {
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

    private final BigDecimal oversold;
    private final BigDecimal overbought;
    private final WilderRsi rsi;
    private WilderRsi.Reading previousRsi;

    /**
     * @param bus     where signals are published
     * @param store   the candles and fills this instance handled before, to warm up from after a restart
     * @param blotter the orders in flight (no signal while one of this instance is)
     * @param account equity and buying power, for a size by a share of equity
     * @param risk    the risk limits that cap such a size
     * @param context to register the handler and strategy service
     * @param config  the instance's settings
     * @param properties the same as text, for the sizing and exit settings the base class reads
     * @throws IllegalArgumentException if a setting is malformed or out of range
     */
    @Activate
    public RsiStrategy(@Reference EventBus bus, @Reference EventStore store, @Reference OrderBlotter blotter,
            @Reference Account account, @Reference RiskView risk, BundleContext context, Config config,
            Map<String, Object> properties) {
        super("rsi", config.strategy_id(), config.market(), properties,
                new StrategyServices(bus, blotter, account, risk));
        orderOptions(config.order_type(), config.order_time_in_force(), config.order_smp_type());
        this.rsi = new WilderRsi(config.period());
        this.oversold = level("oversold", config.oversold());
        this.overbought = level("overbought", config.overbought());
        if (oversold.compareTo(overbought) >= 0) {
            throw new IllegalArgumentException("oversold " + oversold + " must be below overbought " + overbought);
        }
        setting("period", config.period());
        setting("oversold", oversold.toPlainString());
        setting("overbought", overbought.toPlainString());
        start(store, context);
    }

    private static BigDecimal level(String name, String value) {
        BigDecimal level = new BigDecimal(value.strip());
        if (level.signum() < 0 || level.compareTo(BigDecimal.valueOf(100)) > 0) {
            throw new IllegalArgumentException(name + " must be within 0..100, was " + value);
        }
        return level;
    }

    @Deactivate
    void deactivate() {
        stop();
    }

    @Override
    protected void onClose(DomainEvent<?> event, CandleClosed closed) {
        Optional<WilderRsi.Reading> current = rsi.next(closed.candle().close());
        if (current.isEmpty()) {
            return;
        }
        WilderRsi.Reading now = current.get();
        WilderRsi.Reading before = previousRsi;
        previousRsi = now;
        if (before == null || orderInFlight()) {
            return;
        }
        if (flat() && before.compareTo(oversold) < 0 && now.compareTo(oversold) >= 0) {
            buy(event, "RSI(" + rsi.period() + ") crossed up through " + oversold.toPlainString() + ": " + round(before.value())
                    + " -> " + round(now.value()));
        } else if (!flat() && before.compareTo(overbought) > 0 && now.compareTo(overbought) <= 0) {
            sellAll(event, "RSI(" + rsi.period() + ") crossed down through " + overbought.toPlainString() + ": "
                    + round(before.value()) + " -> " + round(now.value()));
        }
    }
}
