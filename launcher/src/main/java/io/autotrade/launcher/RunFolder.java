package io.autotrade.launcher;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Properties;
import java.util.stream.Stream;

/**
 * The data folder of a launch: checked before anything is touched, and changed by a backtest only
 * when it succeeded. A backtest journals into {@code DIR/backtest-next.db}; on success the previous
 * {@code DIR/backtest.db} moves to {@code DIR/backups/backtest-<UTC time>.db} (the newest
 * {@value #KEPT_BACKUPS} are kept) and the new one takes its name; on failure the new one is deleted,
 * and a data folder this launch created is removed again.
 */
final class RunFolder {
    /** The database profile a backtest runs on until it has succeeded. */
    static final String STAGING_PROFILE = "backtest-next";
    /** Backups of replaced backtest databases kept in {@code DIR/backups/}, newest first. */
    static final int KEPT_BACKUPS = 5;
    private static final String CURRENT = "backtest";
    private static final int MIN_SECRET_BYTES = 32;
    private static final String[] SUFFIXES = {"", "-wal", "-shm"};
    private static volatile Path scratch;
    private static volatile Path lastLog;
    private final Path db;
    private final boolean created;
    /** Whether the run continues the interrupted one in {@code backtest-next.db} (a failure keeps it then). */
    private final boolean resuming;

    private RunFolder(Path db, boolean created, boolean resuming) {
        this.db = db;
        this.created = created;
        this.resuming = resuming;
    }

    /**
     * @param db     the data folder, created if missing
     * @param resume whether the run continues the one interrupted earlier in it
     * @return the folder, ready for a backtest. A run interrupted earlier (its {@code backtest-next.db}) is what a
     *         resumed run continues; a fresh run keeps it as a backup ({@code backups/backtest-next-interrupted-...})
     * @throws IOException              if the folder cannot be created
     * @throws IllegalArgumentException if there is no interrupted run to resume, naming the file looked for
     */
    static RunFolder open(Path db, boolean resume) throws IOException {
        boolean created = !Files.exists(db);
        RunFolder folder = new RunFolder(db, created, resume);
        if (resume) {
            checkResumable(db);
            return folder;
        }
        Files.createDirectories(db);
        if (Files.exists(folder.file(STAGING_PROFILE, ""))) {
            folder.backup(STAGING_PROFILE, "-interrupted");
        }
        return folder;
    }

    /**
     * @param db the data folder
     * @throws IllegalArgumentException if it holds no interrupted backtest ({@code backtest-next.db}) to resume
     */
    static void checkResumable(Path db) {
        Path staging = db.resolve(STAGING_PROFILE + ".db");
        if (!Files.exists(staging)) {
            throw new IllegalArgumentException("--resume: there is no interrupted backtest in " + db + " (no "
                    + staging.getFileName() + "); a backtest that ended, well or not, has nothing to resume");
        }
    }

    /** The run succeeded: the new database becomes {@code backtest.db}, the old one a backup. */
    void commit() throws IOException {
        if (Files.exists(file(CURRENT, ""))) {
            backup(CURRENT, "");
        }
        for (String suffix : SUFFIXES) {
            if (Files.exists(file(STAGING_PROFILE, suffix))) {
                Files.move(file(STAGING_PROFILE, suffix), file(CURRENT, suffix), StandardCopyOption.REPLACE_EXISTING);
            }
        }
        Path log = lastLog;
        if (log != null && Files.exists(log)) {
            Files.copy(log, db.resolve("backtest.log"), StandardCopyOption.REPLACE_EXISTING);
        }
    }

    /** The run failed: its database goes, and so does a data folder this launch created. */
    void rollback() {
        if (resuming) {
            return; // the interrupted run stays as it was committed, to be resumed again
        }
        try {
            for (String suffix : SUFFIXES) {
                Files.deleteIfExists(file(STAGING_PROFILE, suffix));
            }
            if (created) {
                deleteTree(db);
            }
        } catch (IOException | UncheckedIOException e) {
            System.err.println("autotrade: could not remove " + file(STAGING_PROFILE, "") + ": " + e.getMessage());
        }
    }

    private Path file(String profile, String suffix) {
        return db.resolve(profile + ".db" + suffix);
    }

