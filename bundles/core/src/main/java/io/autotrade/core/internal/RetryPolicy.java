package io.autotrade.core.internal;

import java.util.concurrent.ThreadLocalRandom;

/**
 * Exponential backoff with jitter for handler retries: the wait before attempt {@code n+1} is
 * {@code min(cap, base * factor^(n-1))}, then scaled by a random factor in {@code [1 - jitter, 1]}
 * ("equal jitter" when jitter is 0.5), so handlers failing together do not retry in lockstep.
 *
 * @param maxAttempts calls in all, first included (1 = no retry)
 * @param baseMillis  wait before the second call, ms
 * @param factor      growth per attempt, 1 or more
 * @param capMillis   longest wait, ms
 * @param jitter      share of the wait that is random, 0..1
 */
record RetryPolicy(int maxAttempts, long baseMillis, double factor, long capMillis, double jitter) {

    /** @throws IllegalArgumentException naming the setting that is out of range */
    RetryPolicy {
        if (maxAttempts < 1) {
            throw new IllegalArgumentException("retry.max.attempts must be >= 1, was " + maxAttempts);
        }
        if (baseMillis < 0 || capMillis < 0) {
            throw new IllegalArgumentException("retry.base.ms and retry.cap.ms must be >= 0, were " + baseMillis
                    + " and " + capMillis);
        }
        if (!(factor >= 1)) {
            throw new IllegalArgumentException("retry.factor must be >= 1, was " + factor);
        }
        if (!(jitter >= 0 && jitter <= 1)) {
            throw new IllegalArgumentException("retry.jitter must be within 0..1, was " + jitter);
        }
    }

    /**
     * @param failedAttempt the attempt that just failed, 1 for the first call
     * @return how long to wait before the next attempt, ms
     */
    long delayMillis(int failedAttempt) {
        double raw = baseMillis * Math.pow(factor, failedAttempt - 1);
        double capped = Math.min(capMillis, raw);
        double scale = 1 - jitter * ThreadLocalRandom.current().nextDouble();
        return Math.round(capped * scale);
    }
}
