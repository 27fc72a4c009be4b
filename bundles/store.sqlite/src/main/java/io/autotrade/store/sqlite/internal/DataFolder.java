package io.autotrade.store.sqlite.internal;

import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Arrays;

/** Where the databases live: {@code <data folder>/<profile>.db}, from configuration, else framework property, else a default. */
final class DataFolder {
    /** Folder when neither the configuration nor the framework names one. */
    static final String DEFAULT_DIR = "autotrade-data";
    /** Profile when neither the configuration nor the framework names one. */
    static final String DEFAULT_PROFILE = "autotrade";

    private DataFolder() {
    }

    static Path folder(String configured, String frameworkProperty) {
        return Paths.get(firstNonBlank(configured, frameworkProperty, DEFAULT_DIR));
    }

    static String profile(String configured, String frameworkProperty) {
        return checkName(firstNonBlank(configured, frameworkProperty, DEFAULT_PROFILE));
    }

    /**
     * @return the name
     * @throws IllegalArgumentException if the name is empty or could name a file outside the folder
     */
    static String checkName(String profile) {
        if (profile == null || !profile.matches("[A-Za-z0-9_.-]+") || profile.startsWith(".")) {
            throw new IllegalArgumentException("database profile name must be letters, digits, '.', '_' or '-' (not"
                    + " starting with '.'), was '" + profile + "'");
        }
        return profile;
    }

    static Path file(Path folder, String profile) {
        return folder.resolve(profile + ".db");
    }

    private static String firstNonBlank(String... values) {
        return Arrays.stream(values).filter(v -> v != null && !v.isBlank()).findFirst().orElseThrow();
    }
}