    private void backup(String profile, String tag) throws IOException {
        Path backups = db.resolve("backups");
        Files.createDirectories(backups);
        String stamp = LocalDateTime.now(ZoneOffset.UTC).format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss-SSS"));
        for (String suffix : SUFFIXES) {
            if (Files.exists(file(profile, suffix))) {
                Files.move(file(profile, suffix), backups.resolve(CURRENT + "-" + stamp + tag + ".db" + suffix));
            }
        }
        prune(backups);
    }

    /** Keeps the newest {@value #KEPT_BACKUPS} backtest backups (names sort by time). */
    static void prune(Path backups) throws IOException {
        prune(backups, CURRENT + "-*.db", KEPT_BACKUPS);
        try (DirectoryStream<Path> orphans = Files.newDirectoryStream(backups, CURRENT + "-*.db-*")) {
            for (Path wal : orphans) {
                String name = wal.getFileName().toString();
                if (!Files.exists(wal.resolveSibling(name.substring(0, name.lastIndexOf(".db-") + 3)))) {
                    Files.delete(wal);
                }
            }
        }
    }

    /**
     * @param folder a backups folder
     * @param glob   the backups of one kind, whose names sort by time
     * @param kept   how many of the newest to keep; older files or folders are deleted
     */
    static void prune(Path folder, String glob, int kept) throws IOException {
        List<Path> all = new ArrayList<>();
        try (DirectoryStream<Path> files = Files.newDirectoryStream(folder, glob)) {
            files.forEach(all::add);
        }
        all.sort(Comparator.comparing((Path p) -> p.getFileName().toString()).reversed());
        for (Path old : all.subList(Math.min(kept, all.size()), all.size())) {
            deleteTree(old);
        }
    }

    /** A copy of a feature's database files, taken before a command runs on them. */
    static final class Snapshot {
        private final List<Path[]> copies = new ArrayList<>();
        private final List<Path> absent = new ArrayList<>();

        /** Puts the database files back as they were (the runtime has closed them). */
        void restore() throws IOException {
            for (Path[] c : copies) {
                Files.copy(c[1], c[0], StandardCopyOption.REPLACE_EXISTING);
            }
            for (Path p : absent) {
                Files.deleteIfExists(p);
            }
            discard();
        }

        void discard() throws IOException {
            for (Path[] c : copies) {
                Files.deleteIfExists(c[1]);
            }
        }
    }

    /**
     * @param db      the data folder
     * @param feature the feature, whose database profile ({@code backtest}) a command runs on
     * @return a copy of {@code DIR/<profile>.db} and its WAL files, in this process's scratch folder
     */
    static Snapshot snapshot(Path db, String feature) throws IOException {
        Snapshot s = new Snapshot();
        Path saved = scratch().resolve("snapshot");
        Files.createDirectories(saved);
        for (String suffix : SUFFIXES) {
            Path file = db.resolve(feature + ".db" + suffix);
            if (Files.exists(file)) {
                Path copy = saved.resolve(file.getFileName());
                Files.copy(file, copy, StandardCopyOption.REPLACE_EXISTING);
                s.copies.add(new Path[] {file, copy});
            } else {
                s.absent.add(file);
            }
        }
        return s;
    }

