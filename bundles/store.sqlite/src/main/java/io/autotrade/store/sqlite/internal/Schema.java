package io.autotrade.store.sqlite.internal;

import io.autotrade.api.event.EventStoreException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Arrays;
import java.util.List;
import org.sqlite.SQLiteConfig;
import org.sqlite.SQLiteDataSource;

/**
 * Opens the store's database and brings its schema to {@value #VERSION} ({@code PRAGMA user_version}), from
 * versioned SQL resources next to this class ({@code schema/V1__schema.sql}, and the migration
 * {@code schema/V0_to_V1__pending_by_seq.sql}), all in one transaction: a kill meanwhile leaves the file as
 * it was. A file that is not SQLite, fails {@code PRAGMA quick_check} (read-only, before anything writes to
 * it) or has a newer schema is refused with a message naming it, and left untouched.
 */
final class Schema {
    /** The schema version this build writes and reads. */
    static final int VERSION = 1;
    /**
     * Page cache of the store's connection by default, KiB: the indexes of a few million events stay in memory. SQLite
     * allocates it outside the Java heap as pages are touched, so it adds to the process's resident memory.
     */
    static final int CACHE_KIB = 65_536;
    private static final byte[] SQLITE_HEADER = "SQLite format 3\0".getBytes(StandardCharsets.US_ASCII);

    private Schema() {
    }

    /**
     * @param file              the database file (created with its folder when missing)
     * @param busyTimeoutMillis how long a statement waits for a lock held elsewhere
     * @param synchronous       SQLite's {@code synchronous} mode (WAL journal)
     * @param cacheKib          the connection's page cache, KiB (SQLite {@code PRAGMA cache_size}, negative for KiB)
     * @return the connection, auto-commit on, schema at {@link #VERSION}
     * @throws EventStoreException naming the file and what is wrong with it
     */
    static Connection open(Path file, int busyTimeoutMillis, SQLiteConfig.SynchronousMode synchronous, int cacheKib) {
        checkHeader(file);
        if (Files.exists(file)) {
            // Checked read-only first: opening for writing (WAL) would rewrite the header of a damaged file.
            quickCheck(file);
        }
        try {
            Files.createDirectories(file.getParent());
        } catch (IOException e) {
            throw new EventStoreException("cannot create the data folder " + file.getParent() + ": " + e.getMessage(), e);
        }
        SQLiteConfig sqlite = new SQLiteConfig();
        sqlite.setJournalMode(SQLiteConfig.JournalMode.WAL);
        sqlite.setSynchronous(synchronous);
        sqlite.setBusyTimeout(busyTimeoutMillis);
        sqlite.setCacheSize(-cacheKib); // negative: KiB (SQLite "PRAGMA cache_size")
        Connection c = null;
        try {
            c = dataSource(file, sqlite).getConnection();
            c.setAutoCommit(false); // the schema in one transaction: a kill while creating it leaves none of it
            try (Statement s = c.createStatement()) {
                migrate(s, file);
            }
            c.commit();
            c.setAutoCommit(true);
            return c;
        } catch (SQLException e) {
            closeQuietly(c);
            throw new EventStoreException("cannot open database " + file + ": " + e.getMessage(), e);
        } catch (EventStoreException e) {
            closeQuietly(c); // the schema transaction is rolled back with the connection: nothing was changed
            throw e;
        }
    }

    private static void migrate(Statement s, Path file) throws SQLException {
        int version = userVersion(s);
        if (version > VERSION) {
            throw new EventStoreException("database " + file + " has schema version " + version + ", newer than"
                    + " this build's " + VERSION + "; it was left untouched. Run the build that wrote it.");
        }
        if (version < 1 && hasColumn(s, "pending", "event_id")) {
            run(s, "V0_to_V1__pending_by_seq.sql");
        }
        run(s, "V1__schema.sql");
        s.executeUpdate("PRAGMA user_version = " + VERSION);
    }

    /** Runs the statements of a schema resource, in order. */
    private static void run(Statement s, String resource) throws SQLException {
        for (String statement : statements(resource)) {
            s.executeUpdate(statement);
        }
    }

    /** @return the statements of a schema resource: its text without {@code --} comment lines, split at each {@code ;} */
    static List<String> statements(String resource) {
        try (InputStream in = Schema.class.getResourceAsStream("/io/autotrade/store/sqlite/schema/" + resource)) {
            if (in == null) {
                throw new IllegalStateException("schema resource " + resource + " is missing from the bundle");
            }
            String text = new String(in.readAllBytes(), StandardCharsets.UTF_8).lines()
                    .filter(l -> !l.strip().startsWith("--")).reduce("", (a, b) -> a + b + "\n");
            return Arrays.stream(text.split(";")).map(String::strip).filter(t -> !t.isEmpty()).toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read schema resource " + resource, e);
        }
    }

    private static int userVersion(Statement s) throws SQLException {
        try (ResultSet rs = s.executeQuery("PRAGMA user_version")) {
            return rs.next() ? rs.getInt(1) : 0;
        }
    }

    private static boolean hasColumn(Statement s, String table, String column) throws SQLException {
        try (ResultSet rs = s.executeQuery("PRAGMA table_info(" + table + ")")) {
            while (rs.next()) {
                if (column.equals(rs.getString("name"))) {
                    return true;
                }
            }
            return false;
        }
    }

    private static SQLiteDataSource dataSource(Path file, SQLiteConfig config) {
        SQLiteDataSource dataSource = new SQLiteDataSource(config);
        dataSource.setUrl("jdbc:sqlite:" + file);
        return dataSource;
    }

    private static void quickCheck(Path file) {
        SQLiteConfig readOnly = new SQLiteConfig();
        readOnly.setReadOnly(true);
        try (Connection c = dataSource(file, readOnly).getConnection();
                Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("PRAGMA quick_check")) {
            String verdict = rs.next() ? rs.getString(1) : "no answer";
            if (!"ok".equals(verdict)) {
                throw new EventStoreException("database " + file + " is damaged (PRAGMA quick_check: " + verdict
                        + "); it was left untouched. Restore a backup or move it away.");
            }
        } catch (SQLException e) {
            throw new EventStoreException("database " + file + " is damaged or unreadable (" + e.getMessage()
                    + "); it was left untouched. Restore a backup or move it away.", e);
        }
    }

    private static void checkHeader(Path file) {
        if (!Files.exists(file)) {
            return;
        }
        try (InputStream in = Files.newInputStream(file)) {
            byte[] head = in.readNBytes(SQLITE_HEADER.length);
            if (head.length == 0) {
                return;
            }
            if (!Arrays.equals(head, SQLITE_HEADER)) {
                throw new EventStoreException("database " + file + " is not an SQLite database (bad header); it was"
                        + " left untouched. Point --db elsewhere or move the file away.");
            }
        } catch (IOException e) {
            throw new EventStoreException("cannot read database " + file + ": " + e.getMessage(), e);
        }
    }

    static void closeQuietly(Connection c) {
        if (c != null) {
            try {
                c.close();
            } catch (SQLException ignored) {
                // the open already failed; its error is the one reported
            }
        }
    }
}
