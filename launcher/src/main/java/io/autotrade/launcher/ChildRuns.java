package io.autotrade.launcher;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Collectors;

/**
 * Backtests in child JVMs, as many at a time as asked: each is this launcher (same JVM and flags, {@link Relaunch#childJvm})
 * with the run's options on a folder of its own, its output discarded and its error lines kept for the message of a
 * failure. Used by {@code --compare} and {@code --walk-forward}.
 */
final class ChildRuns {
    private static final ObjectMapper JSON = new ObjectMapper();

    private ChildRuns() {
    }

    /**
     * One backtest to run.
     *
     * @param label    how the progress lines and a failure name it, e.g. {@code run 3 {period=7}}
     * @param settings the strategy settings it adds to the options' ({@code --strategy-config})
     * @param extra    more launcher options, e.g. {@code --from 2023-03-04T00:00:00Z}
     * @param db       its data folder; its reports are written there
     */
    record Job(String label, Map<String, String> settings, List<String> extra, Path db) {
    }

    /**
     * @param options  the launcher's options: data, market, cash, strategy, its settings, risk, Monte Carlo
     * @param jobs     the runs
     * @param parallel how many at a time
     * @param out      where each run's end is told
     * @return each run's JSON report, in job order
     * @throws IllegalStateException naming the failed run and its error lines, if one fails (the others are stopped)
     */
    static List<JsonNode> run(Main.Options options, List<Job> jobs, int parallel, PrintStream out) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(Math.max(1, parallel));
        List<Process> started = Collections.synchronizedList(new ArrayList<>());
        int[] done = new int[1];
        RunsProgress progress = new RunsProgress(jobs.stream().map(ChildRuns::errors).toList(), System.err,
                RunsProgress.isTerminal());
        progress.start();
        try {
            List<Future<JsonNode>> futures = new ArrayList<>();
            for (int i = 0; i < jobs.size(); i++) {
                Job job = jobs.get(i);
                int index = i;
                futures.add(pool.submit(() -> {
                    long began = System.nanoTime();
                    JsonNode report = child(options, job, started);
                    progress.finished(index, report.path("candles").asLong());
                    synchronized (out) {
                        progress.println(out, job.label() + " done in " + String.format(Locale.ROOT, "%.1f",
                                (System.nanoTime() - began) / 1e9) + " s (" + ++done[0] + "/" + jobs.size() + ")");
                    }
                    return report;
                }));
            }
            List<JsonNode> reports = new ArrayList<>();
            for (Future<JsonNode> f : futures) {
                try {
                    reports.add(f.get());
                } catch (ExecutionException e) {
                    started.forEach(Process::destroyForcibly);
                    throw e.getCause() instanceof Exception x ? x : new IllegalStateException(e.getCause());
                }
            }
            return reports;
        } finally {
            progress.stop();
            pool.shutdownNow();
        }
    }

    /** @return where a run's standard error goes (kept only when it fails) */
    private static Path errors(Job job) {
        return job.db().resolveSibling(job.db().getFileName() + ".err");
    }

    private static JsonNode child(Main.Options options, Job job, List<Process> started) throws Exception {
        Files.createDirectories(job.db().getParent());
        List<String> command = new ArrayList<>(Relaunch.childJvm(true, List.of(RunsProgress.CHILD_OPTION)));
        command.addAll(List.of("--db", job.db().toString()));
        if (options.data != null) {
            command.addAll(List.of("--data", options.data.toAbsolutePath().toString()));
        }
        if (options.market != null) {
            command.addAll(List.of("--market", options.market));
        }
        if (options.cash != null) {
            command.addAll(List.of("--cash", options.cash));
        }
        command.addAll(List.of("--strategy", options.strategy));
        options.strategyConfig.forEach(kv -> command.addAll(List.of("--strategy-config", kv)));
        job.settings().forEach((k, v) -> command.addAll(List.of("--strategy-config", k + "=" + v)));
        options.risk.forEach(kv -> command.addAll(List.of("--risk", kv)));
        if (options.monteCarlo != null) {
            command.addAll(List.of("--monte-carlo", options.monteCarlo));
        }
        if (options.seed != null) {
            command.addAll(List.of("--seed", options.seed));
        }
        options.bundles.forEach(b -> command.addAll(List.of("--bundle", b.toString())));
        command.addAll(job.extra());
        Path errors = errors(job);
        Process p = Relaunch.environment(new ProcessBuilder(command), true).redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .redirectError(errors.toFile()).start();
        started.add(p);
        int exit = p.waitFor();
        if (exit != 0) {
            String said = Files.readString(errors).lines().filter(l -> l.startsWith("autotrade: ") || l.startsWith("  "))
                    .map(l -> l.startsWith("autotrade: ") ? l.substring("autotrade: ".length()) : l)
                    .collect(Collectors.joining(System.lineSeparator()));
            throw new IllegalStateException(job.label() + " failed: " + (said.isBlank() ? "exit code " + exit : said));
        }
        Files.deleteIfExists(errors);
        return JSON.readTree(job.db().resolve("backtest-report.json").toFile());
    }
}
