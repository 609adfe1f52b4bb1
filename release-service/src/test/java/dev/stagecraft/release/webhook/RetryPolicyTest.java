package dev.stagecraft.release.webhook;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class RetryPolicyTest {
    static final RetryPolicy DEFAULT = new RetryPolicy(8, Duration.ofSeconds(1), Duration.ofMinutes(5));

    @ParameterizedTest(name = "after failed attempt {0}: wait {1}")
    @CsvSource({ "1, PT1S", "2, PT2S", "3, PT4S", "4, PT8S", "8, PT2M8S", "9, PT4M16S", "10, PT5M", "11, PT5M",
            "63, PT5M", "64, PT5M", "2147483647, PT5M" })
    void doublesFromTheInitialWaitUpToTheCap(int attempts, Duration expected) {
        assertEquals(expected, DEFAULT.backoffAfter(attempts));
    }

    @ParameterizedTest(name = "{0} attempts of {1}: exhausted={2}")
    @CsvSource({ "0, 8, false", "7, 8, false", "8, 8, true", "9, 8, true", "1, 1, true" })
    void givesUpWhenTheAttemptsRunOut(int attempts, int max, boolean exhausted) {
        assertEquals(exhausted, new RetryPolicy(max, Duration.ofSeconds(1), Duration.ofSeconds(1)).exhausted(attempts));
    }

    @Test
    void refusesNonsense() {
        assertThrows(IllegalArgumentException.class, () -> new RetryPolicy(0, Duration.ZERO, Duration.ZERO));
        assertThrows(IllegalArgumentException.class,
                () -> new RetryPolicy(3, Duration.ofSeconds(2), Duration.ofSeconds(1)));
    }

    @Test
    void aDeliveryWalksPendingRetriesAndEndsDeliveredOrFailed() {
        RetryPolicy three = new RetryPolicy(3, Duration.ofMillis(100), Duration.ofMillis(150));
        Instant now = Instant.parse("2026-01-01T00:00:00Z");
        WebhookDelivery d = new WebhookDelivery();
        d.status = DeliveryStatus.PENDING;

        assertEquals("retried", d.record(AttemptResult.answered(500, 3), three, now));
        assertEquals(now.plusMillis(100), d.nextAttemptAt);
        assertEquals("retried", d.record(AttemptResult.noAnswer("HttpTimeoutException", 5), three, now));
        assertEquals(now.plusMillis(150), d.nextAttemptAt, "capped");
        assertNull(d.lastStatusCode);
        assertEquals("failed", d.record(AttemptResult.answered(503, 3), three, now));
        assertEquals(DeliveryStatus.FAILED, d.status);
        assertEquals(3, d.attempts);
        assertNull(d.nextAttemptAt);

        WebhookDelivery ok = new WebhookDelivery();
        ok.status = DeliveryStatus.PENDING;
        assertEquals("delivered", ok.record(AttemptResult.answered(204, 3), three, now));
        assertEquals(DeliveryStatus.DELIVERED, ok.status);
        assertEquals(now, ok.deliveredAt);
        assertNull(ok.lastError);
    }

    @Test
    void onlyTwoHundredsCountAsDelivered() {
        assertTrue(AttemptResult.answered(200, 1).delivered());
        assertTrue(AttemptResult.answered(299, 1).delivered());
        assertFalse(AttemptResult.answered(301, 1).delivered());
        assertFalse(AttemptResult.answered(199, 1).delivered());
        assertFalse(AttemptResult.noAnswer("ConnectException", 1).delivered());
    }
}
