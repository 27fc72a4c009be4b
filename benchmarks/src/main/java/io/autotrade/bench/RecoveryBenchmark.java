package io.autotrade.bench;

import io.autotrade.api.event.DomainEvent;
import io.autotrade.api.event.EventBus;
import io.autotrade.api.event.EventPayload;
import io.autotrade.api.event.EventProperties;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.event.EventConstants;
import org.osgi.service.event.EventHandler;

/**
 * Recovery after {@code kill -9}: a child JVM journals {@value #EVENTS} candle events for a durable
 * handler that is away (registered once, so the journal keeps its subscription, then gone), and is
 * killed with SIGKILL; a second child JVM starts Felix with the core and the SQLite store on that
 * database and registers the handler, which gets every pending event redelivered. Measured: wall time
 * from starting the recovering JVM to its handler having seen all {@value #EVENTS}. Baseline, same run:
 * the same JVM and framework start on an empty database, to its handler being registered. Not JMH (a
 * JVM start is the thing measured); median of {@code bench.recovery.runs} runs (default 3). The target compares the
 * recovery with that empty start plus 1.5 times the raw read: every stored row of the same database read with JDBC and
 * its payload decoded with Jackson, in a fresh JVM, timed from its first SQL to its last decode.
 */
final class RecoveryBenchmark {
    static final int EVENTS = 100_000;
    private static final String HANDLER = "bench.recovery";

    private RecoveryBenchmark() {
    }

    /** @return {recovery ms, empty start ms, raw read and decode ms}, medians */
    static double[] run() throws Exception {
        int runs = Integer.getInteger("bench.recovery.runs", 3);
        double[] recovery = new double[runs];
        double[] empty = new double[runs];
        double[] raw = new double[runs];
        for (int i = 0; i < runs; i++) {
            Path full = Files.createTempDirectory("autotrade-bench-recovery");
            Path none = Files.createTempDirectory("autotrade-bench-empty");
            try {
                prepareAndKill(full);
                raw[i] = timeRawRead(full);
                recovery[i] = timeRecovery(full, EVENTS);
                empty[i] = timeRecovery(none, 0);
                System.out.printf("recovery run %d: %,.0f ms for %,d pending events; empty start %,.0f ms; raw read and decode"
                        + " %,.0f ms%n", i + 1, recovery[i], EVENTS, empty[i], raw[i]);
            } finally {
                delete(full);
                delete(none);
            }
        }
        return new double[] {median(recovery), median(empty), median(raw)};
    }

    private static double median(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        return sorted[sorted.length / 2];
    }

    private static Process child(String mode, Path dir, int events) throws IOException {
        String java = ProcessHandle.current().info().command().orElse("java");
        List<String> command = new ArrayList<>(List.of(java, "-Xmx1g", "--enable-native-access=ALL-UNNAMED",
                "-cp", System.getProperty("java.class.path"),
                "-Dbench.bundles=" + System.getProperty("bench.bundles"),
                "-Dbench.store.bundles=" + System.getProperty("bench.store.bundles"),
                RecoveryBenchmark.class.getName(), mode, dir.toString(), Integer.toString(events)));
        return new ProcessBuilder(command).redirectErrorStream(true).start();
    }

    /** Waits for a line starting with the prefix; @return that line */
    private static String await(Process p, String prefix) throws IOException {
        BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
        String line;
        StringBuilder seen = new StringBuilder();
        while ((line = out.readLine()) != null) {
            if (Boolean.getBoolean("bench.recovery.verbose")) {
                System.out.println("  child: " + line);
            }
            if (line.startsWith(prefix)) {
                return line;
            }
            seen.append(line).append('\n');
        }
        throw new IllegalStateException("the child JVM ended without '" + prefix + "':\n" + seen);
    }

    private static void prepareAndKill(Path dir) throws Exception {
        Process p = child("prepare", dir, EVENTS);
        try {
            await(p, "READY");
        } finally {
            p.destroyForcibly(); // SIGKILL
            p.waitFor(30, TimeUnit.SECONDS);
        }
    }

    private static double timeRecovery(Path dir, int events) throws Exception {
        long start = System.nanoTime();
        Process p = child("recover", dir, events);
        try {
            await(p, "RECOVERED");
            return (System.nanoTime() - start) / 1e6;
        } finally {
            p.destroyForcibly();
            p.waitFor(30, TimeUnit.SECONDS);
        }
    }

    /** @return the raw read's own figure: ms from its first SQL to the last payload decoded, in a fresh JVM */
    private static double timeRawRead(Path dir) throws Exception {
        Process p = child("read", dir, EVENTS);
        try {
            String line = await(p, "READ");
            return Double.parseDouble(line.split(" ")[3]);
        } finally {
            p.destroyForcibly();
            p.waitFor(30, TimeUnit.SECONDS);
        }
    }

