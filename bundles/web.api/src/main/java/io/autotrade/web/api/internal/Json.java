package io.autotrade.web.api.internal;

import com.fasterxml.jackson.annotation.JsonAutoDetect.Visibility;
import com.fasterxml.jackson.annotation.JsonFormat;
import com.fasterxml.jackson.annotation.PropertyAccessor;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.InputStream;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The API's JSON: objects with their fields in order, money and volumes ({@link BigDecimal}) as exact decimal
 * strings (a JavaScript number would round them), times as ISO-8601 UTC. Event payloads are written as the
 * event store keeps them (record components by name), with the same decimal strings.
 */
final class Json {
    static final ObjectMapper MAPPER = JsonMapper.builder()
            .addModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .disable(SerializationFeature.WRITE_DURATIONS_AS_TIMESTAMPS)
            .disable(SerializationFeature.FAIL_ON_EMPTY_BEANS)
            .visibility(PropertyAccessor.IS_GETTER, Visibility.NONE)
            .visibility(PropertyAccessor.GETTER, Visibility.NONE)
            .visibility(PropertyAccessor.FIELD, Visibility.ANY)
            .withConfigOverride(BigDecimal.class, o -> o.setFormat(JsonFormat.Value.forShape(JsonFormat.Shape.STRING)))
            .enable(com.fasterxml.jackson.core.StreamWriteFeature.WRITE_BIGDECIMAL_AS_PLAIN)
            .build();
    /** Largest request body read, bytes. */
    static final int MAX_BODY = 64 * 1024;

    private Json() {
    }

    /** @return an insertion-ordered map built from key, value pairs */
    static Map<String, Object> object(Object... keyValues) {
        Map<String, Object> map = new LinkedHashMap<>();
        for (int i = 0; i < keyValues.length; i += 2) {
            map.put((String) keyValues[i], keyValues[i + 1]);
        }
        return map;
    }

    /** @return the value as JSON text */
    static String text(Object value) {
        try {
            return MAPPER.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write JSON: " + e.getOriginalMessage(), e);
        }
    }

    /** Writes a JSON reply with the status. */
    static void write(HttpServletResponse response, int status, Object body) throws IOException {
        byte[] bytes = text(body).getBytes(StandardCharsets.UTF_8);
        response.setStatus(status);
        response.setContentType("application/json");
        response.setCharacterEncoding("UTF-8");
        response.setHeader("Cache-Control", "no-store");
        response.setContentLength(bytes.length);
        response.getOutputStream().write(bytes);
    }

    /** Writes {@code {"error": error, "message": message}} with the status. */
    static void error(HttpServletResponse response, int status, String error, String message) throws IOException {
        write(response, status, object("error", error, "message", message));
    }

    /**
     * @return the request body as a JSON object (empty when there is no body)
     * @throws ApiException 400 when the body is not a JSON object, or larger than {@value #MAX_BODY} bytes
     */
    @SuppressWarnings("unchecked")
    static Map<String, Object> body(HttpServletRequest request) throws IOException {
        byte[] bytes;
        try (InputStream in = request.getInputStream()) {
            bytes = in.readNBytes(MAX_BODY + 1);
        }
        if (bytes.length > MAX_BODY) {
            throw ApiException.badRequest("request body is larger than " + MAX_BODY + " bytes");
        }
        if (new String(bytes, StandardCharsets.UTF_8).isBlank()) {
            return Map.of();
        }
        Object value;
        try {
            value = MAPPER.readValue(bytes, Object.class);
        } catch (IOException e) {
            throw ApiException.badRequest("request body is not JSON: " + (e instanceof JsonProcessingException j
                    ? j.getOriginalMessage() : e.getMessage()));
        }
        if (!(value instanceof Map<?, ?> map)) {
            throw ApiException.badRequest("request body must be a JSON object");
        }
        return (Map<String, Object>) map;
    }

    /**
     * @return the named field as text, or {@code fallback} when absent
     * @throws ApiException 400 naming the field when it is not a string
     */
    static String string(Map<String, Object> body, String field, String fallback) {
        Object value = body.get(field);
        if (value == null) {
            return fallback;
        }
        if (!(value instanceof String s)) {
            throw ApiException.badRequest("field '" + field + "' must be a string");
        }
        return s;
    }

    /**
     * @return the named field as a boolean, false when absent
     * @throws ApiException 400 naming the field when it is not a boolean
     */
    static boolean flag(Map<String, Object> body, String field) {
        Object value = body.get(field);
        if (value == null) {
            return false;
        }
        if (!(value instanceof Boolean b)) {
            throw ApiException.badRequest("field '" + field + "' must be true or false");
        }
        return b;
    }
}
