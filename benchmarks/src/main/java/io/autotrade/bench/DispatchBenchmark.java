package io.autotrade.bench;

import io.autotrade.api.event.DeadLetterStore;
import io.autotrade.api.event.DomainEvent;
import io.autotrade.api.event.EventBus;
import io.autotrade.api.event.EventProperties;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.osgi.service.event.Event;
import org.osgi.service.event.EventAdmin;
import org.osgi.service.event.EventConstants;
import org.osgi.service.event.EventHandler;

/**
 * Throughput of one million events to one handler, in one Felix: raw EventAdmin {@code sendEvent}
 * and {@code postEvent} (Timeout 0) against the autotrade bus's CRITICAL_TRADING lane. Every variant
 * builds the OSGi event per publish and ends when the handler has seen all events.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class DispatchBenchmark {
    /** Events per benchmark invocation. */
    public static final int EVENTS = 1_000_000;
    private static final String RAW_TOPIC = "bench/raw/CANDLE";

    private BenchFelix felix;
    private EventAdmin eventAdmin;
    private EventBus bus;
    private DomainEvent<?>[] pool;
    private Map<String, Object>[] rawProps;
    private final AtomicLong rawSeen = new AtomicLong();
    private final AtomicLong busSeen = new AtomicLong();

    @Setup(Level.Trial)
    @SuppressWarnings("unchecked")
    public void boot() throws Exception {
        felix = new BenchFelix();
        felix.context().registerService(DeadLetterStore.class, new NoDeadLetters(), null);
        felix.context().registerService(io.autotrade.api.event.EventJournal.class, new NoJournal(), null);
        Dictionary<String, Object> raw = new Hashtable<>();
        raw.put(EventConstants.EVENT_TOPIC, RAW_TOPIC);
        felix.context().registerService(EventHandler.class, e -> rawSeen.incrementAndGet(), raw);
        Dictionary<String, Object> ours = new Hashtable<>();
        ours.put(EventConstants.EVENT_TOPIC, "autotrade/market/TICK");
        ours.put(EventProperties.HANDLER_ID, "bench.handler");
        felix.context().registerService(EventHandler.class, e -> busSeen.incrementAndGet(), ours);
        eventAdmin = felix.await(EventAdmin.class);
        bus = felix.await(EventBus.class);
        pool = Samples.ticks("KRW-BTC");
        DomainEvent<?>[] candles = Samples.candles("KRW-BTC");
        rawProps = new Map[candles.length];
        for (int i = 0; i < candles.length; i++) {
            rawProps[i] = Samples.properties(candles[i]);
        }
    }

    @TearDown(Level.Trial)
    public void stop() throws Exception {
        felix.close();
    }

    private static void awaitCount(AtomicLong seen, long target) {
        while (seen.get() < target) {
            Thread.onSpinWait();
        }
    }

    @Benchmark
    @OperationsPerInvocation(EVENTS)
    public void eventAdminSendEvent() {
        long target = rawSeen.get() + EVENTS;
        for (int i = 0; i < EVENTS; i++) {
            eventAdmin.sendEvent(new Event(RAW_TOPIC, rawProps[i & (Samples.POOL - 1)]));
        }
        awaitCount(rawSeen, target);
    }

    @Benchmark
    @OperationsPerInvocation(EVENTS)
    public void eventAdminPostEvent() {
        long target = rawSeen.get() + EVENTS;
        for (int i = 0; i < EVENTS; i++) {
            eventAdmin.postEvent(new Event(RAW_TOPIC, rawProps[i & (Samples.POOL - 1)]));
        }
        awaitCount(rawSeen, target);
    }

    @Benchmark
    @OperationsPerInvocation(EVENTS)
    public void busCriticalLane() {
        long target = busSeen.get() + EVENTS;
        for (int i = 0; i < EVENTS; i++) {
            bus.publish(pool[i & (Samples.POOL - 1)]);
        }
        awaitCount(busSeen, target);
    }
}
