package io.autotrade.bench;

import io.autotrade.api.event.DeadLetterStore;
import io.autotrade.api.event.DomainEvent;
import io.autotrade.api.event.EventBus;
import io.autotrade.api.event.EventBusException;
import io.autotrade.api.event.EventProperties;
import io.autotrade.api.event.Priority;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.osgi.service.event.EventConstants;
import org.osgi.service.event.EventHandler;

/**
 * Latency of one critical event from {@code publish} until its handler has run, with and without a
 * concurrent logging flood: a thread keeps the LOW_LOGGING lane full (backing off 1 ms whenever the
 * lane rejects) while the logging handler works 20 µs per event.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class LatencyBenchmark {
    @Param({"false", "true"})
    public boolean flood;

    private BenchFelix felix;
    private EventBus bus;
    private DomainEvent<?>[] pool;
    private DomainEvent<?>[] logs;
    private final AtomicLong seen = new AtomicLong();
    private volatile boolean flooding;
    private Thread flooder;
    private int next;

    @Setup(Level.Trial)
    public void boot() throws Exception {
        felix = new BenchFelix();
        felix.context().registerService(DeadLetterStore.class, new NoDeadLetters(), null);
        felix.context().registerService(io.autotrade.api.event.EventJournal.class, new NoJournal(), null);
        Dictionary<String, Object> critical = new Hashtable<>();
        critical.put(EventConstants.EVENT_TOPIC, "autotrade/market/TICK");
        critical.put(EventConstants.EVENT_FILTER, "(" + EventProperties.PRIORITY + "=1)");
        critical.put(EventProperties.HANDLER_ID, "bench.critical");
        felix.context().registerService(EventHandler.class, e -> seen.incrementAndGet(), critical);
        Dictionary<String, Object> logging = new Hashtable<>();
        logging.put(EventConstants.EVENT_TOPIC, "autotrade/market/TICK");
        logging.put(EventConstants.EVENT_FILTER, "(" + EventProperties.PRIORITY + "=4)");
        logging.put(EventProperties.HANDLER_ID, "bench.logging");
        felix.context().registerService(EventHandler.class, e -> LockSupport.parkNanos(20_000), logging);
        bus = felix.await(EventBus.class);
        pool = Samples.ticks("KRW-BTC");
        DomainEvent<?>[] logPool = Samples.ticks("KRW-LOG");
        logs = new DomainEvent<?>[logPool.length];
        for (int i = 0; i < logPool.length; i++) {
            logs[i] = logPool[i].withPriority(Priority.LOW_LOGGING);
        }
        if (flood) {
            flooding = true;
            flooder = new Thread(this::flood, "bench-logging-flood");
            flooder.setDaemon(true);
            flooder.start();
        }
    }

    private void flood() {
        int i = 0;
        while (flooding) {
            try {
                bus.publish(logs[i++ & (Samples.POOL - 1)]);
            } catch (EventBusException full) {
                LockSupport.parkNanos(1_000_000);
            }
        }
    }

    @TearDown(Level.Trial)
    public void stop() throws Exception {
        flooding = false;
        if (flooder != null) {
            flooder.join(5_000);
        }
        felix.close();
    }

    @Benchmark
    public long criticalPublishToHandler() {
        long target = seen.get() + 1;
        bus.publish(pool[next++ & (Samples.POOL - 1)]);
        long now;
        while ((now = seen.get()) < target) {
            Thread.onSpinWait();
        }
        return now;
    }
}
