package dev.stagecraft.platform.kafka;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

import org.junit.jupiter.api.Test;

/**
 * The connector settings every service shares (META-INF/microprofile-config.properties). The throttled commit strategy
 * looks up a partition's committed offset on the connector's polling thread before it hands over that partition's
 * first record since assignment, and that look-up waits for the poll under way to end: with SmallRye's default
 * poll-timeout (1 s), the first hop on each partition after a start or a rebalance took a second
 * (docs/performance.md, "The 1 s hops").
 */
class KafkaConnectorDefaultsTest {
    private static final String POLL_TIMEOUT = "mp.messaging.connector.smallrye-kafka.poll-timeout";
    /** A saga hop is 20–90 ms; a poll may add at most about one hop. */
    private static final int LONGEST_POLL_MS = 100;

    @Test
    void aPollEndsWithinAboutOneHopSoThatWorkQueuedForThePollingThreadIsNotHeldBack() throws IOException {
        Properties defaults = new Properties();
        try (InputStream in = KafkaConnectorDefaultsTest.class.getResourceAsStream("/META-INF/microprofile-config.properties")) {
            assertNotNull(in, "the platform's shared defaults");
            defaults.load(in);
        }
        String timeout = defaults.getProperty(POLL_TIMEOUT);
        assertNotNull(timeout, POLL_TIMEOUT + " unset: SmallRye's default is 1000 ms");
        assertTrue(Integer.parseInt(timeout.trim()) <= LONGEST_POLL_MS, POLL_TIMEOUT + "=" + timeout);
    }
}
