package io.autotrade.launcher;

/**
 * The jar's entry point, compiled for Java 8 so that an older {@code java} can run it: it says in one
 * sentence that autotrade needs Java 21 or newer instead of the JVM's class-version error, and otherwise
 * hands over to {@link Main}.
 */
public final class Start {
    private static final int REQUIRED = 21;

    private Start() {
    }

    /**
     * @param args the launcher's options
     * @throws Throwable whatever {@link Main} throws
     */
    public static void main(String[] args) throws Throwable {
        String version = System.getProperty("java.specification.version");
        int major = Integer.parseInt(version.startsWith("1.") ? version.substring(2) : version.split("\\.")[0]);
        if (major < REQUIRED) {
            System.err.println("autotrade: needs Java " + REQUIRED + " or newer, but this is Java " + version + " ("
                    + System.getProperty("java.home") + "); run it with a JDK " + REQUIRED + "+, e.g."
                    + " /usr/lib/jvm/temurin-25-jdk-amd64/bin/java -jar launcher/target/autotrade.jar (README, Prerequisites)");
            System.exit(2);
        }
        try {
            Class.forName("io.autotrade.launcher.Main").getMethod("main", String[].class).invoke(null, (Object) args);
        } catch (java.lang.reflect.InvocationTargetException e) {
            throw e.getCause();
        }
    }
}
