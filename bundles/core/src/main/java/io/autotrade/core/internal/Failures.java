package io.autotrade.core.internal;

import java.util.StringJoiner;

/** Text forms of a handler's exception for logs and dead letters. */
final class Failures {
    private static final int FRAMES_PER_CAUSE = 8;

    private Failures() {
    }

    /** @return the exception's class and message, e.g. {@code java.lang.IllegalStateException: no price} */
    static String error(Throwable t) {
        return t.getMessage() == null ? t.getClass().getName() : t.getClass().getName() + ": " + t.getMessage();
    }

    /** @return the top frames of the exception and each cause, one per line */
    static String stackSummary(Throwable t) {
        StringJoiner lines = new StringJoiner("\n");
        Throwable current = t;
        for (int depth = 0; current != null && depth < 5; depth++, current = current.getCause()) {
            if (depth > 0) {
                lines.add("caused by " + error(current));
            }
            StackTraceElement[] frames = current.getStackTrace();
            for (int i = 0; i < Math.min(FRAMES_PER_CAUSE, frames.length); i++) {
                lines.add("  at " + frames[i]);
            }
            if (frames.length > FRAMES_PER_CAUSE) {
                lines.add("  ... " + (frames.length - FRAMES_PER_CAUSE) + " more");
            }
        }
        return lines.toString();
    }
}