    /**
     * The baseline of the recovery: every stored event of the database read with plain JDBC and its payload decoded with
     * Jackson as the store's codec does (records by fields, exact decimals, ISO times), in a fresh JVM, no framework.
     */
    private static void rawRead(Path dir, int events) throws Exception {
        com.fasterxml.jackson.databind.ObjectMapper mapper = com.fasterxml.jackson.databind.json.JsonMapper.builder()
                .addModule(new com.fasterxml.jackson.datatype.jsr310.JavaTimeModule())
                .enable(com.fasterxml.jackson.databind.DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
                .visibility(com.fasterxml.jackson.annotation.PropertyAccessor.IS_GETTER, com.fasterxml.jackson.annotation.JsonAutoDetect.Visibility.NONE)
                .visibility(com.fasterxml.jackson.annotation.PropertyAccessor.GETTER, com.fasterxml.jackson.annotation.JsonAutoDetect.Visibility.NONE)
                .visibility(com.fasterxml.jackson.annotation.PropertyAccessor.FIELD, com.fasterxml.jackson.annotation.JsonAutoDetect.Visibility.ANY)
                .build();
        Path db = Files.list(dir).filter(f -> f.getFileName().toString().endsWith(".db")).findFirst().orElseThrow();
        long start = System.nanoTime();
        int n = 0;
        try (java.sql.Connection c = java.sql.DriverManager.getConnection("jdbc:sqlite:" + db);
             java.sql.Statement s = c.createStatement();
             java.sql.ResultSet rs = s.executeQuery("SELECT seq, event_id, type, version, occurred_at, aggregate_id, correlation_id,"
                     + " causation_id, priority, payload FROM events ORDER BY seq")) {
            while (rs.next()) {
                java.util.UUID.fromString(rs.getString(2));
                java.util.UUID.fromString(rs.getString(7));
                java.util.UUID.fromString(rs.getString(8));
                mapper.readValue(rs.getString(10), io.autotrade.api.trading.CandleClosed.class);
                n++;
            }
        }
        System.out.printf(java.util.Locale.ROOT, "READ %d rows %.1f ms%n", n, (System.nanoTime() - start) / 1e6);
        if (n < events) {
            throw new IllegalStateException("read " + n + " rows, expected " + events);
        }
        System.out.flush();
    }

    private static void delete(Path dir) throws IOException {
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
        }
    }

    private static ServiceRegistration<EventHandler> handler(BenchFelix felix, EventHandler body) {
        Dictionary<String, Object> props = new Hashtable<>();
        props.put(EventConstants.EVENT_TOPIC, "autotrade/candle/CLOSED");
        props.put(EventProperties.HANDLER_ID, HANDLER);
        return felix.context().registerService(EventHandler.class, body, props);
    }

    /**
     * The child JVM. {@code prepare DIR N}: journals N events with the handler away, prints READY and
     * waits to be killed. {@code recover DIR N}: registers the handler, prints RECOVERED once it has seen
     * N events.
     */
    public static void main(String[] args) {
        try {
            child(args);
        } catch (Throwable e) {
            e.printStackTrace(System.out);
            System.out.flush();
            Runtime.getRuntime().halt(1); // a framework thread that started would keep the JVM, and the parent, waiting
        }
    }

    private static void child(String[] args) throws Exception {
        Path dir = Path.of(args[1]);
        int events = Integer.parseInt(args[2]);
        if (args[0].equals("read")) {
            rawRead(dir, events);
            Runtime.getRuntime().halt(0);
        }
        BenchFelix felix = new BenchFelix(Map.of("autotrade.data.dir", dir.toString(), "autotrade.db.profile", "recovery"),
                true);
        EventBus bus = felix.await(EventBus.class);
        System.out.println("bus up at JVM uptime " + ManagementFactory.getRuntimeMXBean().getUptime() + " ms");
        if (args[0].equals("prepare")) {
            handler(felix, e -> { }).unregister(); // the journal remembers the subscription: pending rows from now on
            DomainEvent<?>[] pool = Samples.candles("KRW-BTC");
            List<DomainEvent<?>> batch = new ArrayList<>(1000);
            for (int i = 0; i < events; i++) {
                EventPayload payload = pool[i % Samples.POOL].payload();
                batch.add(DomainEvent.of(payload, pool[i % Samples.POOL].occurredAt()));
                if (batch.size() == 1000 || i == events - 1) {
                    bus.publishAll(batch);
                    batch = new ArrayList<>(1000);
                }
            }
            System.out.println("READY");
            System.out.flush();
            Thread.sleep(Duration.ofMinutes(5).toMillis());
            return;
        }
        AtomicLong seen = new AtomicLong();
        CountDownLatch all = new CountDownLatch(1);
        if (events == 0) {
            all.countDown();
        }
        long before = System.nanoTime();
        handler(felix, e -> {
            if (seen.incrementAndGet() == events) {
                all.countDown();
            }
        });
        System.out.printf("handler registered in %d ms (the journal read and the redelivery queued), %d seen by then%n",
                (System.nanoTime() - before) / 1_000_000, seen.get());
        if (!all.await(60, TimeUnit.SECONDS)) {
            System.out.println("TIMEOUT after " + seen.get() + " of " + events);
            System.exit(1);
        }
        System.out.println("RECOVERED " + seen.get() + " events, JVM uptime " + ManagementFactory.getRuntimeMXBean().getUptime() + " ms");
        System.out.flush();
        Runtime.getRuntime().halt(0); // nothing to flush: the result line is out
    }
}
