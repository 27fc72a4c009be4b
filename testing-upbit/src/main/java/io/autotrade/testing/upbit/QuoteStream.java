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
import org.java_websocket.drafts.Draft;
import org.java_websocket.exceptions.InvalidDataException;
import org.java_websocket.handshake.ServerHandshakeBuilder;
import org.java_websocket.framing.CloseFrame;
import org.java_websocket.handshake.ClientHandshake;
import org.java_websocket.server.WebSocketServer;

/**
 * The stub's quotation WebSocket ({@code /websocket/v1}, Upbit API docs "WebSocket"): a client sends a
 * request array ({@code [{"ticket"},{"type","codes"},...,{"format"}]}); the stub answers with a
 * snapshot per subscribed type and code (when it has one), then sends every message pushed for those
 * types and codes, each as a binary frame of UTF-8 JSON, as Upbit does. A text {@code PING} is answered
 * {@code {"status":"UP"}}. A malformed request is answered with Upbit's {@code WRONG_FORMAT} error.
 *
 * <p>On {@code /websocket/v1/private} it is the private stream (Upbit API reference, "내 주문 및 체결 (MyOrder)",
 * "내 자산 (MyAsset)"): the handshake must carry an {@code Authorization: Bearer} JWT that the REST API would
 * accept (Upbit API docs, "인증": without a query hash), else it is refused; the types are {@code myOrder}
 * ({@code codes} optional: none means every market) and {@code myAsset} (which refuses {@code codes} with
 * {@code WRONG_FORMAT}); no snapshot is sent, only what happens after the subscription.
 */
final class QuoteStream extends WebSocketServer {
    private final ObjectMapper json;
    private final Map<WebSocket, Set<String>> subscriptions = new ConcurrentHashMap<>();
    private final Function<String, List<ObjectNode>> snapshot;
    private final CountDownLatch started = new CountDownLatch(1);
    private final List<String> requests = new ArrayList<>();
    private volatile boolean silent;
    private final Function<String, String> authorize;
    private final Map<WebSocket, Set<String>> privates = new ConcurrentHashMap<>();
    private final List<String> refusedHandshakes = new ArrayList<>();
    private volatile boolean refusePrivate;

