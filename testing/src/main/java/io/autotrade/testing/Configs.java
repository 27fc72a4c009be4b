package io.autotrade.testing;

import java.lang.annotation.Annotation;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.util.Map;

/**
 * Component property types (OSGi Compendium 112.8) for unit tests: an instance of the annotation that answers
 * each method from a properties map, as SCR does (the method name with {@code _} read as {@code .}: {@code
 * order_amount()} is {@code order.amount}), and with the method's default where the map has no value.
 */
public final class Configs {
    private Configs() {
    }

    /**
     * @param type       the component property type
     * @param properties the configuration, e.g. {@code Map.of("market", "KRW-BTC", "period", 2)}
     * @param <A>        its type
     * @return an instance answering from the map
     * @throws IllegalArgumentException when a method has neither a value nor a default
     */
    public static <A extends Annotation> A of(Class<A> type, Map<String, ?> properties) {
        return type.cast(Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[] {type}, (proxy, method, args) -> {
            return switch (method.getName()) {
                case "annotationType" -> type;
                case "toString" -> type.getSimpleName() + properties;
                case "hashCode" -> properties.hashCode();
                case "equals" -> proxy == args[0];
                default -> value(method, properties.get(method.getName().replace('_', '.')));
            };
        }));
    }

    private static Object value(Method method, Object given) {
        if (given == null) {
            Object d = method.getDefaultValue();
            if (d == null) {
                throw new IllegalArgumentException("no value for " + method.getName() + " and no default");
            }
            return d;
        }
        Class<?> t = method.getReturnType();
        String text = String.valueOf(given);
        if (t == String.class) {
            return text;
        } else if (t == int.class) {
            return Integer.parseInt(text);
        } else if (t == long.class) {
            return Long.parseLong(text);
        } else if (t == boolean.class) {
            return Boolean.parseBoolean(text);
        } else if (t == String[].class) {
            return given instanceof String[] a ? a : text.split(",");
        }
        throw new IllegalArgumentException(method.getName() + ": no conversion to " + t);
    }
}
