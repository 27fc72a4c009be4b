package io.autotrade.store.sqlite.internal;

import com.fasterxml.jackson.annotation.JsonAutoDetect.Visibility;
import com.fasterxml.jackson.annotation.PropertyAccessor;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import io.autotrade.api.event.EventKind;
import io.autotrade.api.event.EventPayload;
import io.autotrade.api.event.EventStoreException;

/**
 * Payloads as JSON: records by their components, BigDecimal as exact plain numbers, times as ISO-8601.
 * Decoding is strict: an unknown or missing field is an error naming the type, never a silent default.
 */
final class PayloadCodec {
    private final ObjectMapper mapper = JsonMapper.builder()
            .addModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .disable(SerializationFeature.WRITE_DURATIONS_AS_TIMESTAMPS)
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .enable(com.fasterxml.jackson.core.JsonGenerator.Feature.WRITE_BIGDECIMAL_AS_PLAIN)
            .visibility(PropertyAccessor.IS_GETTER, Visibility.NONE)
            .visibility(PropertyAccessor.GETTER, Visibility.NONE)
            .visibility(PropertyAccessor.FIELD, Visibility.ANY)
            .build();

    String encode(EventPayload payload) {
        try {
            return mapper.writeValueAsString(payload);
        } catch (JsonProcessingException e) {
            throw new EventStoreException("cannot encode " + payload.kind().type() + " payload: " + e.getOriginalMessage(), e);
        }
    }

    /** One reader per payload type: Jackson's faster path than a lookup by type at every call (recovery decodes many). */
    private final java.util.Map<Class<?>, com.fasterxml.jackson.databind.ObjectReader> readers = new java.util.concurrent.ConcurrentHashMap<>();

    EventPayload decode(EventKind kind, String json) {
        try {
            return readers.computeIfAbsent(kind.payloadClass(), mapper::readerFor).readValue(json);
        } catch (JsonProcessingException | IllegalArgumentException e) {
            String why = e instanceof JsonProcessingException j ? j.getOriginalMessage() : e.getMessage();
            throw new EventStoreException("stored " + kind.type() + " payload cannot be decoded: " + why, e);
        }
    }
}
