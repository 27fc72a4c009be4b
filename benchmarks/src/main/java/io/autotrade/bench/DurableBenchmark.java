package io.autotrade.bench;

import io.autotrade.api.event.DomainEvent;
import io.autotrade.api.event.EventBus;
import io.autotrade.api.event.EventPayload;
import io.autotrade.api.event.EventProperties;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Dictionary;
import java.util.HashMap;
import java.util.Hashtable;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.osgi.service.event.EventConstants;
import org.osgi.service.event.EventHandler;

/**
 * Durable publish throughput, in one Felix with the real SQLite event store: {@code publishAll} of
 * 1000 candle events, which returns once they are committed (WAL, {@code synchronous=FULL}), with one
 * durable handler subscribed (so each event also gets its pending delivery, and each handled event its
 * processing-log entry). Baseline, same run, same machine: raw sqlite-jdbc batched inserts of the same
 * rows into the same schema (read from the journal's database) with the journal's statements: per
 * transaction 1000 event rows (the payload JSON the journal wrote for them) and their 1000 pending rows
 * (handler, sequence), plus the processing-log rows of the previous transaction's events and the removal
 * of their pending rows.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class DurableBenchmark {
    /** Events per transaction, both ways. */
    public static final int BATCH = 1000;
    private static final String HANDLER = "bench.durable";

    /** Durable handlers subscribed: 0 measures the journal alone, 1 adds the delivery log. */
    @Param({"0", "1"})
    public int subscribers;

    private Path dir;
    private BenchFelix felix;
    private EventBus bus;
    private io.autotrade.api.event.EventJournal journal;
    private EventPayload[] payloads;
    private DomainEvent<?>[] envelopes;
    private String[] json;
    private final AtomicLong seen = new AtomicLong();
    private Connection raw;
    private PreparedStatement insertEvent;
    private PreparedStatement insertPending;
    private PreparedStatement insertProcessed;
    private PreparedStatement deletePending;
    private PreparedStatement lastSeq;
    private String[] previousIds = new String[0];

    @Setup(Level.Trial)
    public void boot() throws Exception {
        dir = Files.createTempDirectory("autotrade-bench-durable");
        felix = new BenchFelix(Map.of("autotrade.data.dir", dir.toString(), "autotrade.db.profile", "journal"), true);
        Dictionary<String, Object> props = new Hashtable<>();
        props.put(EventConstants.EVENT_TOPIC, "autotrade/candle/CLOSED");
        props.put(EventProperties.HANDLER_ID, HANDLER);
        if (subscribers > 0) {
            felix.context().registerService(EventHandler.class, e -> seen.incrementAndGet(), props);
        }
        bus = felix.await(EventBus.class);
        journal = felix.await(io.autotrade.api.event.EventJournal.class);
        envelopes = Samples.candles("KRW-BTC");
        payloads = new EventPayload[BATCH];
        for (int i = 0; i < BATCH; i++) {
            payloads[i] = envelopes[i].payload();
        }
        bus.publishAll(List.of(envelopes).subList(0, BATCH));
        bus.awaitQuiescence(Duration.ofSeconds(30));
        json = new String[BATCH];
        Map<String, String> byId = new HashMap<>();
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("journal.db"));
                Statement s = c.createStatement()) {
            try (ResultSet rs = s.executeQuery("SELECT event_id, payload FROM events")) {
                while (rs.next()) {
                    byId.put(rs.getString(1), rs.getString(2));
                }
            }
            for (int i = 0; i < BATCH; i++) {
                json[i] = byId.get(envelopes[i].eventId().toString());
            }
            raw = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("raw.db"));
            try (Statement r = raw.createStatement(); ResultSet schema = s.executeQuery(
                    "SELECT sql FROM sqlite_master WHERE sql IS NOT NULL AND name NOT LIKE 'sqlite_%' ORDER BY rowid")) {
                r.execute("PRAGMA journal_mode=WAL");
                r.execute("PRAGMA synchronous=FULL");
                r.execute("PRAGMA cache_size=-65536"); // as the store's connection
                while (schema.next()) {
                    r.execute(schema.getString(1));
                }
            }
        }
        raw.setAutoCommit(false);
        insertEvent = raw.prepareStatement("""
                INSERT OR IGNORE INTO events (event_id, type, version, occurred_at, aggregate_id, correlation_id,
                  causation_id, priority, payload, stored_at) VALUES (?,?,?,?,?,?,?,?,?,?)""");
        insertPending = raw.prepareStatement("INSERT OR IGNORE INTO pending (handler_id, seq) VALUES (?,?)");
        insertProcessed = raw.prepareStatement("INSERT OR IGNORE INTO processed (event_id, handler_id, handled_at) VALUES (?,?,?)");
        deletePending = raw.prepareStatement(
                "DELETE FROM pending WHERE handler_id = ? AND seq = (SELECT seq FROM events WHERE event_id = ?)");
        lastSeq = raw.prepareStatement("SELECT coalesce(max(seq), 0) FROM events");
    }

    @TearDown(Level.Iteration)
    public void drain() throws Exception {
        bus.awaitQuiescence(Duration.ofSeconds(60));
    }

    @TearDown(Level.Trial)
    public void stop() throws Exception {
        raw.close();
        felix.close();
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    private List<DomainEvent<?>> batch() {
        List<DomainEvent<?>> events = new ArrayList<>(BATCH);
        for (int i = 0; i < BATCH; i++) {
            events.add(DomainEvent.of(payloads[i], envelopes[i].occurredAt()));
        }
        return events;
    }

    /** Returns when the 1000 events are committed (they are dispatched to the handler from then on). */
    @Benchmark
    @OperationsPerInvocation(BATCH)
    public void journaledPublishAll() {
        bus.publishAll(batch());
    }

    @Benchmark
    @OperationsPerInvocation(BATCH)
    public void journalCommitOnly() {
        journal.commit(new io.autotrade.api.event.EventJournal.Batch(batch(), Map.of(), List.of()));
    }

    @Benchmark
    @OperationsPerInvocation(BATCH)
    public void rawBatchedInsert() throws SQLException {
        List<DomainEvent<?>> events = batch();
        long now = System.currentTimeMillis();
        long seq;
        try (ResultSet rs = lastSeq.executeQuery()) { // the rows' sequences, as the journal learns them
            rs.next();
            seq = rs.getLong(1);
        }
        String[] ids = new String[BATCH];
        for (int i = 0; i < BATCH; i++) {
            DomainEvent<?> e = events.get(i);
            ids[i] = e.eventId().toString();
            insertEvent.setString(1, ids[i]);
            insertEvent.setString(2, e.type());
            insertEvent.setInt(3, e.version());
            insertEvent.setLong(4, e.occurredAt().toEpochMilli());
            insertEvent.setString(5, e.aggregateId());
            insertEvent.setString(6, e.correlationId().toString());
            insertEvent.setString(7, e.causationId().toString());
            insertEvent.setInt(8, e.priority().rank());
            insertEvent.setString(9, json[i]);
            insertEvent.setLong(10, now);
            insertEvent.addBatch();
            if (subscribers > 0) {
                insertPending.setString(1, HANDLER);
                insertPending.setLong(2, ++seq);
                insertPending.addBatch();
            }
        }
        for (String id : subscribers > 0 ? previousIds : new String[0]) {
            insertProcessed.setString(1, id);
            insertProcessed.setString(2, HANDLER);
            insertProcessed.setLong(3, now);
            insertProcessed.addBatch();
            deletePending.setString(1, HANDLER);
            deletePending.setString(2, id);
            deletePending.addBatch();
        }
        insertEvent.executeBatch();
        if (subscribers > 0) {
            insertPending.executeBatch();
            insertProcessed.executeBatch();
            deletePending.executeBatch();
        }
        raw.commit();
        previousIds = ids;
    }

}
