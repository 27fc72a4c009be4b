package io.autotrade.backtest.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** What a user reads when a strategy component refuses its settings: the root cause's message, no stack trace. */
class ActivationFailureTest {
    @Test
    void theRootCausesMessageWithoutItsClassName() {
        String trace = """
                org.osgi.service.component.ComponentException: Error during instantiation of the implementation object
                \tat org.apache.felix.scr.impl.manager.SingleComponentManager.createImplementationObject(SingleComponentManager.java:327)
                Caused by: java.lang.reflect.InvocationTargetException
                \tat java.base/jdk.internal.reflect.DirectConstructorHandleAccessor.newInstance(DirectConstructorHandleAccessor.java:74)
                Caused by: java.lang.IllegalArgumentException: order.time.in.force applies to order.type best only, was 'ioc'
                \tat io.autotrade.api.strategy.LongOnlyStrategy.orderOptions(LongOnlyStrategy.java:120)
                """;
        assertEquals("order.time.in.force applies to order.type best only, was 'ioc'", PipelineBacktestRunner.rootMessage(trace));
        assertEquals("no cause here", PipelineBacktestRunner.rootMessage("java.lang.IllegalStateException: no cause here"));
    }
}
