package dev.stagecraft.agent;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/** Work a test holds until it releases it: for lanes and engines that must not finish before the test says so. */
final class Held {
    private Held() {
    }

    /** Waits for {@code latch}, at most {@code seconds}; an unchecked failure if it is never released. */
    static void until(CountDownLatch latch, long seconds) {
        try {
            if (!latch.await(seconds, TimeUnit.SECONDS)) {
                throw new IllegalStateException("never released");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
