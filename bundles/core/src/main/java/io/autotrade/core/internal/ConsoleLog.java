package io.autotrade.core.internal;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.log.LogEntry;
import org.osgi.service.log.LogLevel;
import org.osgi.service.log.LogListener;
import org.osgi.service.log.LogReaderService;

/**
 * Prints log entries at WARN and above to standard error, so an operator sees component failures
 * (a damaged database, a bad configuration) without opening a log file.
 */
@Component(service = {}) // no service: a component offering its LogListener interface would be delayed, never started
public class ConsoleLog implements LogListener {
    private final LogReaderService reader;

    /** @param reader the framework's log reader (OSGi Compendium 101) */
    @Activate
    public ConsoleLog(@Reference LogReaderService reader) {
        this.reader = reader;
        reader.addLogListener(this);
    }

    @Deactivate
    void stop() {
        reader.removeLogListener(this);
    }

    @Override
    public void logged(LogEntry entry) {
        if (LogLevel.WARN.implies(entry.getLogLevel())) { // WARN, ERROR, AUDIT: "WARN implies ERROR"
            StringBuilder line = new StringBuilder(entry.getLogLevel().name()).append(' ')
                    .append(entry.getBundle() == null ? "?" : entry.getBundle().getSymbolicName()).append(": ")
                    .append(entry.getMessage());
            Throwable error = entry.getException();
            for (Throwable t = error; t != null; t = t.getCause() == t ? null : t.getCause()) {
                line.append(System.lineSeparator()).append("  caused by ").append(t);
            }
            System.err.println(line);
        }
    }
}
