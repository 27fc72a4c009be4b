package io.autotrade.shell.internal;

import io.autotrade.api.event.DeadLetter;
import io.autotrade.api.event.EventBusAdmin;
import io.autotrade.api.event.EventBusAdmin.ReplayOutcome;
import io.autotrade.api.event.LaneStatistics;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.apache.felix.service.command.Descriptor;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/** Gogo commands {@code trade:bus} and {@code trade:dlq}: the event bus's lanes and its dead-letter queue. */
@Component(service = BusCommands.class, property = {"osgi.command.scope=trade", "osgi.command.function=bus",
        "osgi.command.function=dlq"})
public class BusCommands {
    private final EventBusAdmin bus;

    /** @param bus lane statistics and dead letters */
    @Activate
    public BusCommands(@Reference EventBusAdmin bus) {
        this.bus = bus;
    }

    /**
     * @param args nothing for the lane table, or {@code forget HANDLER_ID}
     * @return the lane table, or how many pending deliveries were dropped
     */
    @Descriptor("show each lane of the event bus (workers, queue depth and high-water mark, counters, delivery latency);"
            + " 'bus forget HANDLER_ID' stops keeping deliveries for a handler that will not come back")
    public String bus(@Descriptor("forget HANDLER_ID (optional)") String... args) {
        if (args.length == 0) {
            return laneTable(bus.statistics());
        }
        if (args.length == 2 && args[0].equals("forget")) {
            return "forgot " + args[1] + ": " + bus.forget(args[1]) + " pending deliveries dropped";
        }
        throw new IllegalArgumentException("usage: bus [forget HANDLER_ID]");
    }

    static String laneTable(List<LaneStatistics> lanes) {
        Table t = new Table("lane", "workers", "depth", "high water", "capacity", "published", "delivered", "retried",
                "dead-lettered", "rejected", "slow calls", "p50 latency", "p99 latency");
        for (LaneStatistics s : lanes) {
            t.row(s.lane(), s.workers(), s.depth(), s.highWaterMark(), s.capacity(), s.published(), s.delivered(),
                    s.retried(), s.deadLettered(), s.rejected(), s.slowCalls(), micros(s.latencyP50Nanos()),
                    micros(s.latencyP99Nanos()));
        }
        return t.toString();
    }

    private static String micros(long nanos) {
        return String.format(Locale.ROOT, "%.1f us", nanos / 1_000.0);
    }

    /**
     * @param action {@code list}, {@code replay} or {@code discard}
     * @param target a letter id or {@code all} (for replay and discard)
     * @return the letters, or what each replay/discard did
     * @throws InterruptedException if interrupted while a replay runs
     */
    @Descriptor("dead letters: 'dlq list', 'dlq replay <id|all>' (oldest first, each handler at most once per event),"
            + " 'dlq discard <id|all>'")
    public String dlq(@Descriptor("list | replay | discard") String action,
            @Descriptor("a letter id, or all") String... target) throws InterruptedException {
        return switch (action) {
            case "list" -> letters(bus.deadLetters());
            case "replay", "discard" -> {
                if (target.length != 1) {
                    throw new IllegalArgumentException("usage: dlq " + action + " <id|all>");
                }
                List<Long> ids = ids(target[0]);
                Table t = new Table("id", action.equals("replay") ? "outcome" : "discarded");
                for (long id : ids) {
                    if (action.equals("replay")) {
                        ReplayOutcome outcome = bus.replay(id);
                        t.row(id, outcome);
                    } else {
                        t.row(id, bus.discard(id) ? "yes" : "no such letter");
                    }
                }
                yield t.isEmpty() ? "no dead letters" : t.toString();
            }
            default -> throw new IllegalArgumentException("unknown dlq action '" + action
                    + "': use list, replay <id|all> or discard <id|all>");
        };
    }

    private List<Long> ids(String target) {
        if (target.equals("all")) {
            List<Long> all = new ArrayList<>();
            bus.deadLetters().forEach(l -> all.add(l.id()));
            return all;
        }
        try {
            return List.of(Long.parseLong(target));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("dead letter id must be a number or 'all', was '" + target + "'");
        }
    }

    static String letters(List<DeadLetter> letters) {
        Table t = new Table("id", "dead-lettered (UTC)", "lane", "handler", "event", "event id", "aggregate", "attempts",
                "last error");
        for (DeadLetter l : letters) {
            t.row(l.id(), l.deadLetteredAt(), l.lane(), l.handlerId(), l.event().type(), l.event().eventId(),
                    l.event().aggregateId(), l.attempts(), l.lastError());
        }
        return t.isEmpty() ? "no dead letters" : t.toString();
    }
}
