package io.autotrade.testing;

import io.autotrade.api.event.DomainEvent;
import io.autotrade.api.event.EventJournal;
import io.autotrade.api.event.EventStoreException;
import io.autotrade.api.event.UnreadableEventException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.Consumer;

/**
 * A write-ahead journal in memory for unit tests, with the same contract as the SQLite one: events
 * appended once per id, pending deliveries per handler, a processing log; and a switch that makes
 * commits fail, as a full disk would.
 */
public final class MemoryJournal implements EventJournal {
    private final Map<UUID, DomainEvent<?>> events = new LinkedHashMap<>();
    private final Map<String, Set<UUID>> pending = new LinkedHashMap<>();
    private final Set<Delivery> processed = new LinkedHashSet<>();
    private volatile boolean failing;
    private int commits;

    /** @param fail {@code true} to make every commit fail until switched back */
    public void failing(boolean fail) {
        this.failing = fail;
    }

    private final Set<UUID> unreadable = new LinkedHashSet<>();

    /**
     * Makes a stored event undecodable, as a damaged row would be: a backlog read hands over the
     * events before it as one page, then fails with {@link UnreadableEventException}.
     *
     * @param eventId an event in this journal
     */
    public synchronized void unreadable(UUID eventId) {
        unreadable.add(eventId);
    }

    private volatile Runnable beforeCommit = () -> { };

    /**
     * @param hook runs at the start of every commit, before the journal takes its lock (e.g. to hold a
     *             commit back while another thread does something)
     */
    public void beforeCommit(Runnable hook) {
        this.beforeCommit = hook;
    }

    @Override
    public boolean[] commit(Batch batch) {
        beforeCommit.run();
        return commitNow(batch);
    }

    private synchronized boolean[] commitNow(Batch batch) {
        if (failing) {
            throw new EventStoreException("disk full (simulated): nothing was stored");
        }
        commits++;
        boolean[] appended = new boolean[batch.events().size()];
        for (int i = 0; i < appended.length; i++) {
            DomainEvent<?> e = batch.events().get(i);
            appended[i] = events.putIfAbsent(e.eventId(), e) == null;
            if (appended[i]) {
                for (String handler : batch.recipients().getOrDefault(e.eventId(), List.of())) {
                    pending.computeIfAbsent(handler, h -> new LinkedHashSet<>()).add(e.eventId());
                }
            }
        }
        done(batch.done());
        return appended;
    }

    private void done(List<Delivery> done) {
        for (Delivery d : done) {
            processed.add(d);
            Set<UUID> p = pending.get(d.handlerId());
            if (p != null) {
                p.remove(d.eventId());
            }
        }
    }

    @Override
    public void probe() {
        if (failing) {
            throw new EventStoreException("disk full (simulated): the probe was not stored");
        }
    }

    @Override
    public synchronized void commitLater(List<Delivery> done) {
        done(done);
    }

    @Override
    public synchronized List<DomainEvent<?>> pending(String handlerId) {
        List<DomainEvent<?>> out = new ArrayList<>();
        for (UUID id : pending.getOrDefault(handlerId, Set.of())) {
            out.add(events.get(id));
        }
        return out;
    }

    @Override
    public long pending(String handlerId, Consumer<List<DomainEvent<?>>> page) {
        List<DomainEvent<?>> all;
        Set<UUID> unreadable;
        synchronized (this) { // not held while the caller handles a page
            all = pending(handlerId);
            unreadable = Set.copyOf(this.unreadable);
        }
        for (int i = 0; i < all.size(); i++) {
            DomainEvent<?> event = all.get(i);
            if (unreadable.contains(event.eventId())) {
                if (i > 0) {
                    page.accept(all.subList(0, i));
                }
                throw new UnreadableEventException("event " + event.eventId() + " (" + event.type()
                        + ") in the memory journal is invalid: made unreadable", null, i + 1, event.eventId(), event.type());
            }
        }
        if (!all.isEmpty()) {
            page.accept(all);
        }
        return all.size();
    }

    @Override
    public synchronized void abandon(Delivery delivery) {
        Set<UUID> p = pending.get(delivery.handlerId());
        if (p != null) {
            p.remove(delivery.eventId());
        }
    }

    private final Map<String, DurableSubscription> subscriptions = new LinkedHashMap<>();

    @Override
    public synchronized void remember(DurableSubscription subscription) {
        subscriptions.put(subscription.handlerId(), subscription);
    }

    @Override
    public synchronized List<DurableSubscription> subscriptions() {
        return new ArrayList<>(subscriptions.values());
    }

    @Override
    public synchronized int forget(String handlerId) {
        subscriptions.remove(handlerId);
        Set<UUID> dropped = pending.remove(handlerId);
        return dropped == null ? 0 : dropped.size();
    }

    /** @return every journaled event, in order */
    public synchronized List<DomainEvent<?>> events() {
        return new ArrayList<>(events.values());
    }

    /** @return {@code true} if the processing log says the handler handled the event */
    public synchronized boolean handled(UUID eventId, String handlerId) {
        return processed.contains(new Delivery(eventId, handlerId));
    }

    /** @return commits that succeeded */
    public synchronized int commits() {
        return commits;
    }

    private final List<DomainEvent<?>> checkpoints = new ArrayList<>();

    /** Records the boundary's checkpoint at once (this journal defers nothing). */
    @Override
    public synchronized void boundary(java.util.function.Supplier<DomainEvent<?>> checkpoint) {
        checkpoints.add(checkpoint.get());
    }

    /** @return the checkpoints of the boundaries marked, in order */
    public synchronized List<DomainEvent<?>> checkpoints() {
        return new ArrayList<>(checkpoints);
    }
}
