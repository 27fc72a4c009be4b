package io.autotrade.core.internal;

import java.util.Arrays;
import java.util.Objects;
import java.util.function.Supplier;
import org.osgi.framework.Filter;
import org.osgi.service.event.Event;
import org.osgi.service.event.EventHandler;

/**
 * One whiteboard {@code EventHandler} as the bus sees it: a stable id, the topics it subscribed to
 * ({@code event.topics}), its optional {@code event.filter} (OSGi Compendium 113.4) and the handler,
 * obtained from the service registry on first delivery.
 */
final class Subscription {
    private final String id;
    private final String[] topics;
    private final Filter filter;
    private final Supplier<EventHandler> lookup;
    private volatile EventHandler handler;

    /**
     * @param id     stable handler id, used in dead letters and logs
     * @param topics topic patterns: a topic, a prefix ending in {@code /*}, or {@code *}
     * @param filter event filter, or null
     * @param lookup gets the handler the first time it is needed
     */
    Subscription(String id, String[] topics, Filter filter, Supplier<EventHandler> lookup) {
        this.id = Objects.requireNonNull(id, "id");
        this.topics = topics.clone();
        this.filter = filter;
        this.lookup = lookup;
    }

    String id() {
        return id;
    }

    /** @return the subscription in the form the journal keeps, to deliver to this handler while it is away */
    io.autotrade.api.event.EventJournal.DurableSubscription durable() {
        return new io.autotrade.api.event.EventJournal.DurableSubscription(id, java.util.List.of(topics),
                filter == null ? null : filter.toString());
    }

    /** @return {@code true} if one of the topic patterns matches the topic (exact, prefix wildcard or *) */
    boolean subscribes(String topic) {
        for (String pattern : topics) {
            if (matches(pattern, topic)) {
                return true;
            }
        }
        return false;
    }

    /** @return {@code true} if the subscription can match any topic that starts with the prefix */
    boolean reaches(String prefix) {
        for (String pattern : topics) {
            if (pattern.equals("*") || pattern.startsWith(prefix)
                    || pattern.endsWith("/*") && prefix.startsWith(pattern.substring(0, pattern.length() - 1))) {
                return true;
            }
        }
        return false;
    }

    static boolean matches(String pattern, String topic) {
        if (pattern.equals("*") || pattern.equals(topic)) {
            return true;
        }
        return pattern.endsWith("/*") && topic.length() > pattern.length() - 1
                && topic.startsWith(pattern.substring(0, pattern.length() - 1));
    }

    /** @return {@code true} if there is no filter or the event's properties match it */
    boolean accepts(Event event) {
        return filter == null || event.matches(filter);
    }

    /**
     * @return the handler, looked up once
     * @throws IllegalStateException if the service is gone
     */
    EventHandler handler() {
        EventHandler h = handler;
        if (h == null) {
            h = lookup.get();
            if (h == null) {
                throw new IllegalStateException("event handler " + id + " is no longer registered");
            }
            handler = h;
        }
        return h;
    }

    @Override
    public String toString() {
        return id + Arrays.toString(topics) + (filter == null ? "" : " " + filter);
    }
}
