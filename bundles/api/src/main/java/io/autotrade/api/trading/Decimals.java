package io.autotrade.api.trading;

import java.math.BigDecimal;

/** Checks shared by the value types; package private. */
final class Decimals {
    private Decimals() {
    }

    static BigDecimal positive(BigDecimal value, String field) {
        if (value == null) {
            throw new IllegalArgumentException(field + " is required");
        }
        if (value.signum() <= 0) {
            throw new IllegalArgumentException(field + " must be > 0, was " + value.toPlainString());
        }
        return value;
    }

    static BigDecimal nonNegative(BigDecimal value, String field) {
        if (value == null) {
            throw new IllegalArgumentException(field + " is required");
        }
        if (value.signum() < 0) {
            throw new IllegalArgumentException(field + " must be >= 0, was " + value.toPlainString());
        }
        return value;
    }

    static <T> T required(T value, String field) {
        if (value == null) {
            throw new IllegalArgumentException(field + " is required");
        }
        return value;
    }

    static String text(String value, String field) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException(field + " is required");
        }
        return value;
    }
}
