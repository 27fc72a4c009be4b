package io.autotrade.core.internal;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The registry of subscriptions the bus delivers to. Reads are lock-free: each change publishes a
 * new immutable snapshot with its own topic cache, so a lookup never mixes two generations.
 */
final class Handlers {
    private static final Subscription[] NONE = {};

    private record Snapshot(Subscription[] all, Map<String, Subscription> byId,
            ConcurrentHashMap<String, Subscription[]> byTopic) {
        Snapshot(Subscription[] all) {
            this(all, index(all), new ConcurrentHashMap<>());
        }

        private static Map<String, Subscription> index(Subscription[] all) {
            Map<String, Subscription> byId = new HashMap<>();
            for (Subscription s : all) {
                byId.putIfAbsent(s.id(), s);
            }
            return byId;
        }
    }

    private volatile Snapshot snapshot = new Snapshot(NONE);

    synchronized void add(Subscription subscription) {
        Subscription[] all = Arrays.copyOf(snapshot.all, snapshot.all.length + 1);
        all[all.length - 1] = subscription;
        snapshot = new Snapshot(all);
    }

    synchronized void remove(Subscription subscription) {
        List<Subscription> left = new ArrayList<>(Arrays.asList(snapshot.all));
        if (left.remove(subscription)) {
            snapshot = new Snapshot(left.toArray(NONE));
        }
    }

    /**
     * @param topic an event topic
     * @return the subscriptions whose topics match, in registration order (filters not yet applied)
     */
    Subscription[] forTopic(String topic) {
        Snapshot s = snapshot;
        Subscription[] hit = s.byTopic.get(topic);
        if (hit == null) {
            hit = Arrays.stream(s.all).filter(sub -> sub.subscribes(topic)).toArray(Subscription[]::new);
            s.byTopic.put(topic, hit);
        }
        return hit;
    }

    /** @return {@code true} if the subscription is registered now */
    boolean contains(Subscription subscription) {
        for (Subscription s : snapshot.all) {
            if (s == subscription) {
                return true;
            }
        }
        return false;
    }

    /** @return the registered subscription with that id (the first, if two share it), or null */
    Subscription byId(String id) {
        return snapshot.byId.get(id);
    }

    /** @return {@code true} if a subscription with that id is registered now */
    boolean has(String id) {
        return snapshot.byId.containsKey(id);
    }
}
