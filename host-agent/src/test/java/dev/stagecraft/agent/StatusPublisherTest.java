package dev.stagecraft.agent;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StatusPublisherTest {

    @TempDir
    Path dir;

    /** Supervision goes on while the control plane is away: reporting to an absent broker must not block. */
    @Test
    void reportingNeverWaitsForAnAbsentBroker() {
        AgentConfig config = AgentConfig.fromEnv(Map.of("STAGECRAFT_HOST_ID", "h", "STAGECRAFT_AGENT_STATE_DIR",
                dir.toString(), "KAFKA_BOOTSTRAP_SERVERS", "127.0.0.1:1"));
        try (StatusPublisher publisher = new StatusPublisher(config)) {
            long started = System.nanoTime();
            for (int i = 0; i < 5; i++) {
                publisher.instanceChanged(InstanceHandle.gone("i-" + i, Instant.now()), "c-" + i);
                publisher.heartbeat(List.of());
            }
            Duration took = Duration.ofNanos(System.nanoTime() - started);
            // Each send would wait max.block.ms (5 s) for metadata on the caller's thread.
            assertTrue(took.compareTo(Duration.ofMillis(500)) < 0, "10 reports took " + took);
        }
    }
}
