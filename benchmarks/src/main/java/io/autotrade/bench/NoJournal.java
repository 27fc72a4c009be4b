package io.autotrade.bench;

import io.autotrade.api.event.DomainEvent;
import io.autotrade.api.event.EventJournal;
import java.util.List;

/** The bus needs a journal; the in-memory benchmarks publish nothing durable, so one that is never written to. */
final class NoJournal implements EventJournal {
    @Override
    public boolean[] commit(Batch batch) {
        throw new IllegalStateException("the in-memory benchmarks publish nothing durable");
    }

    @Override
    public void commitLater(List<Delivery> done) {
    }

    @Override
    public List<DomainEvent<?>> pending(String handlerId) {
        return List.of();
    }

    @Override
    public void remember(DurableSubscription subscription) {
    }

    @Override
    public List<DurableSubscription> subscriptions() {
        return List.of();
    }

    @Override
    public int forget(String handlerId) {
        return 0;
    }

    @Override
    public void abandon(Delivery delivery) {
    }

    @Override
    public void probe() {
    }
}
