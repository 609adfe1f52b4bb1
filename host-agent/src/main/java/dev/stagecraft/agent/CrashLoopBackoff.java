package dev.stagecraft.agent;

import java.time.Duration;

/**
 * Kubelet's restart backoff: after the n-th consecutive failure an instance waits {@code initial · 2^(n-1)}, at
 * most {@code max}, before it is started again; and it never gives up. An instance that stayed up for
 * {@code resetAfter} before it failed starts counting again from one. Pure, so the table test is the spec.
 */
record CrashLoopBackoff(Duration initial, Duration max, Duration resetAfter) {

    CrashLoopBackoff {
        if (initial.isNegative() || initial.isZero() || max.compareTo(initial) < 0) {
            throw new IllegalArgumentException("backoff needs 0 < initial <= max, got " + initial + " and " + max);
        }
    }

    /** How long to wait after the given number of consecutive failures (1 for the first). */
    Duration delayAfter(int consecutiveFailures) {
        Duration delay = initial;
        for (int i = 1; i < consecutiveFailures && delay.compareTo(max) < 0; i++) {
            delay = delay.multipliedBy(2);
        }
        return delay.compareTo(max) > 0 ? max : delay;
    }

    /**
     * The consecutive failures once an instance fails again, given the count before and how long it had been up
     * (zero for one that never answered).
     */
    int failuresAfterExit(int failuresBefore, Duration upFor) {
        return upFor.compareTo(resetAfter) >= 0 ? 1 : failuresBefore + 1;
    }
}
