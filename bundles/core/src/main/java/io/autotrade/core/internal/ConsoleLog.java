package io.autotrade.core.internal;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.log.LogEntry;
import org.osgi.service.log.LogLevel;
import org.osgi.service.log.LogListener;
import org.osgi.service.log.LogReaderService;

/**
 * Prints log entries at WARN and above to standard error as one line each (the message and the
 * innermost cause's message), so an operator sees component failures without a stack trace; and, when
 * the framework property {@value #LOG_FILE} names a file, appends every entry at INFO and above there
 * with its full stack trace, rotating it at {@value #MAX_BYTES} bytes.
 */
@Component(service = {}) // no service: a component offering its LogListener interface would be delayed, never started
public class ConsoleLog implements LogListener {
    /** Framework property: the log file, written with stack traces. */
    static final String LOG_FILE = "autotrade.log.file";
    /** Size at which the log file is rotated: 10 MiB (the one before is kept as {@code <file>.1}). */
    static final long MAX_BYTES = 10L * 1024 * 1024;
    private final LogReaderService reader;
    private final Path file;

    /**
     * @param reader  the framework's log reader (OSGi Compendium 101)
     * @param context to read {@value #LOG_FILE}
     */
    @Activate
    public ConsoleLog(@Reference LogReaderService reader, BundleContext context) {
        this.reader = reader;
        String name = context.getProperty(LOG_FILE);
        this.file = name == null || name.isBlank() ? null : Paths.get(name);
        reader.addLogListener(this);
    }

    @Deactivate
    void stop() {
        reader.removeLogListener(this);
    }

    @Override
    public void logged(LogEntry entry) {
        String source = entry.getBundle() == null ? "?" : entry.getBundle().getSymbolicName();
        Throwable error = entry.getException();
        if (LogLevel.WARN.implies(entry.getLogLevel())) { // WARN, ERROR, AUDIT: "WARN implies ERROR"
            String line = entry.getLogLevel().name() + ' ' + source + ": " + plain(entry.getMessage());
            String cause = innermostMessage(error);
            if (cause != null && !line.contains(cause)) {
                line += ": " + cause;
            }
            System.err.println(line + (file != null && error != null ? " (details in " + file + ")" : ""));
        }
        if (file != null && LogLevel.INFO.implies(entry.getLogLevel())) {
            StringWriter text = new StringWriter();
            text.append(Instant.ofEpochMilli(entry.getTime()).toString()).append(' ').append(entry.getLogLevel().name())
                    .append(' ').append(source).append(": ").append(entry.getMessage()).append(System.lineSeparator());
            if (error != null) {
                error.printStackTrace(new PrintWriter(text));
            }
            append(text.toString());
        }
    }

    private synchronized void append(String text) {
        try {
            rotate(file, MAX_BYTES);
            Files.writeString(file, text, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        } catch (IOException e) {
            // the console line was printed; a log file that cannot be written must not stop the runtime
        }
    }

    /**
     * Keeps the log bounded: once the file holds {@code maxBytes}, it becomes {@code <file>.1} (replacing the
     * one before) and a new file starts, so at most twice {@code maxBytes} are kept.
     *
     * @throws IOException if the file cannot be moved
     */
    static void rotate(Path file, long maxBytes) throws IOException {
        if (Files.exists(file) && Files.size(file) >= maxBytes) {
            Files.move(file, file.resolveSibling(file.getFileName() + ".1"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        }
    }

    /** Felix SCR's words for a component whose constructor or activate method threw. */
    private static final java.util.regex.Pattern SCR_INSTANTIATION = java.util.regex.Pattern.compile(
            "bundle \\S+ \\(\\d+\\)\\[(?:[\\w$]+\\.)*([\\w$]+)\\(\\d+\\)\\] : Error during instantiation of the implementation object");

    /**
     * @param message a log message
     * @return it, or for SCR's report of a component that failed to start, {@code <Component> could not start}
     *         (the cause, appended after it, says why)
     */
    static String plain(String message) {
        java.util.regex.Matcher m = message == null ? null : SCR_INSTANTIATION.matcher(message);
        return m != null && m.find() ? m.group(1) + " could not start" : message;
    }

    /** @return the message of the innermost cause that has one, without the wrappers' class names */
    static String innermostMessage(Throwable error) {
        String message = null;
        for (Throwable t = error; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t.getMessage() != null && !t.getMessage().isBlank() && !t.getMessage().equals("null")) {
                String m = t.getMessage();
                // Felix's log wraps causes as "LogException: Type: message"; keep the message
                int colon = m.lastIndexOf("Exception: ");
                message = colon >= 0 ? m.substring(colon + "Exception: ".length()) : m;
            }
        }
        return message;
    }
}
