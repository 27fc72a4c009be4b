package io.autotrade.exchange.upbit.internal;

import io.autotrade.api.event.DomainEvent;
import io.autotrade.api.event.EventBus;
import io.autotrade.api.event.EventStore;
import io.autotrade.api.exchange.Balance;
import io.autotrade.api.exchange.Exchange;
import io.autotrade.api.exchange.MarketRules;
import io.autotrade.api.trading.ClientOrderId;
import io.autotrade.api.trading.KillSwitch;
import io.autotrade.api.trading.Market;
import io.autotrade.api.trading.OrderRequested;
import io.autotrade.api.event.EventProperties;
import io.autotrade.api.event.EventQuery;
import io.autotrade.api.event.Topics;
import io.autotrade.api.exchange.ExchangeException;
import io.autotrade.api.trading.OrderSubmitted;
import org.osgi.service.event.Event;
import org.osgi.service.event.EventConstants;
import org.osgi.service.event.EventHandler;
import java.net.URI;
import java.net.http.HttpClient;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.log.Logger;
import org.osgi.service.log.LoggerFactory;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.AttributeType;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.osgi.service.metatype.annotations.Option;

/**
 * The live Upbit exchange in the framework: {@link UpbitExchange} with one {@link HttpClient} and one
 * {@link RateLimiter} for the runtime, configured by PID {@value #PID} (a configuration is required:
 * nothing talks to Upbit until one exists). Keys come from the configuration's password fields or
 * from {@code UPBIT_ACCESS_KEY} / {@code UPBIT_SECRET_KEY}; {@code UPBIT_REST_URL} overrides the base
 * URL and {@code UPBIT_WS_URL} the WebSocket URL. On start it checks the configured {@code markets}
 * against {@code market/all} and reconciles with Upbit; then fills and balances come from the private
 * WebSocket ({@link PrivateStream}, when keys are set and {@code private.stream} is on), and the working orders
 * are polled every {@code poll.interval.ms} only while that stream is down. For the markets it publishes closed candles ({@link CandleFeed}): live from
 * the WebSocket stream ({@link MarketStream}, unless {@code stream} is off), and from REST at start
 * (the history), after every reconnect and every {@code candle.poll.ms} (the safety net).
 *
 * <p>Orders come by one channel: the order manager's {@code order.submitted} for this exchange, taken by the
 * adapter's own durable handler ({@value #HANDLER}), which reads the order's request from the store (the two
 * are journaled in one commit) and hands it to the adapter's own thread ({@code autotrade-upbit-order}), in
 * order, so a slow Upbit or the 12/s order limit never holds the event bus's trading lane. Every answer
 * follows the order's {@code order.submitted}. A submitted order the runtime went down with is redelivered to
 * the handler; reconciliation at start has by then looked it up by identifier, and an order already answered
 * is not sent again.
 * A 418 from Upbit halts trading through the {@link KillSwitch} with the reason, and lifts that halt
 * when the block ends.
 */
@Component(service = {Exchange.class, EventHandler.class}, configurationPid = UpbitExchangeComponent.PID,
        configurationPolicy = ConfigurationPolicy.REQUIRE, property = {Exchange.EXCHANGE_ID + "=" + UpbitExchange.ID,
                EventConstants.EVENT_TOPIC + "=" + Topics.ORDER_SUBMITTED,
                EventProperties.HANDLER_ID + "=" + UpbitExchangeComponent.HANDLER})
@Designate(ocd = UpbitExchangeComponent.Config.class)
public class UpbitExchangeComponent implements Exchange, EventHandler {
    /** Configuration PID. */
    static final String PID = "io.autotrade.exchange.upbit";
    /** Handler id of the adapter's {@code order.submitted} handler. */
    static final String HANDLER = UpbitExchange.SOURCE;

    /** Configuration (metatype). */
    @ObjectClassDefinition(name = "autotrade Upbit exchange", description = "Live trading on Upbit")
    public @interface Config {
        /** @return the REST base URL */
        @AttributeDefinition(name = "REST base URL", description = "Overridden by UPBIT_REST_URL")
        String base_url() default "https://api.upbit.com/v1";

        /** @return the access key */
        @AttributeDefinition(name = "Access key", type = AttributeType.PASSWORD, required = false,
                description = "Empty: UPBIT_ACCESS_KEY")
        String access_key() default "";

        /** @return the secret key */
        @AttributeDefinition(name = "Secret key", type = AttributeType.PASSWORD, required = false,
                description = "Empty: UPBIT_SECRET_KEY")
        String secret_key() default "";

        /** @return request timeout, ms */
        @AttributeDefinition(name = "Request timeout (ms)", min = "100")
        long request_timeout_ms() default 5000;

