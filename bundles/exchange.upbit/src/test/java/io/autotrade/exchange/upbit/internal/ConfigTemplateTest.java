package io.autotrade.exchange.upbit.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.Reader;
import java.lang.reflect.Method;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The template a trader copies to {@code etc/} to go live ({@code features/src/main/etc/io.autotrade.exchange.upbit.cfg})
 * names only settings the adapter has, with values its metatype defaults agree with where the README says so.
 */
class ConfigTemplateTest {
    private static final Path TEMPLATE = Path.of("..", "..", "features", "src", "main", "etc", "io.autotrade.exchange.upbit.cfg");

    @Test
    void everyKeyOfTheTemplateIsASettingOfTheAdapter() throws IOException {
        Properties template = new Properties();
        try (Reader in = Files.newBufferedReader(TEMPLATE)) {
            template.load(in);
        }
        // metatype attribute ids: the Config method names with '_' read as '.' (OSGi Compendium 105.9.2)
        Set<String> settings = Arrays.stream(UpbitExchangeComponent.Config.class.getDeclaredMethods()).map(Method::getName)
                .map(n -> n.replace('_', '.')).collect(Collectors.toCollection(TreeSet::new));
        Set<String> unknown = new TreeSet<>(template.stringPropertyNames());
        unknown.removeAll(settings);
        assertEquals(Set.of(), unknown, "settings the adapter does not have: " + settings);
        assertTrue(template.stringPropertyNames().containsAll(Set.of("dry.run", "private.stream", "smp.type", "rate.order")));
        assertEquals(String.valueOf(defaultOf("rate_order")), template.getProperty("rate.order"),
                "the template's order rate is Upbit's published one");
    }

    private static Object defaultOf(String method) {
        try {
            return UpbitExchangeComponent.Config.class.getDeclaredMethod(method).getDefaultValue();
        } catch (NoSuchMethodException e) {
            throw new AssertionError(e);
        }
    }
}
