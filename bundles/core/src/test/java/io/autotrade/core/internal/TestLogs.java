package io.autotrade.core.internal;

import java.lang.reflect.Proxy;
import org.osgi.service.log.Logger;
import org.osgi.service.log.LoggerFactory;

/** A LoggerFactory for unit tests whose loggers print errors and warnings to stderr. */
final class TestLogs {
    private TestLogs() {
    }

    static LoggerFactory factory() {
        Logger logger = (Logger) Proxy.newProxyInstance(TestLogs.class.getClassLoader(), new Class<?>[] {Logger.class},
                (proxy, method, args) -> {
                    if ((method.getName().equals("error") || method.getName().equals("warn")) && args != null) {
                        System.err.println(method.getName() + ": " + args[0]);
                    }
                    return method.getReturnType() == boolean.class ? Boolean.TRUE : null;
                });
        return (LoggerFactory) Proxy.newProxyInstance(TestLogs.class.getClassLoader(),
                new Class<?>[] {LoggerFactory.class}, (proxy, method, args) -> logger);
    }
}
