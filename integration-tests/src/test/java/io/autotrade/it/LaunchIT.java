package io.autotrade.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The launcher as a user runs it: {@code java -jar autotrade.jar} with no JVM flag. Every bad launch
 * prints one sentence (no stack trace, no JVM warning), exits non-zero and leaves the data folder
 * byte-identical, with no new backup; the README's paper-trading script trades both markets and its
 * instances survive a restart.
 */
class LaunchIT {
    private static final Path JAR = Paths.get("../launcher/target/autotrade.jar").toAbsolutePath();
    private static final Path SAMPLES = Paths.get(System.getProperty("autotrade.samples", "../data")).toAbsolutePath();
    private static final Path README = Paths.get("../README.md").toAbsolutePath();

    @TempDir
    static Path dir;
    private static Path db;

    /** What a launch printed and how it ended. */
    record Run(int exit, String out, String err) {
        String all() {
            return out + err;
        }
    }

    static Run launch(Path workDir, String stdin, Map<String, String> env, String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(Paths.get(System.getProperty("java.home"), "bin", "java").toString(),
                "-jar", JAR.toString()));
        command.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(command).directory(workDir.toFile());
        pb.environment().remove("UPBIT_ACCESS_KEY");
        pb.environment().remove("UPBIT_SECRET_KEY");
        pb.environment().putAll(env);
        Path out = Files.createTempFile(dir, "out", ".txt");
        Path err = Files.createTempFile(dir, "err", ".txt");
        pb.redirectOutput(out.toFile()).redirectError(err.toFile());
        Process p = pb.start();
        try (var in = p.getOutputStream()) {
            in.write(stdin.getBytes(StandardCharsets.UTF_8));
        }
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), "the launch ended: " + String.join(" ", args));
        return new Run(p.exitValue(), Files.readString(out), Files.readString(err));
    }

    /** @return every file below the folder with its SHA-256 */
    static Map<String, String> snapshot(Path folder) throws Exception {
        Map<String, String> files = new TreeMap<>();
        MessageDigest sha = MessageDigest.getInstance("SHA-256");
        try (Stream<Path> walk = Files.walk(folder)) {
            for (Path p : walk.filter(Files::isRegularFile).toList()) {
                files.put(folder.relativize(p).toString(), HexFormat.of().formatHex(sha.digest(Files.readAllBytes(p))));
            }
        }
        return files;
    }

    static void assertClean(Run run) {
        assertFalse(run.all().contains("WARNING"), "no JVM warning:\n" + run.all());
        assertFalse(run.all().contains("\tat "), "no stack trace:\n" + run.all());
        assertFalse(run.all().contains("Exception:"), "no exception class names:\n" + run.all());
    }

    @BeforeAll
    static void aBacktestToKeep() throws Exception {
        db = dir.resolve("data");
        Run first = launch(dir, "", Map.of(), "--db", db.toString());
        assertEquals(0, first.exit(), first.all());
        assertClean(first);
        Files.writeString(dir.resolve("out-of-order.csv"), "open_time,open,high,low,close,volume\n"
                + "2023-03-01 00:00:00+00:00,1,2,0.5,1.5,10\n2023-03-01 00:02:00+00:00,1,2,0.5,1.5,10\n"
                + "2023-03-01 00:01:00+00:00,1,2,0.5,1.5,10\n");
        Files.writeString(dir.resolve("a-file"), "not a folder");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            cash not a number      | 2 | --cash abc                           | --cash 'abc' is not a number
            cash not positive      | 2 | --cash 0                             | --cash must be more than 0, was '0'
            unknown option         | 2 | --casj 10                            | unknown option '--casj'
            missing candle file    | 2 | --data no-such.csv                   | --data no-such.csv: no such file
            unknown strategy       | 1 | --strategy nope                      | unknown strategy 'nope': this runtime has macross, rsi
            unknown setting        | 1 | --strategy-config peroid=10          | 'peroid' is not a setting of io.autotrade.strategy.rsi (settings: market, max.holding, order.amount, order.smp.type, order.time.in.force, order.type, overbought, oversold, period, risk.per.trade, roi, stop.loss, strategy.id, take.profit, trailing.stop)
            malformed setting      | 1 | --strategy-config period=abc         | period = 'abc' is refused
            unknown risk limit     | 1 | --risk max.bogus=1                   | unknown risk setting 'max.bogus'
            contradicted market    | 1 | --market USDT-BTC                    | the file's name says KRW-BTC but market USDT-BTC was asked for
            malformed market       | 2 | --market btc                         | --market 'btc' is not a market code
            out-of-order candles   | 1 | --data ../out-of-order.csv --market KRW-BTC | out-of-order.csv:4: candle opening at 2023-03-01T00:01:00Z is out of order
            command that fails     | 1 | -c 'trade:cancel no-such-order'      | no order no-such-order
            unknown command        | 1 | -c 'trade:nothing'                   | Command not found: trade:nothing
            upbit-live without keys | 2 | --feature upbit-live                | set UPBIT_ACCESS_KEY and UPBIT_SECRET_KEY in the environment
            unknown feature        | 2 | --feature nope                       | no feature 'nope' in this launcher
            comparison that fails  | 1 | --compare period=7,14 --strategy nope | unknown strategy 'nope'
            nothing to resume      | 2 | --resume                             | --resume: there is no interrupted backtest in
            resume with a command  | 2 | --resume -c 'trade:orders'           | --resume continues one interrupted backtest
            """)
    void aBadLaunchSaysOneSentenceExitsNonZeroAndChangesNothing(String what, int exit, String args, String message)
            throws Exception {
        Map<String, String> before = snapshot(db);
        List<String> words = new ArrayList<>(List.of("--db", db.toString()));
        words.addAll(split(args));
        Run run = launch(db, "", Map.of(), words.toArray(String[]::new));
        assertEquals(exit, run.exit(), what + ": " + run.all());
        assertTrue(run.err().contains(message), what + ": expected '" + message + "' in\n" + run.err());
        assertTrue(run.err().startsWith("autotrade: "), what + ": one sentence first:\n" + run.err());
        assertClean(run);
        assertEquals(before, snapshot(db), what + ": the data folder is byte-identical");
    }

    @Test
    void aDataFolderThatCannotBeWrittenOrReadIsNamed() throws Exception {
        Run file = launch(dir, "", Map.of(), "--db", dir.resolve("a-file").resolve("data").toString());
        assertEquals(2, file.exit(), file.all());
        assertTrue(file.err().contains("a-file is a file, not a folder"), file.err());
        Run proc = launch(dir, "", Map.of(), "--db", "/proc/autotrade");
        assertEquals(2, proc.exit(), proc.all());
        assertTrue(proc.err().contains("--db /proc/autotrade: cannot write in /proc"), proc.err());
        Run missing = launch(dir, "", Map.of(), "--db", dir.resolve("never-made").toString(), "-c", "trade:orders");
        assertEquals(2, missing.exit(), missing.all());
        assertTrue(missing.err().contains("never-made does not exist: run a backtest first"), missing.err());
        assertFalse(Files.exists(dir.resolve("never-made")), "nothing created");
        Run secret = launch(dir, "stop 0\n", Map.of("UPBIT_ACCESS_KEY", "a", "UPBIT_SECRET_KEY", "too-short"),
                "--db", dir.resolve("live").toString(), "--feature", "upbit-live");
        assertEquals(2, secret.exit(), secret.all());
        assertTrue(secret.err().contains("the Upbit secret key is 9 bytes long, too short to sign the HS256 tokens"), secret.err());
        for (Run r : List.of(file, proc, missing, secret)) {
            assertClean(r);
        }
    }

    /** This kind of machine's default java is 17: run with it, the jar says what it needs in one sentence. */
    @Test
    void anOlderJavaIsToldWhichJavaItNeeds() throws Exception {
        Path java17 = Paths.get("/usr/lib/jvm/java-17-openjdk-amd64/bin/java");
        org.junit.jupiter.api.Assumptions.assumeTrue(Files.isExecutable(java17), "no JDK 17 here to try the jar with");
        Process p = new ProcessBuilder(java17.toString(), "-jar", JAR.toString()).redirectErrorStream(true).start();
        String said = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(30, TimeUnit.SECONDS));
        assertEquals(2, p.exitValue(), said);
        assertTrue(said.startsWith("autotrade: needs Java 21 or newer, but this is Java 17"), said);
        assertClean(new Run(p.exitValue(), said, ""));
    }

    @Test
    void aFailedRunInANewFolderLeavesNoFolderAndTheLastGoodRunStaysQueryable() throws Exception {
        Path fresh = dir.resolve("fresh");
        Run failed = launch(dir, "", Map.of(), "--db", fresh.toString(), "--strategy", "nope");
        assertEquals(1, failed.exit(), failed.all());
        assertFalse(Files.exists(fresh), "a failed launch leaves no data folder behind");
        Run orders = launch(dir, "", Map.of(), "--db", db.toString(), "-c", "trade:orders");
        assertEquals(0, orders.exit(), orders.all());
        assertTrue(orders.out().contains("FILLED"), "the kept backtest's orders:\n" + orders.out());
    }

    @Test
    void aNewBacktestKeepsTheOldOneAsABoundedBackup() throws Exception {
        Path folder = dir.resolve("backups-test");
        for (int i = 0; i < 7; i++) {
            Run run = launch(dir, "", Map.of(), "--db", folder.toString(), "--data",
                    SAMPLES.resolve("upbit/KRW-NEO_day_2024-01-01_2024-07.csv").toString(), "--strategy", "macross");
            assertEquals(0, run.exit(), run.all());
        }
        try (Stream<Path> backups = Files.list(folder.resolve("backups"))) {
            assertEquals(5, backups.filter(p -> p.toString().endsWith(".db")).count(), "the newest five are kept");
        }
        assertFalse(Files.exists(folder.resolve("backtest-next.db")));
    }

    @Test
    void aUsdtBacktestUsesUsdtDefaultsAndLimits() throws Exception {
        Run run = launch(dir, "", Map.of(), "--db", dir.resolve("usdt").toString(), "--data",
                SAMPLES.resolve("binance/BTCUSDT_1m_2023-03-01_2023-03-10.csv").toString(), "--market", "USDT-BTC",
                "--cash", "10000");
        assertEquals(0, run.exit(), run.all());
        assertClean(run);
        assertTrue(run.out().contains("order.amount                 1000 USDT (default: 10% of the initial cash)"), run.out());
        assertTrue(run.out().contains("max.order.notional           5000 USDT"), run.out());
        assertTrue(run.out().contains("rejected orders            0"), run.out());
        assertTrue(run.out().contains("not given: the data spans 10 days"), run.out());
        assertFalse(run.out().contains("KRW"), "no KRW figure on a USDT market:\n" + run.out());
    }

    /** The README's paper-trading block, run as written through the shell, then a restart. */
    @Test
    void theReadmePaperScriptTradesBothMarketsAndItsInstancesSurviveARestart() throws Exception {
        String readme = Files.readString(README);
        int start = readme.indexOf("```", readme.indexOf("Paper trading several strategies"));
        String block = readme.substring(readme.indexOf('\n', start) + 1, readme.indexOf("```", start + 3));
        assertTrue(block.contains("trade:replay"), block);
        Path paper = dir.resolve("paper");
        Path repo = README.getParent();
        Run first = launch(repo, block + "trade:orders\nstop 0\n", Map.of(), "--feature", "paper", "--db", paper.toString());
        assertEquals(0, first.exit(), first.all());
        assertClean(first);
        List<String> filled = first.out().lines().filter(l -> l.contains("FILLED")).toList();
        assertTrue(filled.stream().anyMatch(l -> l.contains("KRW-BTC")), "a filled KRW-BTC order:\n" + first.out());
        assertTrue(filled.stream().anyMatch(l -> l.contains("KRW-NEO")), "a filled KRW-NEO order:\n" + first.out());
        assertTrue(first.out().contains("KRW-BTC  0.01119933"), "the KRW-BTC position:\n" + first.out());

        Run second = launch(repo, "trade:strategies\nhelp\nhelp trade:orders\nstop 0\n", Map.of(), "--feature", "paper", "--db", paper.toString());
        assertEquals(0, second.exit(), second.all());
        assertTrue(second.out().contains("rsi-KRW-BTC      KRW-BTC  {market=KRW-BTC, order.amount=1000000, overbought=70,"
                + " oversold=30, period=14}"), second.out());
        assertTrue(second.out().contains("macross-KRW-NEO  KRW-NEO  {fast.period=10"), second.out());
        assertTrue(second.out().contains("trade:orders      list orders, oldest first"), "help describes each command:\n"
                + second.out());
        assertTrue(second.out().contains("--open   only orders not yet final"), "help NAME gives the options:\n" + second.out());
        assertTrue(second.out().contains("example: trade:orders --open"), "and an example:\n" + second.out());
    }

    @Test
    void aGarbageCfgFileIsRefusedNamingFileLineAndKey() throws Exception {
        Path paper = dir.resolve("etc-test");
        Files.createDirectories(paper.resolve("etc"));
        Files.writeString(paper.resolve("etc").resolve("io.autotrade.strategy.rsi-x.cfg"),
                "market = KRW-BTC\nperoid = 3\n\u0001\u0002garbage\n", StandardCharsets.ISO_8859_1);
        Path err = dir.resolve("etc-test.err");
        Process p = new ProcessBuilder(Paths.get(System.getProperty("java.home"), "bin", "java").toString(), "-jar",
                JAR.toString(), "--feature", "paper", "--db", paper.toString())
                .redirectError(err.toFile()).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        String refused = "etc/io.autotrade.strategy.rsi-x.cfg is not applied";
        long deadline = System.currentTimeMillis() + 60_000;
        while (!Files.readString(err).contains(refused) && System.currentTimeMillis() < deadline && p.isAlive()) {
            Thread.sleep(100); // FileInstall reads etc/ once the runtime is up
        }
        try (var in = p.getOutputStream()) {
            in.write("trade:status\nstop 0\n".getBytes(StandardCharsets.UTF_8));
        }
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        String text = Files.readString(err);
        assertClean(new Run(p.exitValue(), "", text));
        assertTrue(text.contains(refused), text);
        assertTrue(text.contains("etc/io.autotrade.strategy.rsi-x.cfg line 2: 'peroid' is not a setting of"
                + " io.autotrade.strategy.rsi (settings: market, max.holding, order.amount"), text);
        assertTrue(text.contains("etc/io.autotrade.strategy.rsi-x.cfg line 3: '\u0001\u0002garbage' is not a setting"), text);
    }

    private static List<String> split(String args) {
        List<String> words = new ArrayList<>();
        StringBuilder word = new StringBuilder();
        boolean quoted = false;
        for (char c : args.strip().toCharArray()) {
            if (c == '\'') {
                quoted = !quoted;
            } else if (c == ' ' && !quoted) {
                if (!word.isEmpty()) {
                    words.add(word.toString());
                    word.setLength(0);
                }
            } else {
                word.append(c);
            }
        }
        if (!word.isEmpty()) {
            words.add(word.toString());
        }
        return words;
    }
}