    /**
     * @param json     the stub's mapper
     * @param snapshot  for {@code type|code}, the messages a new subscription gets first
     * @param authorize for a private handshake's {@code Authorization} header: null when it is valid, else why not
     */
    QuoteStream(ObjectMapper json, Function<String, List<ObjectNode>> snapshot, Function<String, String> authorize) {
        super(new InetSocketAddress("127.0.0.1", 0));
        this.json = json;
        this.snapshot = snapshot;
        this.authorize = authorize;
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

    private static boolean isPrivate(ClientHandshake handshake) {
        return handshake.getResourceDescriptor().startsWith("/websocket/v1/private");
    }

    @Override
    public ServerHandshakeBuilder onWebsocketHandshakeReceivedAsServer(WebSocket conn, Draft draft, ClientHandshake request)
            throws InvalidDataException {
        if (isPrivate(request)) {
            String why = refusePrivate ? "the stub refuses private connections now" : authorize.apply(request.getFieldValue("Authorization"));
            if (why != null) {
                synchronized (refusedHandshakes) {
                    refusedHandshakes.add(why);
                }
                throw new InvalidDataException(CloseFrame.POLICY_VALIDATION, why);
            }
        }
        return super.onWebsocketHandshakeReceivedAsServer(conn, draft, request);
    }

    @Override
    public void onOpen(WebSocket conn, ClientHandshake handshake) {
        (isPrivate(handshake) ? privates : subscriptions).put(conn, ConcurrentHashMap.newKeySet());
    }

    @Override
    public void onClose(WebSocket conn, int code, String reason, boolean remote) {
        subscriptions.remove(conn);
        privates.remove(conn);
    }

    @Override
    public void onMessage(WebSocket conn, String message) {
        if (message.equals("PING")) {
            conn.send("{\"status\":\"UP\"}");
            return;
        }
        if (privates.containsKey(conn)) {
            subscribePrivate(conn, message);
            return;
        }
        Set<String> wanted = subscription(conn, message, (part, keys) -> {
            if (part.has("type")) {
                if (!part.path("codes").isArray() || part.path("codes").isEmpty()) {
                    throw new IllegalArgumentException("NO_CODES");
                }
                for (JsonNode code : part.get("codes")) {
                    keys.add(part.get("type").asText() + "|" + code.asText());
                }
            }
        });
        if (wanted == null) {
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

    /**
     * Reads a subscription request ({@code [{"ticket"},{"type",...},...,{"format"}]}), recording it; each part's
     * keys ({@code type|code}) come from {@code keysOf}, which throws {@code IllegalArgumentException(NAME)} to
     * refuse it with Upbit's error name.
     *
     * @return the keys wanted, or null when the request was refused (the client was told)
     */
    private Set<String> subscription(WebSocket conn, String message, java.util.function.BiConsumer<JsonNode, Set<String>> keysOf) {
        synchronized (requests) {
            requests.add(message);
        }
        Set<String> wanted = new HashSet<>();
        try {
            boolean ticket = false;
            for (JsonNode part : json.readTree(message)) {
                ticket |= part.has("ticket");
                keysOf.accept(part, wanted);
            }
            if (!ticket) {
                throw new IllegalArgumentException("NO_TICKET");
            }
        } catch (Exception e) {
            refuse(conn, e);
            return null;
        }
        return wanted;
    }

    private void subscribePrivate(WebSocket conn, String message) {
        Set<String> wanted = subscription(conn, message, (part, keys) -> {
            String type = part.path("type").asText("");
            if (type.equals("myAsset")) {
                if (part.has("codes")) {
                    throw new IllegalArgumentException("WRONG_FORMAT"); // myAsset takes no codes
                }
                keys.add("myAsset|*");
            } else if (type.equals("myOrder")) {
                if (part.path("codes").isEmpty()) {
                    keys.add("myOrder|*");
                }
                part.path("codes").forEach(code -> keys.add("myOrder|" + code.asText()));
            } else if (!type.isEmpty()) {
                throw new IllegalArgumentException("WRONG_FORMAT");
            }
        });
        if (wanted == null) {
            return;
        }
        Set<String> mine = privates.get(conn);
        if (mine != null) {
            mine.clear();
            mine.addAll(wanted);
        }
    }

    /** Answers a malformed subscription with Upbit's error ({@code WRONG_FORMAT}, {@code NO_TICKET}, ...). */
    private static void refuse(WebSocket conn, Exception e) {
        String name = e instanceof IllegalArgumentException ? e.getMessage() : "WRONG_FORMAT";
        conn.send(("{\"error\":{\"name\":\"" + name + "\",\"message\":\"" + name + "\"}}").getBytes(StandardCharsets.UTF_8));
    }

    /** Sends a private {@code myOrder} or {@code myAsset} message to every private connection subscribed to it. */
    void publishPrivate(ObjectNode message) {
        String type = message.path("type").asText();
        String code = message.path("code").asText("*");
        message.put("stream_type", "REALTIME");
        privates.forEach((conn, keys) -> {
            if (keys.contains(type + "|*") || keys.contains(type + "|" + code)) {
                send(conn, message);
            }
        });
    }

    /** Closes every private connection (a close frame, 1001), as a server dropping it would. */
    void dropPrivate() {
        drop(privates.keySet());
    }

    /**
     * Drops the connections: a close frame (1001, going away) the client sees at once. Not a bare TCP close
     * ({@code closeConnection}): called off the server's selector thread, NIO defers that close until the selector
     * next wakes, so a quiet connection could stay open for the client until its next ping.
     */
    private static void drop(Set<WebSocket> connections) {
        for (WebSocket conn : List.copyOf(connections)) {
            conn.close(CloseFrame.GOING_AWAY, "dropped by the stub");
        }
    }

    /** @param on whether private handshakes are refused (a client cannot reconnect while on) */
    void refusePrivate(boolean on) {
        refusePrivate = on;
    }

    /** @return open private connections that have subscribed to something */
    int privateConnections() {
        return (int) privates.values().stream().filter(keys -> !keys.isEmpty()).count();
    }

    /** @return why each refused private handshake was refused, in order */
    List<String> refusedHandshakes() {
        synchronized (refusedHandshakes) {
            return List.copyOf(refusedHandshakes);
        }
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

    /** Closes every connection (a close frame, 1001), as a server dropping it would. */
    void dropAll() {
        drop(subscriptions.keySet());
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
