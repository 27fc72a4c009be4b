package io.autotrade.launcher;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.jenetics.Genotype;
import io.jenetics.IntegerChromosome;
import io.jenetics.IntegerGene;
import io.jenetics.Phenotype;
import io.jenetics.engine.Engine;
import io.jenetics.engine.EvolutionResult;
import io.jenetics.util.ISeq;
import io.jenetics.util.RandomRegistry;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * {@code --search N} over {@code --compare} ranges: instead of every combination, N of them, chosen at random
 * ({@code --search-method random}, the default) or by a genetic algorithm (Jenetics, {@code --search-method genetic}:
 * a population of 16 evolving by the default selection, crossover and mutation, the fitness being the objective of
 * a backtest), ranked by {@code --objective}. Both are seeded ({@code --seed}, default 42): the same seed gives the same
 * candidates and the same result. The backtests of a batch (all of a random search, one generation of the genetic) run
 * in child JVMs, as many at a time as the machine has processors.
 */
final class Search {
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    /** Most backtests one search may run. */
    static final int MAX_CANDIDATES = 2_000;
    /** The genetic algorithm's population. */
    static final int POPULATION = 16;

    private Search() {
    }

    /** How the candidates are chosen. */
    enum Method {
        RANDOM, GENETIC;

        static Method of(String name) {
            try {
                return valueOf(name.strip().toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("--search-method must be random or genetic, was '" + name + "'");
            }
        }
    }

    /** Scores a batch of candidates, all at once (in parallel), higher is better. */
    interface Scorer {
        List<Double> scores(List<Map<String, String>> batch) throws Exception;
    }

    /** A scored candidate, numbered in the order it was evaluated. */
    record Candidate(int number, Map<String, String> settings, double score) {
    }

    /**
     * @return {@code n} distinct combinations drawn at random from the space with the seed (every combination, in grid
     *         order, when it holds no more than {@code n})
     */
    static List<Map<String, String>> draw(Space space, int n, long seed) {
        if (space.size() <= n) {
            return space.grid();
        }
        SplittableRandom random = new SplittableRandom(seed);
        Set<Map<String, String>> seen = new HashSet<>();
        List<Map<String, String>> out = new ArrayList<>();
        while (out.size() < n) {
            int[] at = new int[space.keys().size()];
            for (int k = 0; k < at.length; k++) {
                at[k] = random.nextInt(space.values().get(k).size());
            }
            Map<String, String> combo = space.at(at);
            if (seen.add(combo)) {
                out.add(combo);
            }
        }
        return out;
    }

    /**
     * @param space  the ranges
     * @param method random or genetic
     * @param n      candidates to evaluate at most (fewer when the space holds fewer)
     * @param seed   the seed of every random choice
     * @param scorer evaluates a batch
     * @return every candidate evaluated, in evaluation order
     */
    static List<Candidate> search(Space space, Method method, int n, long seed, Scorer scorer) throws Exception {
        if (method == Method.RANDOM) {
            List<Map<String, String>> drawn = draw(space, n, seed);
            List<Double> scores = scorer.scores(drawn);
            List<Candidate> out = new ArrayList<>();
            for (int i = 0; i < drawn.size(); i++) {
                out.add(new Candidate(i + 1, drawn.get(i), scores.get(i)));
            }
            return out;
        }
        return genetic(space, (int) Math.min(n, space.size()), seed, scorer);
    }

    private static List<Candidate> genetic(Space space, int budget, long seed, Scorer scorer) throws Exception {
        Map<Map<String, String>, Candidate> scored = new LinkedHashMap<>();
        Exception[] failure = new Exception[1];
        List<IntegerChromosome> chromosomes = new ArrayList<>();
        for (List<String> values : space.values()) {
            chromosomes.add(IntegerChromosome.of(0, values.size() - 1, 1));
        }
        io.jenetics.engine.Evaluator<IntegerGene, Double> evaluator = population -> {
            List<Map<String, String>> fresh = new ArrayList<>();
            for (Phenotype<IntegerGene, Double> p : population) {
                Map<String, String> combo = combo(space, p.genotype());
                if (p.nonEvaluated() && !scored.containsKey(combo) && !fresh.contains(combo)
                        && scored.size() + fresh.size() < budget) {
                    fresh.add(combo);
                }
            }
            if (!fresh.isEmpty() && failure[0] == null) {
                try {
                    List<Double> scores = scorer.scores(fresh);
                    for (int i = 0; i < fresh.size(); i++) {
                        scored.put(fresh.get(i), new Candidate(scored.size() + 1, fresh.get(i), scores.get(i)));
                    }
                } catch (Exception e) {
                    failure[0] = e;
                }
            }
            List<Phenotype<IntegerGene, Double>> out = new ArrayList<>();
            for (Phenotype<IntegerGene, Double> p : population) {
                Candidate c = scored.get(combo(space, p.genotype()));
                // a candidate over the budget is never run: it cannot win
                out.add(p.isEvaluated() ? p : p.withFitness(c == null ? Double.NEGATIVE_INFINITY : c.score()));
            }
            return ISeq.of(out);
        };
        Engine<IntegerGene, Double> engine = new Engine.Builder<>(evaluator, Genotype.of(chromosomes))
                .populationSize(Math.min(POPULATION, Math.max(2, budget))).maximizing().executor(Runnable::run).build();
        RandomRegistry.with(new Random(seed), random -> engine.stream()
                .limit(result -> scored.size() < budget && failure[0] == null)
                .limit(1_000)
                .collect(EvolutionResult.toBestEvolutionResult()));
        if (failure[0] != null) {
            throw failure[0];
        }
        return List.copyOf(scored.values());
    }

