package io.autotrade.core.internal;

import io.autotrade.api.event.DomainEvent;
import io.autotrade.api.event.Priority;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Topic-to-lane mapping. Entries are {@code pattern=LANE}, where a pattern is an EventAdmin topic
 * ({@code autotrade/order/FILLED}), a prefix wildcard ({@code autotrade/order/*}) or {@code *}, and
 * LANE is a {@link Priority} name or rank 1..5. The most specific pattern wins: an exact topic, then
 * the longest prefix, then {@code *}; a topic no pattern matches goes to its event kind's default lane.
 *
 * <p>An event whose {@link DomainEvent#priority()} differs from its kind's default was given that
 * lane by its publisher, and travels in it whatever the routes say.
 */
final class Routes {
    /** The defaults: trading path critical, risk and system high, config medium, log low, cleanup lowest. */
    static final String[] DEFAULTS = {
        "autotrade/candle/*=CRITICAL_TRADING",
        "autotrade/market/*=CRITICAL_TRADING",
        "autotrade/signal/*=CRITICAL_TRADING",
        "autotrade/order/*=CRITICAL_TRADING",
        "autotrade/position/*=CRITICAL_TRADING",
        "autotrade/protection/*=CRITICAL_TRADING",
        "autotrade/risk/*=HIGH_SAFETY",
        "autotrade/trading/*=HIGH_SAFETY",
        "autotrade/system/*=HIGH_SAFETY",
        "autotrade/config/*=MEDIUM_CONFIG",
        "autotrade/db/*=MEDIUM_CONFIG",
        "autotrade/log/*=LOW_LOGGING",
        "autotrade/cleanup/*=LOWEST_CLEANUP",
    };

    private final Map<String, Priority> exact = new LinkedHashMap<>();
    private final Map<String, Priority> prefixes = new LinkedHashMap<>();
    private final Priority any;
    private final ConcurrentHashMap<String, Priority> cache = new ConcurrentHashMap<>();

    /**
     * @param entries {@code pattern=LANE} lines
     * @throws IllegalArgumentException naming the entry that is malformed or names no lane
     */
    Routes(String[] entries) {
        Priority star = null;
        for (String entry : entries) {
            int eq = entry.lastIndexOf('=');
            if (eq <= 0 || eq == entry.length() - 1) {
                throw new IllegalArgumentException("lane route '" + entry + "' must look like topic-pattern=LANE");
            }
            String pattern = entry.substring(0, eq).trim();
            Priority lane = lane(entry, entry.substring(eq + 1).trim());
            if (pattern.equals("*")) {
                star = lane;
            } else if (pattern.endsWith("/*")) {
                prefixes.put(pattern.substring(0, pattern.length() - 1), lane);
            } else if (pattern.contains("*")) {
                throw new IllegalArgumentException("lane route '" + entry
                        + "': a wildcard is allowed only as the last segment (a/b/*) or alone (*)");
            } else {
                exact.put(pattern, lane);
            }
        }
        this.any = star;
    }

    private static Priority lane(String entry, String name) {
        try {
            return name.chars().allMatch(Character::isDigit) ? Priority.ofRank(Integer.parseInt(name))
                    : Priority.valueOf(name.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("lane route '" + entry + "' names no lane: use one of "
                    + java.util.Arrays.toString(Priority.values()) + " or 1..5", e);
        }
    }

    /**
     * @param event an event
     * @return the lane it travels in
     */
    Priority laneOf(DomainEvent<?> event) {
        Priority own = event.priority();
        Priority kindDefault = event.kind().defaultPriority();
        if (own != kindDefault) {
            return own;
        }
        Priority routed = cache.computeIfAbsent(event.topic(), this::route); // null (not cached) when unrouted
        return routed != null ? routed : kindDefault;
    }

    private Priority route(String topic) {
        Priority lane = exact.get(topic);
        if (lane != null) {
            return lane;
        }
        int best = -1;
        for (Map.Entry<String, Priority> e : prefixes.entrySet()) {
            if (topic.startsWith(e.getKey()) && e.getKey().length() > best) {
                best = e.getKey().length();
                lane = e.getValue();
            }
        }
        return lane != null ? lane : any;
    }
}