    /** @return this process's folder outside the data folder (framework cache, a backtest's log), removed at exit */
    static synchronized Path scratch() throws IOException {
        if (scratch == null) {
            Path tmp = Path.of(System.getProperty("java.io.tmpdir"));
            sweepScratch(tmp);
            Path dir = Files.createTempDirectory(tmp, SCRATCH_PREFIX + ProcessHandle.current().pid() + "-");
            // a failed launch keeps its log (printed with the error); the framework cache and a snapshot always go
            java.lang.Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                if (failed) {
                    deleteAllBut(dir, LOG);
                } else {
                    deleteTree(dir);
                }
            }));
            scratch = dir;
        }
        return scratch;
    }

    private static final String SCRATCH_PREFIX = "autotrade-";
    private static final String LOG = "autotrade.log";

    /**
     * The scratch folders of processes that are gone (killed: no exit hook ran) lose all but their log, which a user
     * may still read; those a week old go whole. A process's folder is {@code autotrade-<pid>-<random>}.
     *
     * @param tmp the folder they are in
     */
    static void sweepScratch(Path tmp) {
        long weekAgo = System.currentTimeMillis() - java.util.concurrent.TimeUnit.DAYS.toMillis(7);
        try (java.util.stream.Stream<Path> all = Files.list(tmp)) {
            for (Path d : all.filter(RunFolder::scratchOfGoneProcess).toList()) {
                if (Files.getLastModifiedTime(d).toMillis() < weekAgo) {
                    deleteTree(d);
                } else {
                    deleteAllBut(d, LOG);
                }
            }
        } catch (IOException | RuntimeException e) {
            // another process is sweeping too, or the folder cannot be listed: what is left costs disk space only
        }
    }

    /** @return whether the folder is a scratch folder named after a process that has ended */
    private static boolean scratchOfGoneProcess(Path dir) {
        String name = dir.getFileName().toString();
        if (!name.startsWith(SCRATCH_PREFIX) || !Files.isDirectory(dir)) {
            return false;
        }
        String rest = name.substring(SCRATCH_PREFIX.length());
        int dash = rest.indexOf('-');
        try {
            return dash > 0 && ProcessHandle.of(Long.parseLong(rest.substring(0, dash))).isEmpty();
        } catch (NumberFormatException e) {
            return false; // autotrade-bundles-..., autotrade-felix-...: not a scratch folder
        }
    }

    /** Deletes what the folder holds except the file of that name. */
    private static void deleteAllBut(Path dir, String keep) {
        try (java.util.stream.Stream<Path> entries = Files.list(dir)) {
            entries.filter(e -> !e.getFileName().toString().equals(keep)).forEach(RunFolder::deleteTree);
        } catch (IOException | RuntimeException e) {
            // gone already, or not readable: disk space only
        }
    }

    private static volatile boolean failed;

    /** Linux's memory-backed folder: the framework cache there is written without touching the disk. */
    private static final Path MEMORY = Path.of("/dev/shm");
    private static final String CACHE_PREFIX = "autotrade-felix-";

    /**
     * The folder of this process's framework cache (Felix writes a few small files per bundle at every install: on a
     * disk that is a tenth of a start-up). In {@code /dev/shm} when it is a writable folder, named after this process
     * and removed at exit, the caches of processes that are gone (killed) removed first; else in {@link #scratch}.
     *
     * @return the folder for {@code org.osgi.framework.storage}
     * @throws IOException if no folder can be made
     */
    static Path frameworkCache() throws IOException {
        if (!Files.isDirectory(MEMORY) || !Files.isWritable(MEMORY)) {
            return scratch().resolve("felix-cache");
        }
        try (java.util.stream.Stream<Path> all = Files.list(MEMORY)) {
            all.filter(d -> d.getFileName().toString().startsWith(CACHE_PREFIX)).filter(RunFolder::ownerGone)
                    .forEach(RunFolder::deleteTree);
        } catch (IOException | RuntimeException e) {
            // another process is sweeping too, or the folder cannot be listed: nothing of ours
        }
        Path dir = Files.createTempDirectory(MEMORY, CACHE_PREFIX + ProcessHandle.current().pid() + "-");
        java.lang.Runtime.getRuntime().addShutdownHook(new Thread(() -> deleteTree(dir)));
        return dir.resolve("felix-cache");
    }

    /** @return whether the process a framework cache folder is named after has ended */
    private static boolean ownerGone(Path cache) {
        String name = cache.getFileName().toString().substring(CACHE_PREFIX.length());
        int dash = name.indexOf('-');
        try {
            return dash > 0 && ProcessHandle.of(Long.parseLong(name.substring(0, dash))).isEmpty();
        } catch (NumberFormatException e) {
            return false;
        }
    }

    /** @return the log file of the runtime started last, or null */
    static Path lastLog() {
        return lastLog;
    }

    static void lastLog(Path log) {
        lastLog = log;
    }

    /**
     * Appends a launch failure's stack trace to the log (which is then kept, outside the data folder for a
     * backtest).
     */
    static void logStackTrace(Path log, Throwable error) {
        failed = true;
        if (log == null) {
            return;
        }
        StringWriter text = new StringWriter();
        error.printStackTrace(new PrintWriter(text));
        try {
            Files.writeString(log, "launch failed:" + System.lineSeparator() + text, StandardCharsets.UTF_8,
                    StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        } catch (IOException ignored) {
            // the one-line message was printed; the log is extra
        }
    }

    static void deleteTree(Path root) {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(root)) {
            walk.sorted(Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.deleteIfExists(p);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** @throws IllegalArgumentException unless the file exists and can be read */
    static void checkReadable(String option, Path file) {
        if (!Files.exists(file)) {
            throw new IllegalArgumentException(option + " " + file + ": no such file");
        }
        if (Files.isDirectory(file)) {
            throw new IllegalArgumentException(option + " " + file + " is a folder, not a candle file");
        }
        if (!Files.isReadable(file)) {
            throw new IllegalArgumentException(option + " " + file + " cannot be read (permissions)");
        }
    }

    /** @throws IllegalArgumentException unless the data folder exists (a command reads what a run stored) */
    static void checkExists(Path db) {
        if (!Files.isDirectory(db)) {
            throw new IllegalArgumentException("the data folder " + db.toAbsolutePath() + " does not exist: run a backtest"
                    + " first, or name the folder with --db");
        }
        checkWritable("--db", db);
    }

    /**
     * Checks that a folder, or the nearest folder above it that exists, takes new files, by creating and
     * removing one (permissions alone say nothing for root, or on a read-only file system).
     *
     * @throws IllegalArgumentException naming the folder and why
     */
    static void checkWritable(String option, Path folder) {
        Path existing = folder.toAbsolutePath();
        while (existing != null && !Files.exists(existing)) {
            existing = existing.getParent();
        }
        if (existing == null) {
            throw new IllegalArgumentException(option + " " + folder + ": no part of the path exists");
        }
        if (!Files.isDirectory(existing)) {
            throw new IllegalArgumentException(option + " " + folder + ": " + existing + " is a file, not a folder");
        }
        try {
            Path probe = Files.createTempFile(existing, ".autotrade-probe", ".tmp");
            Files.delete(probe);
        } catch (IOException e) {
            String why = e instanceof java.nio.file.AccessDeniedException ? "permission denied"
                    : e instanceof java.nio.file.FileSystemException f && f.getReason() != null ? f.getReason()
                    : "it takes no new files";
            throw new IllegalArgumentException(option + " " + folder + ": cannot write in " + existing + " (" + why
                    + "); autotrade keeps its databases there: choose another folder with --db");
        }
    }

    /**
     * The upbit-live feature trades with the API keys from the environment (or the adapter's etc file).
     *
     * @throws IllegalArgumentException naming the missing variables
     */
    static void checkUpbitKeys(Path db) {
        Properties etc = new Properties();
        Path cfg = db.resolve("etc").resolve("io.autotrade.exchange.upbit.cfg");
        if (Files.isReadable(cfg)) {
            try (var in = Files.newInputStream(cfg)) {
                etc.load(in);
            } catch (IOException e) {
                throw new IllegalArgumentException("cannot read " + cfg + ": " + e.getMessage());
            }
        }
        List<String> missing = new ArrayList<>();
        if (blank(System.getenv("UPBIT_ACCESS_KEY")) && blank(etc.getProperty("access.key"))) {
            missing.add("UPBIT_ACCESS_KEY");
        }
        if (blank(System.getenv("UPBIT_SECRET_KEY")) && blank(etc.getProperty("secret.key"))) {
            missing.add("UPBIT_SECRET_KEY");
        }
        if (!missing.isEmpty()) {
            throw new IllegalArgumentException("--feature upbit-live trades with your Upbit API keys: set "
                    + String.join(" and ", missing) + " in the environment (README, \"Going live on Upbit\")");
        }
        String secret = blank(System.getenv("UPBIT_SECRET_KEY")) ? etc.getProperty("secret.key") : System.getenv("UPBIT_SECRET_KEY");
        int bytes = secret.strip().getBytes(StandardCharsets.UTF_8).length;
        if (bytes < MIN_SECRET_BYTES) {
            // RFC 7518, 3.2: an HS256 key must be at least as long as the hash output (256 bits)
            throw new IllegalArgumentException("the Upbit secret key is " + bytes + " bytes long, too short to sign the"
                    + " HS256 tokens Upbit requires (at least " + MIN_SECRET_BYTES + "; Upbit's secret keys have 40"
                    + " characters): copy it again, whole");
        }
    }

    private static boolean blank(String s) {
        return s == null || s.isBlank();
    }
}
