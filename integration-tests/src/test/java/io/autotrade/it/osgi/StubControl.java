package io.autotrade.it.osgi;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Instant;

/** The loopback Upbit's control API over HTTP, for tests inside the framework. */
final class StubControl {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final HttpClient http = HttpClient.newHttpClient();
    private final String base;

    /** @param base the control URL, {@code http://127.0.0.1:PORT/_stub} */
    StubControl(String base) {
        this.base = base;
    }

    /** @return the stub's state: orders, orderArrivals, refusedTokens, tooManyRequests, balances, ... */
    JsonNode state() throws IOException, InterruptedException {
        return JSON.readTree(send(HttpRequest.newBuilder(URI.create(base + "/state")).GET()));
    }

    /** Streams (and stores) a candle of KRW-BTC with this open time and close (all four prices). */
    void candle(Instant open, long close) throws IOException, InterruptedException {
        String body = "{\"market\":\"KRW-BTC\",\"time\":" + open.toEpochMilli() + ",\"open\":" + close + ",\"high\":" + close
                + ",\"low\":" + close + ",\"close\":" + close + ",\"volume\":2.5}";
        send(HttpRequest.newBuilder(URI.create(base + "/candle")).POST(HttpRequest.BodyPublishers.ofString(body)));
    }

    /** Runs a control operation, e.g. {@code fill-all} or {@code block?ms=3000}. */
    void post(String op) throws IOException, InterruptedException {
        send(HttpRequest.newBuilder(URI.create(base + "/" + op)).POST(HttpRequest.BodyPublishers.noBody()));
    }

    private String send(HttpRequest.Builder request) throws IOException, InterruptedException {
        HttpResponse<String> r = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200) {
            throw new AssertionError("the stub refused " + request.build().uri() + ": " + r.statusCode() + " " + r.body());
        }
        return r.body();
    }
}
