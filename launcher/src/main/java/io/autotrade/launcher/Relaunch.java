package io.autotrade.launcher;

import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * On JDK 24 and newer the JVM warns on standard error when Felix's framework uses
 * {@code sun.misc.Unsafe} (JEP 498), which a jar's manifest cannot switch off. When the JVM was not
 * started with {@code --sun-misc-unsafe-memory-access}, the launcher starts itself once more with
 * {@code --sun-misc-unsafe-memory-access=allow} and the same JVM options, sharing standard input,
 * output and error, and exits with its exit code. The child ends itself when the parent is gone
 * (killed), so the pair behaves as one process. On JDK 25+ the child starts from the AOT cache the build made
 * beside the jar, when there is one ({@link #aotCache}).
 */
final class Relaunch {
    private static final String PARENT = "autotrade.parent.pid";
    private static final String FLAG = "--sun-misc-unsafe-memory-access";

    private Relaunch() {
    }

    /** @return {@code true} on JDK 24+ when the flag is missing (and this is not the relaunched child) */
    static boolean needed() {
        if (java.lang.Runtime.version().feature() < 24 || System.getProperty(PARENT) != null) {
            return false;
        }
        return ManagementFactory.getRuntimeMXBean().getInputArguments().stream().noneMatch(a -> a.startsWith(FLAG));
    }

    /**
     * @param args the launcher's arguments
     * @return the child's exit code
     */
    static int run(String[] args) {
        boolean batch = batch(args);
        List<String> command = new ArrayList<>(childJvm(batch, List.of()));
        command.addAll(List.of(args));
        try {
            Process child = environment(new ProcessBuilder(command), batch).inheritIO().start();
            java.lang.Runtime.getRuntime().addShutdownHook(new Thread(child::destroy));
            return child.waitFor();
        } catch (java.io.IOException e) {
            System.err.println("autotrade: cannot start the JVM again (" + e.getMessage() + "); run java "
                    + FLAG + "=allow -jar ...");
            return 1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 1;
        }
    }

    /**
     * @param args the launcher's arguments
     * @return whether they run the {@code backtest} feature (the default), a batch job, rather than paper or live trading
     */
    static boolean batch(String[] args) {
        for (int i = 0; i < args.length; i++) {
            String feature = args[i].startsWith("--feature=") ? args[i].substring("--feature=".length())
                    : args[i].equals("--feature") && i + 1 < args.length ? args[i + 1] : null;
            if (feature != null) {
                return feature.equals("backtest");
            }
        }
        return true;
    }

    /**
     * @param batch   whether the child runs a backtest: then, unless the options choose a collector, it runs with the
     *                serial one. A backtest's one thread delivers every event, so a collector's own threads only compete
     *                with it (on 2 cores, with a parallel run beside it); the serial collector's heap also grows less
     *                (measured: 1,000,000 candles, 214,000 candles/s and 364 MB against G1's 150,000 and 1.2 to 1.8
     *                GB). Paper and live trading keep the JVM's default (G1), for its short pauses.
     *                With it, on JDK 22+, {@code -XX:TrimNativeHeapInterval=500}: the JVM gives the C heap the JIT
     *                compilers freed back to the system twice a second (see {@link #environment}).
     * @param options more JVM options for the child, e.g. a system property
     * @return the command that starts this launcher in another JVM: the same java and JVM options (with the
     *         flags a relaunch would add, then {@code options}), the same class path, ending with the main class; the
     *         caller adds the arguments. The child ends itself when this process is gone.
     */
    static List<String> childJvm(boolean batch, List<String> options) {
        List<String> command = new ArrayList<>();
        command.add(ProcessHandle.current().info().command()
                .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        for (String a : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
            if (!a.startsWith("-D" + PARENT + "=") && !a.startsWith("-agentlib:jdwp")) {
                command.add(a);
            }
        }
        if (command.stream().noneMatch(a -> a.startsWith("-XX:AOTCache"))) {
            command.addAll(aotCache());
        }
        if (batch && command.stream().noneMatch(a -> a.startsWith("-XX:+Use") && a.endsWith("GC"))) {
            command.add("-XX:+UseSerialGC");
        }
        if (batch && java.lang.Runtime.version().feature() >= 22
                && command.stream().noneMatch(a -> a.startsWith("-XX:TrimNativeHeapInterval"))) {
            command.add("-XX:TrimNativeHeapInterval=500");
        }
        if (java.lang.Runtime.version().feature() >= 24 && command.stream().noneMatch(a -> a.startsWith(FLAG))) {
            command.add(FLAG + "=allow");
        }
        if (command.stream().noneMatch(a -> a.startsWith("--enable-native-access"))) {
            command.add("--enable-native-access=ALL-UNNAMED");
        }
        command.add("-D" + PARENT + "=" + ProcessHandle.current().pid());
        command.addAll(options);
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(Main.class.getName());
        return command;
    }

    /**
     * Sets the child's environment for a backtest: {@code MALLOC_ARENA_MAX=2} unless the user's environment sets it
     * (glibc: the JIT's compiler threads otherwise each keep an arena of freed C heap; elsewhere the variable means
     * nothing). With the native heap trimmed ({@link #childJvm}) a million-candle backtest's runtime peaked at 277
     * instead of 308 MB, a 10,000-candle one at 243 MB either way: the resident memory stays flat in the candles.
     *
     * @param process the child's process builder
     * @param batch   whether the child runs a backtest; paper and live trading keep the environment as it is
     * @return the process builder
     */
    static ProcessBuilder environment(ProcessBuilder process, boolean batch) {
        if (batch) {
            process.environment().putIfAbsent("MALLOC_ARENA_MAX", "2");
        }
        return process;
    }

    /**
     * @return the options that start the JVM from the AOT cache the build made beside the jar ({@code autotrade.aot},
     *         JDK 25+, JEP 483/514): classes loaded and linked at start-up come from the cache. Its messages are
     *         off, so a cache this JVM cannot use (another JDK build, a changed jar) is passed over silently.
     *         Empty before JDK 25 or without the file.
     */
    static List<String> aotCache() {
        String classPath = System.getProperty("java.class.path", "");
        if (java.lang.Runtime.version().feature() < 25 || !classPath.endsWith(".jar") || classPath.contains(java.io.File.pathSeparator)) {
            return List.of();
        }
        Path jar = Path.of(classPath).toAbsolutePath();
        Path cache = jar.resolveSibling(jar.getFileName().toString().replaceFirst("\\.jar$", ".aot"));
        return java.nio.file.Files.isRegularFile(cache)
                ? List.of("-XX:AOTCache=" + cache, "-Xlog:aot=off", "-Xlog:cds=off") : List.of();
    }

    /** In the relaunched child: ends this JVM at once when the parent is gone. */
    static void watchParent() {
        String parent = System.getProperty(PARENT);
        if (parent == null) {
            return;
        }
        ProcessHandle.of(Long.parseLong(parent)).ifPresentOrElse(
                p -> p.onExit().thenRun(() -> java.lang.Runtime.getRuntime().halt(137)),
                () -> java.lang.Runtime.getRuntime().halt(137));
    }
}
