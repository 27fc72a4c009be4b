package io.autotrade.api.event;

import java.util.Objects;
import java.util.regex.Pattern;

/**
 * What kind of domain event a payload is: its type name, schema version, topic, default lane and
 * whether the event store keeps it.
 *
 * @param type            {@code entity.action} in the past tense, e.g. {@code order.filled}
 * @param version         the payload schema version, 1 or more
 * @param topic           the EventAdmin topic it is delivered on, see {@link Topics}
 * @param defaultPriority the lane it travels in unless the publisher says otherwise
 * @param durable         {@code true} if the event store appends it (every domain event except raw market data)
 * @param payloadClass    the record class carrying the payload
 */
public record EventKind(String type, int version, String topic, Priority defaultPriority, boolean durable,
        Class<? extends EventPayload> payloadClass) {

    private static final Pattern TYPE = Pattern.compile("[a-z][a-z_]*\\.[a-z][a-z_]*");

    /**
     * @throws IllegalArgumentException if the type is not {@code entity.action}, the version is below 1
     *                                  or the topic is not an autotrade topic
     * @throws NullPointerException     if any reference is null
     */
    public EventKind {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(topic, "topic");
        Objects.requireNonNull(defaultPriority, "defaultPriority");
        Objects.requireNonNull(payloadClass, "payloadClass");
        if (!TYPE.matcher(type).matches()) {
            throw new IllegalArgumentException("event type must look like entity.action, was '" + type + "'");
        }
        if (version < 1) {
            throw new IllegalArgumentException("event version must be >= 1, was " + version);
        }
        if (!topic.startsWith(Topics.PREFIX)) {
            throw new IllegalArgumentException("topic must start with " + Topics.PREFIX + ", was " + topic);
        }
    }
}
