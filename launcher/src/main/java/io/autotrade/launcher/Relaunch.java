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
 * (killed), so the pair behaves as one process.
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
        List<String> command = new ArrayList<>();
        command.add(ProcessHandle.current().info().command()
                .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        command.addAll(ManagementFactory.getRuntimeMXBean().getInputArguments());
        command.add(FLAG + "=allow");
        command.add("--enable-native-access=ALL-UNNAMED");
        command.add("-D" + PARENT + "=" + ProcessHandle.current().pid());
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(Main.class.getName());
        command.addAll(List.of(args));
        try {
            Process child = new ProcessBuilder(command).inheritIO().start();
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
     * @return the command that starts this launcher in another JVM: the same java and JVM options (with the
     *         flags a relaunch would add), the same class path, ending with the main class; the caller adds the
     *         arguments. The child ends itself when this process is gone.
     */
    static List<String> childJvm() {
        List<String> command = new ArrayList<>();
        command.add(ProcessHandle.current().info().command()
                .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        for (String a : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
            if (!a.startsWith("-D" + PARENT + "=") && !a.startsWith("-agentlib:jdwp")) {
                command.add(a);
            }
        }
        if (java.lang.Runtime.version().feature() >= 24 && command.stream().noneMatch(a -> a.startsWith(FLAG))) {
            command.add(FLAG + "=allow");
        }
        if (command.stream().noneMatch(a -> a.startsWith("--enable-native-access"))) {
            command.add("--enable-native-access=ALL-UNNAMED");
        }
        command.add("-D" + PARENT + "=" + ProcessHandle.current().pid());
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(Main.class.getName());
        return command;
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
