package io.autotrade.exchange.upbit.internal;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The parameters of one Upbit request, in order. Upbit signs the parameters as a query string that
 * is <em>not</em> percent-encoded ({@code market=KRW-BTC&states[]=wait&states[]=watch}), whether they
 * travel in the URL (GET, DELETE) or in a JSON body (POST); the URL carries them percent-encoded
 * (Upbit API docs, "Authentication": {@code query_hash}).
 */
final class Query {
    private final List<Map.Entry<String, String>> params = new ArrayList<>();

    /** @return {@code this} with {@code key=value} added; a null value is left out */
    Query add(String key, Object value) {
        if (value != null) {
            params.add(Map.entry(key, value.toString()));
        }
        return this;
    }

    /** @return {@code this} with {@code key[]=v} added for each value (Upbit's array parameters) */
    Query addAll(String key, List<String> values) {
        values.forEach(v -> params.add(Map.entry(key + "[]", v)));
        return this;
    }

    boolean isEmpty() {
        return params.isEmpty();
    }

    /** @return the parameters as a map in order, for a JSON body (no array parameters there) */
    Map<String, String> asMap() {
        Map<String, String> out = new java.util.LinkedHashMap<>();
        params.forEach(e -> out.put(e.getKey(), e.getValue()));
        return out;
    }

    /** @return the string Upbit hashes: {@code k=v&k=v}, not percent-encoded */
    String signed() {
        return params.stream().map(e -> e.getKey() + "=" + e.getValue()).collect(Collectors.joining("&"));
    }

    /** @return the URL query: {@code k=v&k=v}, percent-encoded (UTF-8) */
    String encoded() {
        return params.stream().map(e -> URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8) + "="
                + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8)).collect(Collectors.joining("&"));
    }
}
