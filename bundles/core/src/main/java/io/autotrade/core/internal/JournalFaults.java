package io.autotrade.core.internal;

import io.autotrade.api.event.CriticalFailure;
import io.autotrade.api.event.DomainEvent;
import io.autotrade.api.event.EventBusException;
import io.autotrade.api.event.EventJournal;
import io.autotrade.api.event.EventStoreException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import java.util.function.LongSupplier;
import org.osgi.service.log.Logger;

/**
 * The bus's view of a failing journal: the first refused commit raises a {@code CRITICAL_FAILURE} (delivered
 * from memory, journaled once the journal commits again) and starts a probe; while the fault lasts
 * {@link #fault()} says why (the trading-state tracker reports trading HALTED); the next successful commit or
 * probe ends it.
 */
final class JournalFaults {
    /** The journal refuses commits: since when, why, and the CRITICAL_FAILURE that said so. */
    private record JournalFault(String error, DomainEvent<CriticalFailure> raised, ScheduledFuture<?> probe) {
    }

    private final EventJournal journal;
    private final ScheduledExecutorService timer;
    private final Logger logger;
    private final LongSupplier probeMillis;
    private final BooleanSupplier open;
    private final Consumer<DomainEvent<CriticalFailure>> raise;
    private final AtomicReference<JournalFault> journalFault = new AtomicReference<>();

    /**
     * @param journal     the journal (may be null: a bus in memory never faults)
     * @param timer       runs the probe
     * @param logger      for the fault and its end
     * @param probeMillis how often the failing journal is probed, ms
     * @param open        whether the bus still runs (a stopping bus raises nothing)
     * @param raise       dispatches the CRITICAL_FAILURE from memory
     */
    JournalFaults(EventJournal journal, ScheduledExecutorService timer, Logger logger, LongSupplier probeMillis,
            BooleanSupplier open, Consumer<DomainEvent<CriticalFailure>> raise) {
        this.journal = journal;
        this.timer = timer;
        this.logger = logger;
        this.probeMillis = probeMillis;
        this.open = open;
        this.raise = raise;
    }

    /**
     * The journal refused a commit. The first refusal of a fault raises a {@code CRITICAL_FAILURE}
     * (delivered from memory: the journal cannot take it; it is journaled when the journal recovers)
     * and starts probing the journal; until a commit or probe succeeds, {@link #journalFault()} says why,
     * and the trading-state tracker reports trading HALTED.
     */
    void failed(EventStoreException e) {
        if (journalFault.get() != null || !open.getAsBoolean()) {
            return;
        }
        DomainEvent<CriticalFailure> raised = DomainEvent.of(new CriticalFailure(LaneBus.JOURNAL_SOURCE, null, null, 0,
                "the event journal refuses commits: " + e.getMessage(), 0), Instant.now());
        JournalFault fault = new JournalFault(e.getMessage(), raised, null);
        if (!journalFault.compareAndSet(null, fault)) {
            return;
        }
        logger.error("event journal failing: {}; durable publishes fail and trading is HALTED until it commits again"
                + " (probed every {} ms)", e.getMessage(), probeMillis.getAsLong());
        try {
            long every = Math.max(1, probeMillis.getAsLong());
            ScheduledFuture<?> probe = timer.scheduleWithFixedDelay(this::probeJournal, every, every, TimeUnit.MILLISECONDS);
            if (!journalFault.compareAndSet(fault, new JournalFault(fault.error(), raised, probe))) {
                probe.cancel(false); // recovered meanwhile
            }
        } catch (RejectedExecutionException stopping) {
            // the bus is stopping
        }
        try {
            raise.accept(raised);
        } catch (EventBusException full) {
            logger.error("could not raise CRITICAL_FAILURE for the journal fault: {}", full.getMessage());
        }
    }

    private void probeJournal() {
        if (journalFault.get() == null) {
            return;
        }
        try {
            journal.probe();
        } catch (RuntimeException stillFailing) {
            logger.debug("event journal probe failed: {}", stillFailing.getMessage());
            return;
        }
        journalRecovered();
    }

    /** A commit or probe succeeded: the fault is over; its CRITICAL_FAILURE is journaled now, as history. */
    private void journalRecovered() {
        JournalFault fault = journalFault.getAndSet(null);
        if (fault == null) {
            return;
        }
        if (fault.probe() != null) {
            fault.probe().cancel(false);
        }
        logger.warn("event journal commits again after {} ms; trading is no longer halted by it (was: {})",
                Duration.between(fault.raised().occurredAt(), Instant.now()).toMillis(), fault.error());
        try {
            journal.commit(new EventJournal.Batch(List.of(fault.raised()), Map.of(), List.of()));
        } catch (EventStoreException e) {
            failed(e);
        }
    }

    /** @return why the journal refuses commits now, or null */
    String fault() {
        JournalFault fault = journalFault.get();
        return fault == null ? null : fault.error();
    }

    /** A commit succeeded: ends a fault, if there was one. */
    void committed() {
        if (journalFault.get() != null) {
            journalRecovered();
        }
    }
}