        /** @return poll interval of working orders, ms */
        @AttributeDefinition(name = "Order poll interval (ms)", min = "100")
        long poll_interval_ms() default 1000;

        /** @return markets whose candles are fetched and published */
        @AttributeDefinition(name = "Markets", required = false, description = "Upbit market codes whose candles feed the strategies, e.g. KRW-BTC")
        String[] markets() default {};

        /** @return candle length, minutes */
        @AttributeDefinition(name = "Candle unit (minutes)", description = "1, 3, 5, 10, 15, 30, 60, 240, or 1440 for"
                + " day candles (REST only: Upbit streams no day candles)")
        int candle_unit() default 1;

        /** @return how often candles are fetched, ms */
        @AttributeDefinition(name = "Candle poll interval (ms)", min = "1000")
        long candle_poll_ms() default 10_000;

        /** @return how far back the first fetch reaches, minutes */
        @AttributeDefinition(name = "Candle history (minutes)", description = "Candles published at start, for the strategies' warm-up", min = "0")
        int candle_history_minutes() default 200;

        /** @return the WebSocket URL */
        @AttributeDefinition(name = "WebSocket URL", description = "Overridden by UPBIT_WS_URL")
        String ws_url() default "wss://api.upbit.com/websocket/v1";

        /** @return whether fills and balances come from the private WebSocket */
        @AttributeDefinition(name = "Private stream", description = "Fills and balances from Upbit's private WebSocket"
                + " (myOrder, myAsset); working orders are polled by REST only while it is down. Off: REST polling only")
        boolean private_stream() default true;

        /** @return the private WebSocket URL */
        @AttributeDefinition(name = "Private WebSocket URL", required = false, description = "Empty: the WebSocket URL"
                + " followed by /private (wss://api.upbit.com/websocket/v1/private)")
        String ws_private_url() default "";

        /** @return whether live candles come from the WebSocket stream */
        @AttributeDefinition(name = "Stream market data", description = "Off: candles from REST polling only")
        boolean stream() default true;

        /** @return silence after which the stream is renewed, ms */
        @AttributeDefinition(name = "Stale stream (ms)", description = "No market data for this long: reconnect", min = "1000")
        long stream_stale_ms() default 60_000;

        /** @return how long after its end a streamed candle is closed if no later one started, ms */
        @AttributeDefinition(name = "Candle close grace (ms)", min = "0")
        long candle_close_grace_ms() default 2000;

        /** @return the widest spread at which a market order is sent, percent of the mid; 0 = no check */
        @AttributeDefinition(name = "Market order max spread (%)", description = "A market order into a book whose best ask"
                + " and bid are further apart is rejected as wide_spread; 0 = off")
        String market_order_max_spread_pct() default "1";

        /** @return whether orders only go to Upbit's test endpoint */
        @AttributeDefinition(name = "Dry run", description = "Orders go to POST orders/test: checked by Upbit, never"
                + " placed, each rejected as dry_run (or with Upbit's error)")
        boolean dry_run() default false;

        /** @return the oldest an order may be when it is sent, ms; 0 = no limit */
        @AttributeDefinition(name = "Order max age (ms)", description = "An order whose cause (the candle) is older is"
                + " rejected as stale_order instead of sent; 0 = off", min = "0")
        long order_max_age_ms() default 60_000;

        /** @return requests per second, order group */
        @AttributeDefinition(name = "Order requests per second", description = "Upbit's order group: 12 per second since 2026-08-21", min = "1")
        int rate_order() default 12;

        /** @return Upbit's self-match prevention for every order */
        @AttributeDefinition(name = "Self-match prevention", description = "smp_type sent with every order (Upbit,"
                + " new order reference): cancel_taker (default: the new order that would trade with a resting order of"
                + " this account is not executed, the resting one stays), cancel_maker (Upbit's own default since"
                + " 2026-11-09 when none is sent: the resting order is canceled), reduce (both reduced)",
                options = {@Option(label = "cancel_taker", value = "cancel_taker"), @Option(label = "cancel_maker", value = "cancel_maker"),
                    @Option(label = "reduce", value = "reduce")})
        String smp_type() default "cancel_taker";

        /** @return the largest estimated slippage of a market order, percent; 0 = off */
        @AttributeDefinition(name = "Market order max slippage (%)", description = "A market order whose average fill price,"
                + " estimated from the orderbook, is further from the best price is rejected as slippage; one larger than"
                + " the book's levels as thin_book (Upbit refuses those); 0 = off")
        String market_order_max_slippage_pct() default "1";

        /** @return whether buys into markets Upbit flags are sent */
        @AttributeDefinition(name = "Allow flagged markets", description = "Send buys into markets Upbit flags"
                + " (market/all market_event: warning, caution); off: they are rejected as market_flagged, sells pass")
        boolean allow_flagged_markets() default false;

