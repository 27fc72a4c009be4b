package io.autotrade.exchange.upbit.internal;

import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * One Upbit WebSocket connection on {@code java.net.http.WebSocket} (Upbit API docs, "WebSocket 이용 안내"):
 * after the connection opens it sends the subscription ({@code [{"ticket"},{"type",...},...,{"format"}]}),
 * reads every message (Upbit sends binary frames of UTF-8 JSON; text frames are read too, each message
 * reassembled from its frames) and hands it to {@link #handle}. A closed or failed connection is opened
 * again after a backoff of 1 s doubling up to 30 s, reset by {@link #alive()}; a WebSocket ping every
 * {@code pingEvery} keeps it from Upbit's idle close (about 120 s). Subclasses say what to subscribe, what a
 * message means, and when a connection is dead.
 */
abstract class UpbitSocket implements WebSocket.Listener {
    private static final Duration FIRST_BACKOFF = Duration.ofSeconds(1);
    private static final Duration MAX_BACKOFF = Duration.ofSeconds(30);

    /** What the log calls this connection, e.g. {@code market data stream}. */
    protected final String name;
    protected final URI uri;
    protected final ScheduledExecutorService timer;
    protected final Consumer<String> log;
    private final HttpClient http;
    private final Duration pingEvery;
    private final StringBuilder partial = new StringBuilder();
    private final ByteArrayOutputStream partialBytes = new ByteArrayOutputStream();

    private volatile WebSocket socket;
    private volatile boolean stopped;
    private volatile int connections;
    private Duration backoff = FIRST_BACKOFF;
    private ScheduledFuture<?> reconnect;
    private ScheduledFuture<?> watch;
    private ScheduledFuture<?> pings;

    /**
     * @param name      what the log calls it
     * @param http      the runtime's HTTP client
     * @param uri       the WebSocket URL
     * @param pingEvery how often a ping is sent
     * @param timer     runs reconnects, pings and {@link #tick()} every second
     * @param log       warnings
     */
    UpbitSocket(String name, HttpClient http, URI uri, Duration pingEvery, ScheduledExecutorService timer, Consumer<String> log) {
        this.name = name;
        this.http = http;
        this.uri = uri;
        this.pingEvery = pingEvery;
        this.timer = timer;
        this.log = log;
    }

    /** @return the subscription request sent on each new connection */
    protected abstract String subscription();

    /** Reads one whole message; called on the connection's thread, one message at a time. */
    protected abstract void handle(String message);

    /** @param builder the connection about to open: add headers here (e.g. authentication) */
    protected void prepare(WebSocket.Builder builder) {
    }

    /** Called when a connection opened and its subscription was sent. */
    protected void opened() {
    }

    /** Called every second while started. */
    protected void tick() {
    }

    /** Connects, and starts pings and the ticks. */
    synchronized void start() {
        watch = timer.scheduleWithFixedDelay(this::safeTick, 1, 1, TimeUnit.SECONDS);
        pings = timer.scheduleWithFixedDelay(this::ping, pingEvery.toMillis(), pingEvery.toMillis(), TimeUnit.MILLISECONDS);
        connect();
    }

    /** Closes the connection; nothing reconnects after this. */
    synchronized void stop() {
        stopped = true;
        for (ScheduledFuture<?> f : new ScheduledFuture<?>[] {reconnect, watch, pings}) {
            if (f != null) {
                f.cancel(false);
            }
        }
        WebSocket ws = socket;
        if (ws != null) {
            ws.abort();
        }
    }

    /** @return connections opened so far (1 after the first, 2 after one reconnect, ...) */
    int connections() {
        return connections;
    }

    /** @return whether a connection is open now */
    boolean connected() {
        WebSocket ws = socket;
        return ws != null && !ws.isInputClosed();
    }

    /** A message showed the connection works: the next reconnect waits the first backoff again. */
    protected final synchronized void alive() {
        backoff = FIRST_BACKOFF;
    }

    /** Gives up the current connection (it is aborted) and opens a new one after the backoff. */
    protected final void renew(String why) {
        WebSocket ws = socket;
        if (ws == null) {
            return;
        }
        log.accept(name + " " + why + "; reconnecting");
        ws.abort();
        scheduleReconnect(ws);
    }

    private synchronized void connect() {
        if (stopped) {
            return;
        }
        reconnect = null;
        WebSocket.Builder builder = http.newWebSocketBuilder().connectTimeout(Duration.ofSeconds(10));
        try {
            prepare(builder);
        } catch (RuntimeException e) {
            log.accept(name + " cannot connect: " + e.getMessage());
            scheduleReconnect(null);
            return;
        }
        builder.buildAsync(uri, this).whenComplete((ws, failure) -> {
            if (failure != null) {
                log.accept(name + " " + uri + " did not connect: " + rootMessage(failure));
                scheduleReconnect(null);
            }
        });
    }

    /** Opens a new connection after the backoff, unless one is already due; {@code dead} is the socket given up. */
    private synchronized void scheduleReconnect(WebSocket dead) {
        if (stopped || reconnect != null || (dead != null && dead != socket)) {
            return;
        }
        socket = null;
        Duration wait = backoff;
        backoff = backoff.multipliedBy(2).compareTo(MAX_BACKOFF) > 0 ? MAX_BACKOFF : backoff.multipliedBy(2);
        reconnect = timer.schedule(this::connect, wait.toMillis(), TimeUnit.MILLISECONDS);
    }

    @Override
    public void onOpen(WebSocket ws) {
        partial.setLength(0); // a message the previous connection broke off in the middle
        partialBytes.reset();
        synchronized (this) {
            socket = ws;
            connections++;
        }
        ws.sendText(subscription(), true);
        ws.request(1);
        opened();
    }

    @Override
    public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
        partial.append(data);
        if (last) {
            String message = partial.toString();
            partial.setLength(0);
            handle(message);
        }
        ws.request(1);
        return null;
    }

    @Override
    public CompletionStage<?> onBinary(WebSocket ws, ByteBuffer data, boolean last) {
        byte[] bytes = new byte[data.remaining()];
        data.get(bytes);
        partialBytes.writeBytes(bytes);
        if (last) {
            String message = partialBytes.toString(StandardCharsets.UTF_8);
            partialBytes.reset();
            handle(message);
        }
        ws.request(1);
        return null;
    }

    @Override
    public CompletionStage<?> onClose(WebSocket ws, int statusCode, String reason) {
        if (!stopped) {
            log.accept(name + " closed (" + statusCode + " " + reason + "); reconnecting");
        }
        scheduleReconnect(ws);
        return null;
    }

    @Override
    public void onError(WebSocket ws, Throwable error) {
        if (!stopped) {
            log.accept(name + " failed: " + rootMessage(error) + "; reconnecting");
        }
        scheduleReconnect(ws);
    }

    private void safeTick() {
        try {
            tick();
        } catch (RuntimeException e) {
            log.accept(name + ": " + e.getMessage());
        }
    }

    private void ping() {
        WebSocket ws = socket;
        if (ws != null && !ws.isOutputClosed()) {
            ws.sendPing(ByteBuffer.allocate(0));
        }
    }

    static String rootMessage(Throwable t) {
        while (t.getCause() != null) {
            t = t.getCause();
        }
        return t.toString();
    }
}
