package io.autotrade.core.internal;

import io.autotrade.api.event.DomainEvent;
import io.autotrade.api.event.EventProperties;
import io.autotrade.api.trading.MarketScoped;
import io.autotrade.api.trading.StrategyScoped;
import java.util.HashMap;
import java.util.Map;
import org.osgi.service.event.Event;

/** Turns a domain event into the OSGi event that EventAdmin delivers. */
final class OsgiEvents {
    private OsgiEvents() {
    }

    static Event toOsgi(DomainEvent<?> event) {
        Map<String, Object> props = new HashMap<>(16);
        props.put(EventProperties.EVENT, event);
        props.put(EventProperties.EVENT_ID, event.eventId().toString());
        props.put(EventProperties.EVENT_TYPE, event.type());
        props.put(EventProperties.EVENT_VERSION, event.version());
        props.put(EventProperties.OCCURRED_AT, event.occurredAt().toEpochMilli());
        props.put(EventProperties.AGGREGATE_ID, event.aggregateId());
        props.put(EventProperties.CORRELATION_ID, event.correlationId().toString());
        props.put(EventProperties.CAUSATION_ID, event.causationId().toString());
        props.put(EventProperties.PRIORITY, event.priority().rank());
        props.put(EventProperties.DURABLE, event.kind().durable());
        if (event.payload() instanceof MarketScoped scoped) {
            props.put(EventProperties.MARKET, scoped.market().code());
        }
        if (event.payload() instanceof StrategyScoped scoped) {
            props.put(EventProperties.STRATEGY_ID, scoped.strategyId());
        }
        return new Event(event.topic(), props);
    }
}
