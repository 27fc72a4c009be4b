package io.autotrade.core.internal;

import io.autotrade.api.event.Priority;
import java.util.EnumMap;
import java.util.Map;
import java.util.function.Consumer;
import org.osgi.service.event.Event;

/** Shared pieces of the bus tests: lane settings and handlers made from lambdas. */
final class TestBus {
    private TestBus() {
    }

    /** @return the same value for every lane */
    static Map<Priority, Integer> perLane(int value) {
        Map<Priority, Integer> map = new EnumMap<>(Priority.class);
        for (Priority p : Priority.values()) {
            map.put(p, value);
        }
        return map;
    }

    /** @return a subscription of one topic pattern, no filter, calling the body */
    static Subscription handler(String id, String topic, Consumer<Event> body) {
        return new Subscription(id, new String[] {topic}, null, () -> body::accept);
    }
}
