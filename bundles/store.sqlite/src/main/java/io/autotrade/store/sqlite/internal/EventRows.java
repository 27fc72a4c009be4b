package io.autotrade.store.sqlite.internal;

import io.autotrade.api.event.DomainEvent;
import io.autotrade.api.event.EventKind;
import io.autotrade.api.event.EventPayload;
import io.autotrade.api.event.EventStoreException;
import io.autotrade.api.event.Priority;
import io.autotrade.api.event.UnreadableEventException;
import io.autotrade.api.trading.TradingEvents;
import java.nio.file.Path;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * The envelope columns shared by the {@code events} and {@code dead_letters} tables, written and read: an
 * event is bound to columns 1 to 9 on insert; a row read is decoded into a {@link DomainEvent} by its stored
 * type ({@link TradingEvents#kind}) and strict JSON ({@link PayloadCodec}), or refused with an
 * {@link UnreadableEventException} naming the row.
 */
final class EventRows {
    /** Rows from which decoding runs on all cores. */
    private static final int PARALLEL_DECODE = 2_000;

    private final PayloadCodec codec;
    private final Path file;

    /**
     * @param codec the payloads' JSON
     * @param file  the database, for messages
     */
    EventRows(PayloadCodec codec, Path file) {
        this.codec = codec;
        this.file = file;
    }

    /** @return the payload as stored JSON */
    String encode(DomainEvent<?> event) {
        return codec.encode(event.payload());
    }

    /** Binds the envelope columns 1..9 shared by the events and dead_letters tables. */
    static void bindEnvelope(PreparedStatement insert, DomainEvent<?> event, String payloadJson)
            throws SQLException {
        insert.setString(1, event.eventId().toString());
        insert.setString(2, event.type());
        insert.setInt(3, event.version());
        insert.setLong(4, event.occurredAt().toEpochMilli());
        insert.setString(5, event.aggregateId());
        insert.setString(6, event.correlationId().toString());
        insert.setString(7, event.causationId().toString());
        insert.setInt(8, event.priority().rank());
        insert.setString(9, payloadJson);
    }

    /** Decoding (JSON, ids) is most of the cost of a large read, such as a recovery's: on every core, in order. */
    List<DomainEvent<?>> decodeAll(List<StoredRow> rows) {
        if (rows.size() >= PARALLEL_DECODE) {
            try {
                return rows.parallelStream().<DomainEvent<?>>map(this::decode).toList();
            } catch (UnreadableEventException e) {
                // decoded again in order below, so that the error names the first unreadable row
            }
        }
        return rows.stream().<DomainEvent<?>>map(this::decode).toList();
    }

    /** The envelope columns of one stored event (events or dead_letters), not yet decoded. */
    record StoredRow(long seq, String label, String type, int version, long occurredAt, String aggregateId, String eventId,
            String correlationId, String causationId, int priority, String payload) {
        /** @return how an error names the row: its label, else {@code event #SEQ} (built only then) */
        String what() {
            return label != null ? label : "event #" + seq;
        }

        /** Reads a row of the events table selected as {@code seq, event_id, type, ..., payload} (columns 1 to 10). */
        static StoredRow readEventsRow(ResultSet rs) throws SQLException {
            long seq = rs.getLong(1);
            return new StoredRow(seq, null, rs.getString(3), rs.getInt(4), rs.getLong(5), rs.getString(6),
                    rs.getString(2), rs.getString(7), rs.getString(8), rs.getInt(9), rs.getString(10));
        }

        static StoredRow read(ResultSet rs, String what) throws SQLException {
            return new StoredRow(0, what, rs.getString("type"), rs.getInt("version"), rs.getLong("occurred_at"),
                    rs.getString("aggregate_id"), rs.getString("event_id"), rs.getString("correlation_id"),
                    rs.getString("causation_id"), rs.getInt("priority"), rs.getString("payload"));
        }
    }

    /** Decodes the envelope columns (shared by events and dead_letters) of the current row. */
    DomainEvent<?> event(ResultSet rs, String what) throws SQLException {
        return decode(StoredRow.read(rs, what));
    }

    /** @throws UnreadableEventException naming the row, if its type is unknown or a column does not decode */
    DomainEvent<?> decode(StoredRow row) {
        EventKind kind = TradingEvents.kind(row.type()).orElseThrow(() -> unreadable(row,
                row.what() + " id " + row.eventId() + " in " + file + " has unknown type '" + row.type() + "'", null));
        try {
            EventPayload payload = codec.decode(kind, row.payload());
            return new DomainEvent<>(UUID.fromString(row.eventId()), row.type(), row.version(),
                    Instant.ofEpochMilli(row.occurredAt()), row.aggregateId(), UUID.fromString(row.correlationId()),
                    UUID.fromString(row.causationId()), Priority.ofRank(row.priority()), payload);
        } catch (IllegalArgumentException | EventStoreException e) {
            throw unreadable(row, row.what() + " (" + row.type() + ") id " + row.eventId() + " in " + file + " is invalid: "
                    + e.getMessage(), e);
        }
    }

    private static UnreadableEventException unreadable(StoredRow row, String message, Exception cause) {
        UUID id;
        try {
            id = row.eventId() == null ? null : UUID.fromString(row.eventId());
        } catch (IllegalArgumentException notAnId) {
            id = null;
        }
        return new UnreadableEventException(message, cause, row.seq(), id, row.type());
    }
}