    private static Map<String, String> combo(Space space, Genotype<IntegerGene> genotype) {
        int[] at = new int[space.keys().size()];
        for (int k = 0; k < at.length; k++) {
            at[k] = genotype.get(k).gene().allele();
        }
        return space.at(at);
    }

    static int run(Main.Options options, PrintStream out) throws Exception {
        Space space = Space.parse(options.compare);
        int n = Integer.parseInt(options.search);
        Method method = Method.of(options.searchMethod == null ? "random" : options.searchMethod);
        WalkForward.Objective objective = WalkForward.Objective.of(options.objective == null ? "sharpe" : options.objective);
        long seed = options.seed == null ? 42 : Long.parseLong(options.seed);
        Path db = options.db.toAbsolutePath();
        Path root = db.resolve("search-next");
        RunFolder.deleteTree(root);
        Files.createDirectories(root);
        int parallel = java.lang.Runtime.getRuntime().availableProcessors();
        out.println("search of " + Math.min(n, space.size()) + " of " + space.size() + " combinations (" + method.name().toLowerCase(Locale.ROOT)
                + ", seed " + seed + "), ranked by " + objective.label() + "; " + parallel + " at a time (one JVM each)");
        Map<Map<String, String>, Compare.Run> runs = new LinkedHashMap<>();
        Scorer scorer = batch -> {
            List<ChildRuns.Job> jobs = new ArrayList<>();
            for (Map<String, String> combo : batch) {
                int number = runs.size() + jobs.size() + 1;
                jobs.add(new ChildRuns.Job("candidate " + number + " " + combo, combo, List.of(), root.resolve("run-" + number)));
            }
            List<JsonNode> reports = ChildRuns.run(options, jobs, Math.min(parallel, jobs.size()), out);
            List<Double> scores = new ArrayList<>();
            for (int i = 0; i < batch.size(); i++) {
                int number = runs.size() + 1;
                double score = objective.score(reports.get(i));
                runs.put(batch.get(i), new Compare.Run(number, batch.get(i), reports.get(i), "run-" + number + "/backtest-report.html", score));
                scores.add(score);
            }
            return scores;
        };
        List<Candidate> candidates = search(space, method, n, seed, scorer);
        List<Candidate> ranked = new ArrayList<>(candidates);
        ranked.sort(Comparator.comparing(Candidate::score).reversed().thenComparing(Candidate::number));
        List<Compare.Run> rankedRuns = ranked.stream().map(c -> runs.get(c.settings())).toList();
        Map<String, Object> summary = new LinkedHashMap<>();
        summary.put("method", method.name().toLowerCase(Locale.ROOT));
        summary.put("seed", seed);
        summary.put("objective", objective.label());
        summary.put("space_size", space.size());
        summary.put("best", ranked.get(0).settings());
        List<Object> list = new ArrayList<>();
        for (Candidate c : candidates) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("candidate", c.number());
            m.put("settings", c.settings());
            m.put("score", Double.isFinite(c.score()) ? c.score() : String.valueOf(c.score()));
            m.put("total_return", runs.get(c.settings()).report().get("total_return").asText());
            list.add(m);
        }
        summary.put("candidates", list);
        Files.writeString(root.resolve("search.json"), JSON.writeValueAsString(summary), StandardCharsets.UTF_8);
        Files.writeString(root.resolve("search.html"), Compare.html(rankedRuns, "Parameter search (" + summary.get("method") + ", seed "
                + seed + "), ranked by " + objective.label() + " (score: per candle, not annualized)"), StandardCharsets.UTF_8);
        Path done = db.resolve("search");
        RunFolder.deleteTree(done);
        Files.move(root, done);
        out.println();
        out.print(Compare.table(rankedRuns));
        out.println();
        out.println("best by " + objective.label() + ": " + ranked.get(0).settings());
        out.println("Search report: " + done.resolve("search.html"));
        return 0;
    }
}
