package io.autotrade.core.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class RetryPolicyTest {
    @Test
    void delaysGrowByTheFactorUpToTheCapWithJitterBelowTheNominalWait() {
        RetryPolicy policy = new RetryPolicy(5, 100, 2.0, 350, 0.5);
        for (int i = 0; i < 1_000; i++) {
            long first = policy.delayMillis(1);
            long second = policy.delayMillis(2);
            long capped = policy.delayMillis(4);
            assertTrue(first >= 50 && first <= 100, "first " + first);
            assertTrue(second >= 100 && second <= 200, "second " + second);
            assertTrue(capped >= 175 && capped <= 350, "capped " + capped);
        }
        assertEquals(100, new RetryPolicy(3, 100, 2.0, 1_000, 0).delayMillis(1));
        assertEquals(400, new RetryPolicy(3, 100, 2.0, 1_000, 0).delayMillis(3));
    }

    @Test
    void invalidSettingsAreRefusedByName() {
        assertTrue(assertThrows(IllegalArgumentException.class, () -> new RetryPolicy(0, 1, 2, 1, 0)).getMessage()
                .contains("retry.max.attempts"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> new RetryPolicy(1, 1, 0.5, 1, 0)).getMessage()
                .contains("retry.factor"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> new RetryPolicy(1, 1, 2, 1, 2)).getMessage()
                .contains("retry.jitter"));
    }
}
