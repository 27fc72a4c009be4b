package io.autotrade.launcher;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardCopyOption;
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
                                         (an amount, or a share of equity: 10%), risk.per.trade (with stop.loss)
              --exit K=V                 protective exit, repeatable: stop.loss, take.profit, trailing.stop
                                         (fractions of the entry price, e.g. 0.02), max.holding (PT12H),
                                         roi (MINUTES:FRACTION,...); also with --compare
              --risk K=V                 risk limit for the run, repeatable (min.order.total, max.order.notional,
                                         max.open.orders, max.position.notional, max.total.exposure,
                                         daily.loss.limit, cooldown.after.loss.minutes; 0 = off)
              --cash AMOUNT              initial cash in the quote currency (default KRW 10000000, USDT 10000,
                                         BTC 0.1); each buy spends 10% of it unless order.amount is set
              --db DIR                   data folder for the SQLite databases (default ./autotrade-data)
              --report FILE.json         JSON report (default DIR/backtest-report.json)
              --html FILE.html           HTML report with charts, metrics and trades (default DIR/backtest-report.html)
              --monte-carlo N            also draw the round trips N times at random with replacement and report the
                                         5/50/95th percentiles of final equity and max drawdown (e.g. 1000)
              --seed S                   seed of those draws (default 42; the same seed gives the same figures)
              --from T / --to T          trade the candles opening from T (ISO-8601) and replay none from --to on;
                                         the candles before --from only warm the strategy up
              --warm-up-from T           skip the candles opening before T (where the warm-up starts)
              --resume                   continue the backtest of DIR that was killed (DIR/backtest-next.db) with the
                                         same file and options, from its last checkpoint, instead of starting anew
              --walk-forward SPEC        train=P30D,test=P7D[,step=P7D][,anchored][,warmup=P30D]: per window, pick the
                                         best --compare combination on the train span by --objective and run it on the
                                         test span after it; writes DIR/walk-forward/walk-forward.html
              --objective NAME           sharpe (default), sortino, calmar, total_return or profit_factor
              --search N                 instead of every --compare combination, N of them (ranges: period=5..30,
                                         oversold=20..35:1), ranked by --objective; writes DIR/search/search.html
              --search-method NAME       random (default) or genetic (Jenetics); seeded by --seed
              --compare K=V1,V2,...      run every combination of these strategy settings (repeatable), each in
                                         DIR/compare/run-N with its own reports, in parallel (a JVM per run, as
                                         many at a time as processors), then print them ranked by total return
                                         and write DIR/compare/compare.html linking each run's report
              --feature NAME             backtest (default), paper or upbit-live: paper and upbit-live keep
                                         running with the Gogo shell, which reads commands from the terminal
                                         or a pipe (upbit-live trades real money: README "Going live")
              --http [HOST:]PORT|off     where paper and upbit-live serve the dashboard and REST API
                                         (default 127.0.0.1:8181; the token is in DIR/http.token)
              --http-public              allow --http on an address other than loopback (warns: the API is
                                         then reachable from the network, guarded by the token only)
              --check-lookahead          re-run on the data cut right after sampled signals (--check-points N, default
                                         10) and flag every signal that changes: look-ahead bias
              --check-warmup             run with the shortest and the longest warm-up and flag signals that differ
              --bundle JAR               install this bundle too (e.g. a strategy of your own), repeatable
              -c "COMMAND"               run one shell command against the stored database and exit,
                                         e.g. -c "trade:orders"
              --help                     this text
            """;

    /** The keys {@code --exit} takes: the strategy settings of the protective exits (api ExitRules.KEYS). */
    static final List<String> EXIT_KEYS = List.of("stop.loss", "take.profit", "trailing.stop", "max.holding", "roi");

    private Main() {
    }

    /**
     * @param args command-line options, see {@link #USAGE}
     */
    public static void main(String[] args) {
        System.exit(Relaunch.needed() ? Relaunch.run(args) : run(args));
    }

    /**
     * @param args command-line options
     * @return the process exit code: 0 done, 1 failed, 2 bad usage
     */
    public static int run(String[] args) {
        // the HTML report draws its charts with AWT: never look for a display
        System.setProperty("java.awt.headless", "true");
        Relaunch.watchParent();
        Options options;
        try {
            options = Options.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println("autotrade: " + e.getMessage());
            System.err.print(USAGE);
            return 2;
        }
        try {
            options.validate();
        } catch (IllegalArgumentException e) {
            System.err.println("autotrade: " + e.getMessage());
            return 2;
        }
        if (options.help) {
            System.out.print(USAGE);
            return 0;
        }
        try {
            return options.feature.equals("backtest") ? command(options) : interactive(options);
        } catch (Exception e) {
            Path log = RunFolder.lastLog();
            RunFolder.logStackTrace(log, e);
            System.err.println("autotrade: " + describe(e) + (log != null && Files.exists(log) ? System.lineSeparator()
                    + "  (details in " + log + ")" : ""));
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
        if (options.walkForward != null) {
            return WalkForward.run(options, System.out);
        }
        if (options.search != null) {
            return Search.run(options, System.out);
        }
        if (options.checkLookahead || options.checkWarmUp) {
            return BiasCheck.run(options, System.out);
        }
        if (!options.compare.isEmpty()) {
            return Compare.run(options, System.out);
        }
        Path db = options.db.toAbsolutePath();
        if (options.command != null) {
            // a command that fails leaves the database as it was: the runtime's start writes to it
            RunFolder.Snapshot before = RunFolder.snapshot(db, options.feature);
            try {
                execute(options.feature, db, null, options.command, System.out, options.bundles);
            } catch (Exception e) {
                before.restore();
                throw e;
            }
            before.discard();
            return 0;
        }
        Path[] reports = backtest(options, db, options.strategyConfig, System.out);
        System.out.println("JSON report: " + reports[0]);
        System.out.println("HTML report: " + reports[1]);
        return 0;
    }

    /**
     * Runs one backtest in a fresh runtime on a new database beside {@code DIR/backtest.db}, which it
     * replaces only once the run has succeeded (the replaced one goes to {@code DIR/backups/}, the newest
     * {@value RunFolder#KEPT_BACKUPS} kept). A run that fails leaves the folder as it was.
     *
     * @return the JSON and the HTML report files
     */
    static Path[] backtest(Options options, Path db, List<String> strategyConfig, PrintStream out) throws Exception {
        RunFolder folder = RunFolder.open(db, options.resume);
        boolean done = false;
        try {
            Path data = options.data != null ? options.data : extractSample(db);
            Path report = (options.report != null ? options.report : db.resolve("backtest-report.json")).toAbsolutePath();
            Path html = (options.html != null ? options.html : db.resolve("backtest-report.html")).toAbsolutePath();
            List<String> words = new ArrayList<>(List.of("trade:backtest", "--data", quote(data.toAbsolutePath().toString()),
                    "--report", quote(report.toString()), "--html", quote(html.toString())));
            if (options.cash != null) {
                words.addAll(List.of("--cash", quote(options.cash)));
            }
            if (options.market != null) {
                words.addAll(List.of("--market", quote(options.market)));
            }
            words.addAll(List.of("--strategy", quote(options.strategy)));
            if (options.monteCarlo != null) {
                words.addAll(List.of("--monte-carlo", options.monteCarlo));
            }
            if (options.seed != null) {
                words.addAll(List.of("--seed", options.seed));
            }
            for (String[] window : new String[][] {{"--from", options.from}, {"--to", options.to}, {"--warm-up-from", options.warmUpFrom}}) {
                if (window[1] != null) {
                    words.addAll(List.of(window[0], quote(window[1])));
                }
            }
            strategyConfig.forEach(kv -> words.add(quote(kv)));
            options.risk.forEach(kv -> words.add(quote("risk." + kv)));
            if (options.resume) {
                words.add("--resume");
            }
            execute(options.feature, db, RunFolder.STAGING_PROFILE, String.join(" ", words), out, options.bundles);
            folder.commit();
            done = true;
            return new Path[] {report, html};
        } finally {
            if (!done) {
                folder.rollback();
            }
        }
    }

    static void execute(String feature, Path db, String profile, String line, PrintStream out, List<Path> bundles) throws Exception {
        try (Runtime runtime = Runtime.start(Feature.load(feature), frameworkProperties(db, feature, profile), bundles)) {
            Object result = runtime.execute(line, out);
            if (result != null) {
                out.println(result);
            }
        }
    }

    /** A feature that keeps running with the Gogo shell: {@code paper}, {@code upbit-live}. */
    private static int interactive(Options options) throws Exception {
        Path db = options.db.toAbsolutePath();
        Files.createDirectories(db);
        Map<String, String> properties = frameworkProperties(db, options.feature, null);
        HttpEndpoint http = options.http();
        properties.putAll(http.frameworkProperties());
        if (http.enabled() && !http.loopback()) {
            System.err.println("autotrade: WARNING: the dashboard and REST API listen on " + http.host() + ":" + http.port()
                    + ", reachable from the network; anyone who has the token in " + db.resolve("http.token")
                    + " can trade through it. Plain HTTP: put a TLS proxy in front for anything but a trusted network.");
        }
        try (Runtime runtime = Runtime.start(Feature.load(options.feature), properties, options.bundles)) {
            runtime.awaitStop();
        }
        return 0;
    }

    private static Map<String, String> frameworkProperties(Path db, String feature, String profile) throws IOException {
        Map<String, String> p = new HashMap<>();
        Path scratch = RunFolder.scratch();
        // the framework cache is rebuilt at every launch (storage.clean=onFirstInit): it lives outside the data folder,
        // in memory where the system offers a folder there
        p.put("org.osgi.framework.storage", RunFolder.frameworkCache().toString());
        p.put("autotrade.data.dir", db.toString());
        // stack traces go to the log file, one line each to the console; a backtest's log stays outside the
        // data folder until the run has succeeded
        Path log = feature.equals("backtest") ? scratch.resolve("autotrade.log") : db.resolve("autotrade.log");
        p.put("autotrade.log.file", log.toString());
        RunFolder.lastLog(log);
        if (profile != null) {
            p.put("autotrade.db.profile", profile);
        }
        if (!feature.equals("backtest")) {
            // strategy instances and settings made from the shell survive a restart (the framework cache
            // is cleaned at every launch); one folder per feature, so paper instances never run live
            p.put("felix.cm.dir", db.resolve("config").resolve(feature).toString());
        }
        return p;
    }

    /** Gogo quoting: single quotes make a literal string. */
    static String quote(String word) {
        if (word.contains("'")) {
            throw new IllegalArgumentException("arguments must not contain a single quote: " + word);
        }
        return "'" + word + "'";
    }

    static Path extractSample(Path db) throws IOException {
        Path target = db.resolve("samples").resolve(DEFAULT_SAMPLE);
        Files.createDirectories(target.getParent());
        try (InputStream in = EmbeddedBundles.open("samples/" + DEFAULT_SAMPLE)) {
            Files.copy(in, target, StandardCopyOption.REPLACE_EXISTING);
        }
        return target;
    }

    /** Parsed command-line options. */
    static final class Options {
        String feature = "backtest";
        Path data;
        String market;
        String strategy = "rsi";
        List<String> strategyConfig = new ArrayList<>();
        List<String> risk = new ArrayList<>();
        String cash;
        Path db = Paths.get("autotrade-data");
        Path report;
        Path html;
        List<String> compare = new ArrayList<>();
        String command;
        boolean help;
        String monteCarlo;
        String seed;
        String from;
        String to;
        String warmUpFrom;
        String walkForward;
        String objective;
        String search;
        String searchMethod;
        List<Path> bundles = new ArrayList<>();
        boolean checkLookahead;
        /** Continue the interrupted backtest of the data folder ({@code backtest-next.db}) instead of a fresh one. */
        boolean resume;
        boolean checkWarmUp;
        String checkPoints;
        HttpEndpoint http;
        boolean httpPublic;

        /**
         * Checks everything that can be checked before a runtime starts: nothing is created, opened or
         * moved before this passes.
         *
         * @throws IllegalArgumentException naming the option and what is wrong with it
         */
        void validate() {
            if (help) {
                return;
            }
            Feature.load(feature);
            if (cash != null) {
                try {
                    if (new java.math.BigDecimal(cash.strip()).signum() <= 0) {
                        throw new IllegalArgumentException("--cash must be more than 0, was '" + cash + "'");
                    }
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException("--cash '" + cash + "' is not a number");
                }
            }
            if (market != null && !market.matches("[A-Z0-9]{2,10}-[A-Z0-9]{1,15}")) {
                throw new IllegalArgumentException("--market '" + market + "' is not a market code: quote currency, '-',"
                        + " coin, e.g. KRW-BTC or USDT-BTC");
            }
            if (data != null) {
                RunFolder.checkReadable("--data", data);
            }
            for (Path bundle : bundles) {
                RunFolder.checkReadable("--bundle", bundle);
            }
            if ((checkLookahead || checkWarmUp) && (walkForward != null || search != null)) {
                throw new IllegalArgumentException("--check-lookahead and --check-warmup check one strategy's settings (and each"
                        + " --compare combination); they do not go with --search or --walk-forward");
            }
            if (resume && (command != null || !compare.isEmpty() || walkForward != null || checkLookahead || checkWarmUp
                    || !feature.equals("backtest"))) {
                throw new IllegalArgumentException("--resume continues one interrupted backtest; it does not go with -c, --compare,"
                        + " --search, --walk-forward, the bias checks or --feature (in the shell: trade:backtest ... --resume)");
            }
            if (resume) {
                RunFolder.checkResumable(db);
            }
            if (checkPoints != null && !checkLookahead) {
                throw new IllegalArgumentException("--check-points goes with --check-lookahead");
            }
            if (command != null) {
                RunFolder.checkExists(db);
            } else {
                RunFolder.checkWritable("--db", db);
            }
            if (report != null) {
                RunFolder.checkWritable("--report", report.toAbsolutePath().getParent());
            }
            if (html != null) {
                RunFolder.checkWritable("--html", html.toAbsolutePath().getParent());
            }
            if (!feature.equals("backtest") && (data != null || command != null)) {
                throw new IllegalArgumentException("--feature " + feature + " runs the interactive shell; use trade:backtest"
                        + " (paper) or trade:replay there");
            }
            if (feature.equals("upbit-live")) {
                RunFolder.checkUpbitKeys(db);
            }
            if (walkForward != null) {
                WalkForward.Spec.parse(walkForward);
                if (compare.isEmpty()) {
                    throw new IllegalArgumentException("--walk-forward optimises over --compare ranges: give at least one, e.g."
                            + " --compare period=7,14,21");
                }
                if (from != null || to != null || warmUpFrom != null) {
                    throw new IllegalArgumentException("--walk-forward makes its own windows: drop --from, --to and --warm-up-from");
                }
            }
            if (objective != null) {
                WalkForward.Objective.of(objective);
                if (walkForward == null && search == null) {
                    throw new IllegalArgumentException("--objective ranks the runs of --search or --walk-forward");
                }
            }
            if (searchMethod != null) {
                Search.Method method = Search.Method.of(searchMethod);
                if (search == null) {
                    throw new IllegalArgumentException("--search-method goes with --search N");
                }
                if (method == Search.Method.GENETIC && walkForward != null) {
                    throw new IllegalArgumentException("--walk-forward draws its --search candidates at random (the same in every"
                            + " window); drop --search-method genetic");
                }
            }
            if (search != null && compare.isEmpty()) {
                throw new IllegalArgumentException("--search draws from --compare ranges: give at least one, e.g. --compare period=5..30");
            }
            if (!compare.isEmpty()) {
                Space space = Space.parse(compare);
                if (search == null && space.size() > Compare.MAX_RUNS) {
                    throw new IllegalArgumentException("--compare asks for " + space.size() + " runs; at most " + Compare.MAX_RUNS
                            + " (--search N draws N of them)");
                }
            }
            if (feature.equals("backtest") && (http != null || httpPublic)) {
                throw new IllegalArgumentException("--http is for --feature paper or upbit-live: a backtest serves no dashboard");
            }
            if (httpPublic && http == null) {
                throw new IllegalArgumentException("--http-public goes with --http HOST:PORT naming the address to open");
            }
            if (!feature.equals("backtest")) {
                HttpEndpoint endpoint = http();
                if (endpoint.enabled() && !endpoint.loopback() && !httpPublic) {
                    throw new IllegalArgumentException("--http " + endpoint.host() + ":" + endpoint.port() + " is not a loopback"
                            + " address: the dashboard and API would be reachable from the network; add --http-public if that is"
                            + " what you want");
                }
                endpoint.checkFree();
            }
        }

        /** @return where the dashboard listens: {@code --http}, else the default */
        HttpEndpoint http() {
            return http == null ? HttpEndpoint.DEFAULT : http;
        }

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
                    case "--exit" -> o.strategyConfig.add(exitRule(keyValue(args, ++i, arg, "key=value")));
                    case "--cash" -> o.cash = value(args, ++i, arg);
                    case "--db" -> o.db = Paths.get(value(args, ++i, arg));
                    case "--report" -> o.report = Paths.get(value(args, ++i, arg));
                    case "--html" -> o.html = Paths.get(value(args, ++i, arg));
                    case "--compare" -> o.compare.add(keyValue(args, ++i, arg, "key=v1,v2,..."));
                    case "-c" -> o.command = value(args, ++i, arg);
                    case "--http" -> o.http = HttpEndpoint.parse(value(args, ++i, arg));
                    case "--monte-carlo" -> o.monteCarlo = whole(value(args, ++i, arg), arg, 1, 1_000_000);
                    case "--seed" -> o.seed = whole(value(args, ++i, arg), arg, Long.MIN_VALUE, Long.MAX_VALUE);
                    case "--from" -> o.from = instant(value(args, ++i, arg), arg);
                    case "--to" -> o.to = instant(value(args, ++i, arg), arg);
                    case "--warm-up-from" -> o.warmUpFrom = instant(value(args, ++i, arg), arg);
                    case "--walk-forward" -> o.walkForward = value(args, ++i, arg);
                    case "--objective" -> o.objective = value(args, ++i, arg);
                    case "--search" -> o.search = whole(value(args, ++i, arg), arg, 1, Search.MAX_CANDIDATES);
                    case "--search-method" -> o.searchMethod = value(args, ++i, arg);
                    case "--bundle" -> o.bundles.add(Paths.get(value(args, ++i, arg)).toAbsolutePath());
                    case "--check-lookahead" -> o.checkLookahead = true;
                    case "--resume" -> o.resume = true;
                    case "--check-warmup" -> o.checkWarmUp = true;
                    case "--check-points" -> o.checkPoints = whole(value(args, ++i, arg), arg, 1, 200);
                    case "--http-public" -> o.httpPublic = true;
                    default -> throw new IllegalArgumentException("unknown option '" + arg + "'");
                }
            }
            return o;
        }

        /**
         * @return the {@code --exit} setting, a strategy setting like {@code --strategy-config}
         * @throws IllegalArgumentException naming the exit keys, for another key
         */
        static String exitRule(String keyValue) {
            String key = keyValue.substring(0, keyValue.indexOf('=')).strip();
            if (!EXIT_KEYS.contains(key)) {
                throw new IllegalArgumentException("--exit " + keyValue + ": '" + key + "' is not an exit rule (exit rules: "
                        + String.join(", ", EXIT_KEYS) + ")");
            }
            return keyValue;
        }

        /** @return the value, checked to be an ISO-8601 instant */
        private static String instant(String value, String option) {
            try {
                return java.time.Instant.parse(value.strip()).toString();
            } catch (java.time.format.DateTimeParseException e) {
                throw new IllegalArgumentException(option + " takes an ISO-8601 instant such as 2023-03-04T00:00:00Z, was '" + value + "'");
            }
        }

        /** @return the value, checked to be a whole number in the range */
        private static String whole(String value, String option, long min, long max) {
            try {
                long n = Long.parseLong(value.strip());
                if (n < min || n > max) {
                    throw new IllegalArgumentException(option + " must be " + min + ".." + max + ", was " + n);
                }
                return Long.toString(n);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(option + " takes a whole number, was '" + value + "'");
            }
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
