package io.autotrade.core.internal;

import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.osgi.service.log.Logger;
import org.osgi.service.log.LoggerFactory;

/** Loggers for unit tests: warnings and errors are printed to stderr and kept, with {} filled in. */
final class TestLogs {
    private TestLogs() {
    }

    /** A logger that keeps "level: message" lines. */
    static final class Capture {
        final List<String> lines = Collections.synchronizedList(new ArrayList<>());
        final Logger logger = (Logger) Proxy.newProxyInstance(TestLogs.class.getClassLoader(),
                new Class<?>[] {Logger.class}, (proxy, method, args) -> {
                    String level = method.getName();
                    if ((level.equals("error") || level.equals("warn") || level.equals("info")) && args != null
                            && args[0] instanceof String format) {
                        String line = level + ": " + format(format, args);
                        lines.add(line);
                        if (!level.equals("info")) {
                            System.err.println(line);
                        }
                    }
                    return method.getReturnType() == boolean.class ? Boolean.TRUE : null;
                });

        boolean any(String level, String fragment) {
            synchronized (lines) {
                return lines.stream().anyMatch(l -> l.startsWith(level + ":") && l.contains(fragment));
            }
        }
    }

    private static String format(String format, Object[] args) {
        List<Object> values = new ArrayList<>();
        for (int i = 1; i < args.length; i++) {
            if (args[i] instanceof Object[] array) {
                values.addAll(java.util.Arrays.asList(array));
            } else {
                values.add(args[i]);
            }
        }
        StringBuilder out = new StringBuilder();
        int from = 0;
        int next = 0;
        for (int at = format.indexOf("{}"); at >= 0; at = format.indexOf("{}", from)) {
            out.append(format, from, at).append(next < values.size() ? values.get(next++) : "{}");
            from = at + 2;
        }
        return out.append(format.substring(from)).toString();
    }

    static LoggerFactory factory(Logger logger) {
        return (LoggerFactory) Proxy.newProxyInstance(TestLogs.class.getClassLoader(),
                new Class<?>[] {LoggerFactory.class}, (proxy, method, args) -> logger);
    }
}
