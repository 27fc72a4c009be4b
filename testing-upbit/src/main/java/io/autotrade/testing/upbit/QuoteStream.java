package io.autotrade.testing.upbit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.java_websocket.WebSocket;
import org.java_websocket.framing.CloseFrame;
import org.java_websocket.handshake.ClientHandshake;
import org.java_websocket.server.WebSocketServer;

/**
 * The stub's quotation WebSocket ({@code /websocket/v1}, Upbit API docs "WebSocket"): a client sends a
 * request array ({@code [{"ticket"},{"type","codes"},...,{"format"}]}); the stub answers with a
 * snapshot per subscribed type and code (when it has one), then sends every message pushed for those
 * types and codes, each as a binary frame of UTF-8 JSON, as Upbit does. A text {@code PING} is answered
 * {@code {"status":"UP"}}. A malformed request is answered with Upbit's {@code WRONG_FORMAT} error.
 */
final class QuoteStream extends WebSocketServer {
    private final ObjectMapper json;
    private final Map<WebSocket, Set<String>> subscriptions = new ConcurrentHashMap<>();
    private final Function<String, List<ObjectNode>> snapshot;
    private final CountDownLatch started = new CountDownLatch(1);
    private final List<String> requests = new ArrayList<>();
    private volatile boolean silent;

    /**
     * @param json     the stub's mapper
     * @param snapshot for {@code type|code}, the messages a new subscription gets first
     */
    QuoteStream(ObjectMapper json, Function<String, List<ObjectNode>> snapshot) {
        super(new InetSocketAddress("127.0.0.1", 0));
        this.json = json;
        this.snapshot = snapshot;
        setReuseAddr(true);
        setConnectionLostTimeout(0);
    }

    void startAndWait() {
        start();
        try {
            if (!started.await(10, TimeUnit.SECONDS)) {
                throw new IllegalStateException("the stub's WebSocket server did not start");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void onStart() {
        started.countDown();
    }

    @Override
    public void onOpen(WebSocket conn, ClientHandshake handshake) {
        subscriptions.put(conn, ConcurrentHashMap.newKeySet());
    }

    @Override
    public void onClose(WebSocket conn, int code, String reason, boolean remote) {
        subscriptions.remove(conn);
    }

    @Override
    public void onMessage(WebSocket conn, String message) {
        if (message.equals("PING")) {
            conn.send("{\"status\":\"UP\"}");
            return;
        }
        synchronized (requests) {
            requests.add(message);
        }
        Set<String> wanted = new HashSet<>();
        try {
            JsonNode request = json.readTree(message);
            boolean ticket = false;
            for (JsonNode part : request) {
                ticket |= part.has("ticket");
                if (part.has("type")) {
                    if (!part.path("codes").isArray() || part.path("codes").isEmpty()) {
                        throw new IllegalArgumentException("NO_CODES");
                    }
                    for (JsonNode code : part.get("codes")) {
                        wanted.add(part.get("type").asText() + "|" + code.asText());
                    }
                }
            }
            if (!ticket) {
                throw new IllegalArgumentException("NO_TICKET");
            }
        } catch (Exception e) {
            String name = e instanceof IllegalArgumentException ? e.getMessage() : "WRONG_FORMAT";
            conn.send(("{\"error\":{\"name\":\"" + name + "\",\"message\":\"" + name + "\"}}").getBytes(StandardCharsets.UTF_8));
            return;
        }
        Set<String> mine = subscriptions.get(conn);
        if (mine == null) {
            return;
        }
        mine.clear(); // a new request replaces the connection's subscriptions, as on Upbit
        mine.addAll(wanted);
        for (String key : wanted) {
            for (ObjectNode m : snapshot.apply(key)) {
                send(conn, m.put("stream_type", "SNAPSHOT"));
            }
        }
    }

    @Override
    public void onMessage(WebSocket conn, ByteBuffer message) {
        onMessage(conn, StandardCharsets.UTF_8.decode(message).toString());
    }

    @Override
    public void onError(WebSocket conn, Exception ex) {
        // a client that went away; nothing to keep
    }

    /** Sends {@code message} (with {@code type} and {@code code}) to every connection subscribed to both. */
    void publish(ObjectNode message) {
        if (silent) {
            return;
        }
        String key = message.path("type").asText() + "|" + message.path("code").asText();
        message.put("stream_type", "REALTIME");
        subscriptions.forEach((conn, keys) -> {
            if (keys.contains(key)) {
                send(conn, message);
            }
        });
    }

    private static void send(WebSocket conn, ObjectNode message) {
        if (conn.isOpen()) {
            conn.send(message.toString().getBytes(StandardCharsets.UTF_8));
        }
    }

    /** Closes every connection abnormally (code 1006 seen by the client), as a network failure would. */
    void dropAll() {
        for (WebSocket conn : List.copyOf(subscriptions.keySet())) {
            conn.closeConnection(CloseFrame.ABNORMAL_CLOSE, "dropped by the stub");
        }
    }

    /** @param on whether the stream stays connected but sends nothing (a stale feed) */
    void silent(boolean on) {
        silent = on;
    }

    int connections() {
        return subscriptions.size();
    }

    /** @return every subscription request received, in order */
    List<String> requests() {
        synchronized (requests) {
            return List.copyOf(requests);
        }
    }

    int port() {
        return getPort();
    }
}
