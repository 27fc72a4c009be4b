package io.autotrade.core.internal;

import io.autotrade.api.event.DomainEvent;
import io.autotrade.api.event.EventProperties;
import io.autotrade.api.trading.MarketScoped;
import io.autotrade.api.trading.StrategyScoped;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * The properties of an OSGi event sent by the bus (see {@link EventProperties} for the names), read
 * straight from the domain event: {@code get} computes one value and copies nothing; the whole map
 * is built only when somebody iterates it. Immutable, like every {@code EventProperties}
 * (OSGi Compendium 113.3.1).
 */
final class DomainEventProperties extends org.osgi.service.event.EventProperties {
    private final DomainEvent<?> event;
    private volatile Map<String, Object> all;

    DomainEventProperties(DomainEvent<?> event) {
        super(Map.of());
        this.event = event;
    }

    @Override
    public Object get(Object key) {
        if (!(key instanceof String name)) {
            return null;
        }
        return switch (name) {
            case EventProperties.EVENT -> event;
            case EventProperties.EVENT_ID -> event.eventId().toString();
            case EventProperties.EVENT_TYPE -> event.type();
            case EventProperties.EVENT_VERSION -> event.version();
            case EventProperties.OCCURRED_AT -> event.occurredAt().toEpochMilli();
            case EventProperties.AGGREGATE_ID -> event.aggregateId();
            case EventProperties.CORRELATION_ID -> event.correlationId().toString();
            case EventProperties.CAUSATION_ID -> event.causationId().toString();
            case EventProperties.PRIORITY -> event.priority().rank();
            case EventProperties.DURABLE -> event.kind().durable();
            case EventProperties.MARKET -> event.payload() instanceof MarketScoped m ? m.market().code() : null;
            case EventProperties.STRATEGY_ID -> event.payload() instanceof StrategyScoped s ? s.strategyId() : null;
            default -> null;
        };
    }

    private static final String[] NAMES = {EventProperties.EVENT, EventProperties.EVENT_ID, EventProperties.EVENT_TYPE,
        EventProperties.EVENT_VERSION, EventProperties.OCCURRED_AT, EventProperties.AGGREGATE_ID,
        EventProperties.CORRELATION_ID, EventProperties.CAUSATION_ID, EventProperties.PRIORITY,
        EventProperties.DURABLE, EventProperties.MARKET, EventProperties.STRATEGY_ID};

    private Map<String, Object> all() {
        Map<String, Object> map = all;
        if (map == null) {
            Map<String, Object> built = new LinkedHashMap<>();
            for (String name : NAMES) {
                Object value = get(name);
                if (value != null) {
                    built.put(name, value);
                }
            }
            map = java.util.Collections.unmodifiableMap(built);
            all = map;
        }
        return map;
    }

    @Override
    public boolean containsKey(Object key) {
        return get(key) != null;
    }

    @Override
    public boolean containsValue(Object value) {
        return all().containsValue(value);
    }

    @Override
    public Set<Map.Entry<String, Object>> entrySet() {
        return all().entrySet();
    }

    @Override
    public Set<String> keySet() {
        return all().keySet();
    }

    @Override
    public Collection<Object> values() {
        return all().values();
    }

    @Override
    public int size() {
        return all().size();
    }

    @Override
    public boolean isEmpty() {
        return false;
    }

    @Override
    public boolean equals(Object other) {
        return other == this || other instanceof Map<?, ?> m && all().equals(m);
    }

    @Override
    public int hashCode() {
        return all().hashCode();
    }

    @Override
    public String toString() {
        return all().toString();
    }
}