        /** @return requests per second, default group */
        @AttributeDefinition(name = "Other private requests per second", min = "1")
        int rate_default() default 30;

        /** @return requests per second, each quotation group */
        @AttributeDefinition(name = "Quotation requests per second (market, candle, trade, ticker, orderbook)", min = "1")
        int rate_quotation() default 10;
    }

    private final UpbitExchange exchange;
    private final ScheduledExecutorService poller;
    private final ExecutorService sender;
    private final EventStore store;
    private MarketStream stream;
    private PrivateStream privateStream;

    /**
     * @param bus           where answers and fills go
     * @param store         the events before this start, for reconciliation
     * @param killSwitch    halted on a 418
     * @param loggerFactory for warnings
     * @param config        the settings
     */
    @Activate
    public UpbitExchangeComponent(@Reference EventBus bus, @Reference EventStore store, @Reference KillSwitch killSwitch,
            @Reference LoggerFactory loggerFactory, Config config) {
        Logger logger = loggerFactory.getLogger(UpbitExchangeComponent.class);
        this.store = store;
        String access = firstOf(config.access_key(), System.getenv("UPBIT_ACCESS_KEY"));
        String secret = firstOf(config.secret_key(), System.getenv("UPBIT_SECRET_KEY"));
        String base = firstOf(System.getenv("UPBIT_REST_URL"), config.base_url());
        RateLimiter limiter = limiter(config, killSwitch, logger);
        UpbitAuth auth = access.isEmpty() && secret.isEmpty() ? null : new UpbitAuth(new Credentials(access, secret));
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofMillis(config.request_timeout_ms())).build();
        UpbitClient client = new UpbitClient(http, base, auth, limiter, Duration.ofMillis(config.request_timeout_ms()));
        this.exchange = new UpbitExchange(client, bus, logger::warn, logger::info, Duration.ofMillis(500),
                Duration.ofMillis(config.order_max_age_ms()), Instant::now);
        configure(exchange, config);
        this.poller = Executors.newScheduledThreadPool(2, daemon("autotrade-upbit-poll"));
        this.sender = Executors.newSingleThreadExecutor(daemon("autotrade-upbit-order"));
        List<Market> markets = Arrays.stream(config.markets()).map(String::strip).filter(m -> !m.isEmpty()).map(Market::of).toList();
        sender.execute(() -> { // first on the order thread: no order is sent before the state is reconciled
            try {
                exchange.checkMarkets(markets);
                exchange.reconcile(store);
            } catch (RuntimeException e) {
                logger.error("reconciliation with Upbit failed: {}", e.getMessage());
            }
        });
        poller.scheduleWithFixedDelay(exchange::poll, config.poll_interval_ms(), config.poll_interval_ms(), TimeUnit.MILLISECONDS);
        poller.scheduleWithFixedDelay(limiter::endBlockIfOver, 1, 1, TimeUnit.SECONDS);
        String ws = firstOf(System.getenv("UPBIT_WS_URL"), config.ws_url());
        String wsPrivate = firstOf(config.ws_private_url(), ws.replaceAll("/+$", "") + "/private");
        if (auth != null && config.private_stream()) {
            privateStream = new PrivateStream(http, URI.create(wsPrivate), auth, exchange, Duration.ofSeconds(30), poller,
                    Instant::now, logger::warn);
            exchange.privateStream(privateStream::up);
            sender.execute(privateStream::start); // after the reconciliation: it knows the working orders by then
        }
        if (!markets.isEmpty()) {
            startCandles(new CandleFeed(client, bus, markets, config.candle_unit(),
                    Duration.ofMinutes(config.candle_history_minutes()), Instant::now,
                    Duration.ofMillis(config.candle_close_grace_ms()), logger::warn), http, ws, config, logger);
        }
        logger.info("Upbit exchange at {} ({}{}), markets {}, stream {}, private stream {}", base,
                auth == null ? "no keys: quotation only" : "keys configured",
                config.dry_run() ? ", DRY RUN: orders are checked, never placed" : "", markets, stream == null ? "off" : ws,
                privateStream == null ? "off: orders are polled by REST" : wsPrivate);
    }

    /** @return the runtime's limiter with the configured group rates; a 418 halts trading, its end lifts that halt */
    private static RateLimiter limiter(Config config, KillSwitch killSwitch, Logger logger) {
        Map<RateGroup, Integer> permits = new EnumMap<>(RateGroup.class);
        permits.put(RateGroup.ORDER, config.rate_order());
        permits.put(RateGroup.DEFAULT, config.rate_default());
        for (RateGroup g : new RateGroup[] {RateGroup.MARKET, RateGroup.CANDLE, RateGroup.TRADE, RateGroup.TICKER,
                RateGroup.ORDERBOOK}) {
            permits.put(g, config.rate_quotation());
        }
        return new RateLimiter(permits, RateLimiter.SYSTEM, reason -> {
            if (reason != null) {
                logger.error(reason);
                killSwitch.halt(reason);
            } else if (killSwitch.haltReason() != null && killSwitch.haltReason().startsWith(RateLimiter.BLOCKED)) {
                killSwitch.resume("Upbit's block ended");
            }
        });
    }

    /** @throws IllegalArgumentException naming the setting, for a malformed percentage or smp type */
    private static void configure(UpbitExchange exchange, Config config) {
        exchange.dryRun(config.dry_run());
        exchange.smpType(config.smp_type());
        exchange.allowFlaggedMarkets(config.allow_flagged_markets());
        exchange.maxSlippage(percent("market.order.max.slippage.pct", config.market_order_max_slippage_pct()));
        exchange.maxSpread(percent("market.order.max.spread.pct", config.market_order_max_spread_pct()));
    }

    private static java.math.BigDecimal percent(String key, String value) {
        try {
            return new java.math.BigDecimal(value.strip()).movePointLeft(2);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(key + " must be a number, was '" + value + "'", e);
        }
    }

    /** Candles from REST (history, safety poll) and, unless off or day candles, from the quotation stream. */
    private void startCandles(CandleFeed feed, HttpClient http, String ws, Config config, Logger logger) {
        poller.scheduleWithFixedDelay(feed::poll, 0, config.candle_poll_ms(), TimeUnit.MILLISECONDS);
        if (config.stream() && !feed.streamable()) {
            logger.info("Upbit streams no day candles: candles of {} come from REST every {} ms", feed.markets(),
                    config.candle_poll_ms());
        } else if (config.stream()) {
            stream = new MarketStream(http, URI.create(ws), feed, Duration.ofMillis(config.stream_stale_ms()),
                    Duration.ofSeconds(30), poller, Instant::now, logger::warn);
            stream.start();
        }
    }

    private static java.util.concurrent.ThreadFactory daemon(String name) {
        return r -> {
            Thread t = new Thread(r, name);
            t.setDaemon(true);
            return t;
        };
    }

    private static String firstOf(String a, String b) {
        return a != null && !a.isBlank() ? a.strip() : b == null ? "" : b.strip();
    }

    @Deactivate
    void stop() {
        if (stream != null) {
            stream.stop();
        }
        if (privateStream != null) {
            privateStream.stop();
        }
        poller.shutdownNow();
        sender.shutdownNow();
    }

    @Override
    public String id() {
        return exchange.id();
    }

    /**
     * An order was submitted: sends it to Upbit if it is for this exchange.
     *
     * @param event an {@code order.submitted}
     * @throws ExchangeException if the adapter is stopping (the bus retries the delivery)
     */
    @Override
    public void handleEvent(Event event) {
        if (!(EventProperties.domainEvent(event).payload() instanceof OrderSubmitted s) || !UpbitExchange.ID.equals(s.exchangeId())) {
            return;
        }
        // the request is journaled with its submission (both the order manager's, one commit)
        DomainEvent<OrderRequested> request = store.query(EventQuery.ofType(OrderRequested.KIND.type())
                .aggregate(s.orderId().value())).stream().findFirst().map(e -> e.as(OrderRequested.class))
                .orElseThrow(() -> new ExchangeException("order " + s.orderId().value() + " was submitted but its request is not stored"));
        DomainEvent<OrderRequested> send = request;
        try {
            sender.execute(() -> exchange.submit(send));
        } catch (java.util.concurrent.RejectedExecutionException e) {
            throw new ExchangeException("the Upbit adapter is stopping; order " + s.orderId().value() + " was not sent", e);
        }
    }

    @Override
    public void cancel(ClientOrderId orderId) {
        exchange.cancel(orderId);
    }

    /** Cancels with Upbit's batch endpoint ({@link UpbitExchange#cancelAll}). */
    @Override
    public void cancelAll(List<ClientOrderId> orderIds) {
        exchange.cancelAll(orderIds);
    }

    @Override
    public java.math.BigDecimal roundToTick(Market market, java.math.BigDecimal price, java.math.RoundingMode mode) {
        return exchange.roundToTick(market, price, mode);
    }

    @Override
    public Map<String, Balance> balances() {
        return exchange.balances();
    }

    @Override
    public io.autotrade.api.exchange.ExchangeStatus status() {
        return exchange.status();
    }

    @Override
    public MarketRules rules(Market market) {
        return exchange.rules(market);
    }
}
