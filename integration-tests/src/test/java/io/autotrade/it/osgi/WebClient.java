package io.autotrade.it.osgi;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import org.osgi.framework.BundleContext;

/** A client of the runtime's REST API, as a program outside it would call it: HTTP on loopback with the token. */
final class WebClient {
    static final ObjectMapper JSON = new ObjectMapper();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    final String base;
    final String token;

    /** A reply: status and body. */
    record Reply(int status, String body) {
        JsonNode json() {
            try {
                return JSON.readTree(body);
            } catch (IOException e) {
                throw new AssertionError("not JSON (" + status + "): " + body, e);
            }
        }
    }

    WebClient(BundleContext context) throws IOException {
        this.base = "http://127.0.0.1:" + context.getProperty("org.osgi.service.http.port");
        this.token = Files.readString(Paths.get(context.getProperty("autotrade.data.dir")).resolve("http.token")).strip();
    }

    Reply get(String path) throws Exception {
        return send(request(path, token).GET().build());
    }

    Reply get(String path, String withToken) throws Exception {
        return send(request(path, withToken).GET().build());
    }

    Reply post(String path, String body) throws Exception {
        return send(request(path, token).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build());
    }

    Reply put(String path, String body) throws Exception {
        return send(request(path, token).header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString(body)).build());
    }

    private HttpRequest.Builder request(String path, String withToken) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(30));
        return withToken == null ? b : b.header("Authorization", "Bearer " + withToken);
    }

    private Reply send(HttpRequest request) throws Exception {
        HttpResponse<String> r = http.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        return new Reply(r.statusCode(), r.body());
    }

    /**
     * Opens {@code /api/v1/stream} and reads events until {@code enough} says so, then drops the connection.
     *
     * @param lastEventId the Last-Event-ID to resume after, or null
     * @param enough      told the events so far after each one
     * @return the events read, in order
     */
    List<JsonNode> stream(String lastEventId, Predicate<List<JsonNode>> enough) throws Exception {
        HttpRequest.Builder b = request("/api/v1/stream", token).GET();
        if (lastEventId != null) {
            b.header("Last-Event-ID", lastEventId);
        }
        HttpResponse<java.io.InputStream> r = http.send(b.build(), HttpResponse.BodyHandlers.ofInputStream());
        if (r.statusCode() != 200) {
            throw new AssertionError("stream answered " + r.statusCode());
        }
        List<JsonNode> events = new ArrayList<>();
        try (BufferedReader in = new BufferedReader(new InputStreamReader(r.body(), StandardCharsets.UTF_8))) {
            String id = null;
            String line;
            while (!enough.test(events) && (line = in.readLine()) != null) {
                if (line.startsWith("id: ")) {
                    id = line.substring(4);
                } else if (line.startsWith("data: ")) {
                    JsonNode event = JSON.readTree(line.substring(6));
                    if (!event.get("event_id").asText().equals(id)) {
                        throw new AssertionError("the SSE id " + id + " is not the event's id " + event.get("event_id"));
                    }
                    events.add(event);
                }
            }
        }
        return events;
    }
}
