package io.autotrade.launcher;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardCopyOption;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code java -jar autotrade.jar [options]}: with no options, backtests the RSI strategy on the bundled
 * KRW-BTC daily candles and prints the report. See {@link #USAGE}.
 */
public final class Main {
    static final String DEFAULT_SAMPLE = "KRW-BTC_day_2024-10-15_2025-10-14.csv";
    static final String USAGE = """
            usage: java -jar autotrade.jar [options]

              (no options)               backtest the RSI strategy on the bundled KRW-BTC daily candles
              --data FILE                candle file to backtest (pyupbit CSV, Date,Open,... CSV, Upbit REST CSV/JSON,
                                         open_time,... CSV with UTC offsets); default: the bundled sample
              --market CODE              market, when the file names none (e.g. USDT-BTC)
              --strategy NAME            rsi (default), macross, or a strategy component's factory PID
              --strategy-config K=V      strategy setting, repeatable: rsi period, oversold, overbought; macross
                                         fast.period, slow.period, ma.type (SMA|EMA); both order.amount
              --risk K=V                 risk limit for the run, repeatable (min.order.total, max.order.notional,
                                         max.open.orders, max.position.notional, max.total.exposure,
                                         daily.loss.limit, cooldown.after.loss.minutes; 0 = off)
              --cash AMOUNT              initial cash in the quote currency (default 10000000)
              --db DIR                   data folder for the SQLite databases (default ./autotrade-data)
              --report FILE.json         JSON report (default DIR/backtest-report.json)
              --html FILE.html           HTML report with charts, metrics and trades (default DIR/backtest-report.html)
              --compare K=V1,V2,...      run every combination of these strategy settings (repeatable), each in
                                         DIR/compare/run-N with its own reports, then print them ranked by total
                                         return and write DIR/compare/compare.html linking each run's report
              --feature NAME             backtest (default), paper or upbit-live: paper and upbit-live keep
                                         running with the Gogo shell, which reads commands from the terminal
                                         or a pipe (upbit-live trades real money: README "Going live")
              -c "COMMAND"               run one shell command against the stored database and exit,
                                         e.g. -c "trade:orders"
              --help                     this text
            """;

    private Main() {
    }

    /**
     * @param args command-line options, see {@link #USAGE}
     */
    public static void main(String[] args) {
        System.exit(run(args));
    }

    /**
     * @param args command-line options
     * @return the process exit code: 0 done, 1 failed, 2 bad usage
     */
    public static int run(String[] args) {
        // the HTML report draws its charts with AWT: never look for a display
        System.setProperty("java.awt.headless", "true");
        Options options;
        try {
            options = Options.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println("autotrade: " + e.getMessage());
            System.err.print(USAGE);
            return 2;
        }
        if (options.help) {
            System.out.print(USAGE);
            return 0;
        }
        try {
            return options.feature.equals("backtest") ? command(options) : interactive(options);
        } catch (Exception e) {
            System.err.println("autotrade: " + describe(e));
            return 1;
        }
    }

    static String describe(Throwable e) {
        StringBuilder text = new StringBuilder(e.getMessage() == null ? e.toString() : e.getMessage());
        for (Throwable cause = e.getCause(); cause != null && cause != cause.getCause(); cause = cause.getCause()) {
            if (cause.getMessage() != null && !text.toString().contains(cause.getMessage())) {
                text.append(System.lineSeparator()).append("  caused by: ").append(cause.getMessage());
            }
        }
        return text.toString();
    }

    private static int command(Options options) throws Exception {
        if (!options.compare.isEmpty()) {
            return Compare.run(options, System.out);
        }
        Path db = options.db.toAbsolutePath();
        if (options.command != null) {
            execute(options.feature, db, options.command, System.out);
            return 0;
        }
        Path[] reports = backtest(options, db, options.strategyConfig, System.out);
        System.out.println("JSON report: " + reports[0]);
        System.out.println("HTML report: " + reports[1]);
        return 0;
    }

    /**
     * Runs one backtest in a fresh runtime on an empty database in {@code db}.
     *
     * @return the JSON and the HTML report files
     */
    static Path[] backtest(Options options, Path db, List<String> strategyConfig, PrintStream out) throws Exception {
        Files.createDirectories(db);
        Path data = options.data != null ? options.data : extractSample(db);
        Path report = (options.report != null ? options.report : db.resolve("backtest-report.json")).toAbsolutePath();
        Path html = (options.html != null ? options.html : db.resolve("backtest-report.html")).toAbsolutePath();
        archivePreviousBacktest(db);
        List<String> words = new ArrayList<>(List.of("trade:backtest", "--data", quote(data.toAbsolutePath().toString()),
                "--cash", quote(options.cash), "--report", quote(report.toString()), "--html", quote(html.toString())));
        if (options.market != null) {
            words.addAll(List.of("--market", quote(options.market)));
        }
        words.addAll(List.of("--strategy", quote(options.strategy)));
        strategyConfig.forEach(kv -> words.add(quote(kv)));
        options.risk.forEach(kv -> words.add(quote("risk." + kv)));
        execute(options.feature, db, String.join(" ", words), out);
        return new Path[] {report, html};
    }

    private static void execute(String feature, Path db, String line, PrintStream out) throws Exception {
        try (Runtime runtime = Runtime.start(Feature.load(feature), frameworkProperties(db, feature))) {
            Object result = runtime.execute(line, out);
            if (result != null) {
                out.println(result);
            }
        }
    }

    /** A feature that keeps running with the Gogo shell: {@code paper}, {@code upbit-live}. */
    private static int interactive(Options options) throws Exception {
        if (options.data != null || options.command != null) {
            throw new IllegalArgumentException("--feature " + options.feature + " runs the interactive shell; use trade:backtest"
                    + " (paper) or trade:replay there");
        }
        Path db = options.db.toAbsolutePath();
        Map<String, String> properties = frameworkProperties(db, options.feature);
        try (Runtime runtime = Runtime.start(Feature.load(options.feature), properties)) {
            runtime.awaitStop();
        }
        return 0;
    }

    private static Map<String, String> frameworkProperties(Path db, String feature) {
        Map<String, String> p = new HashMap<>();
        p.put("org.osgi.framework.storage", db.resolve("felix-cache").resolve(feature).toString());
        p.put("autotrade.data.dir", db.toString());
        return p;
    }

    /** Gogo quoting: single quotes make a literal string. */
    static String quote(String word) {
        if (word.contains("'")) {
            throw new IllegalArgumentException("arguments must not contain a single quote: " + word);
        }
        return "'" + word + "'";
    }

    private static Path extractSample(Path db) throws IOException {
        Path target = db.resolve("samples").resolve(DEFAULT_SAMPLE);
        Files.createDirectories(target.getParent());
        try (InputStream in = EmbeddedBundles.open("samples/" + DEFAULT_SAMPLE)) {
            Files.copy(in, target, StandardCopyOption.REPLACE_EXISTING);
        }
        return target;
    }

    /** A backtest starts from an empty book: the previous run's database is kept under a new name, never deleted. */
    private static void archivePreviousBacktest(Path db) throws IOException {
        Path current = db.resolve("backtest.db");
        if (!Files.exists(current)) {
            return;
        }
        String stamp = LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss-SSS"));
        for (String suffix : new String[] {"", "-wal", "-shm"}) {
            Path file = db.resolve("backtest.db" + suffix);
            if (Files.exists(file)) {
                Files.move(file, db.resolve("backtest-" + stamp + ".db" + suffix));
            }
        }
    }

    /** Parsed command-line options. */
    static final class Options {
        String feature = "backtest";
        Path data;
        String market;
        String strategy = "rsi";
        List<String> strategyConfig = new ArrayList<>();
        List<String> risk = new ArrayList<>();
        String cash = "10000000";
        Path db = Paths.get("autotrade-data");
        Path report;
        Path html;
        List<String> compare = new ArrayList<>();
        String command;
        boolean help;

        static Options parse(String[] args) {
            Options o = new Options();
            for (int i = 0; i < args.length; i++) {
                String arg = args[i];
                switch (arg) {
                    case "--help", "-h" -> o.help = true;
                    case "--feature" -> o.feature = value(args, ++i, arg);
                    case "--data" -> o.data = Paths.get(value(args, ++i, arg));
                    case "--market" -> o.market = value(args, ++i, arg);
                    case "--strategy" -> o.strategy = value(args, ++i, arg);
                    case "--strategy-config" -> o.strategyConfig.add(keyValue(args, ++i, arg, "key=value"));
                    case "--risk" -> o.risk.add(keyValue(args, ++i, arg, "key=value"));
                    case "--cash" -> o.cash = value(args, ++i, arg);
                    case "--db" -> o.db = Paths.get(value(args, ++i, arg));
                    case "--report" -> o.report = Paths.get(value(args, ++i, arg));
                    case "--html" -> o.html = Paths.get(value(args, ++i, arg));
                    case "--compare" -> o.compare.add(keyValue(args, ++i, arg, "key=v1,v2,..."));
                    case "-c" -> o.command = value(args, ++i, arg);
                    default -> throw new IllegalArgumentException("unknown option '" + arg + "'");
                }
            }
            return o;
        }

        /** @return the option's value, which must have a key before an '=' */
        private static String keyValue(String[] args, int i, String option, String shape) {
            String kv = value(args, i, option);
            if (kv.indexOf('=') <= 0) {
                throw new IllegalArgumentException(option + " takes " + shape + ", was '" + kv + "'");
            }
            return kv;
        }

        private static String value(String[] args, int i, String option) {
            if (i >= args.length || args[i].startsWith("--")) {
                throw new IllegalArgumentException(option + " needs a value");
            }
            return args[i];
        }
    }
}
