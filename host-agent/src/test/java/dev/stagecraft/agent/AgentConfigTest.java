package dev.stagecraft.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import dev.stagecraft.contracts.secrets.SecretBox;
import dev.stagecraft.contracts.secrets.SecretScope;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class AgentConfigTest {

    @Test
    void defaultsAreKubeletsWhereKubeletHasOne() {
        AgentConfig c = AgentConfig.fromEnv(Map.of("STAGECRAFT_HOST_ID", "host-1"));
        assertEquals("host-1", c.hostId());
        assertEquals("127.0.0.1", c.hostAddress());
        assertEquals("localhost:9092", c.bootstrapServers());
        assertEquals(new CrashLoopBackoff(Duration.ofSeconds(10), Duration.ofMinutes(5), Duration.ofMinutes(10)), c.backoff());
        assertEquals(Duration.ofSeconds(5), c.heartbeatInterval());
        assertEquals(Duration.ofSeconds(5), c.livenessPeriod());
        assertEquals(3, c.livenessFailureThreshold());
        assertEquals(Duration.ofSeconds(10), c.stopGrace());
        assertTrue(c.stateDir().endsWith(Path.of("host-1")), c.stateDir().toString());
        assertTrue(c.secrets().isEmpty(), "no key: a release with secrets fails to start, saying so");
    }

    @Test
    void readsTheSecretsKeyRingAsTheServicesDo() {
        String k1 = SecretBox.newBase64Key();
        String k2 = SecretBox.newBase64Key();
        SecretBox ring = AgentConfig.fromEnv(Map.of("STAGECRAFT_HOST_ID", "h", "STAGECRAFT_SECRETS_KEYS",
                "old:" + k1 + ",new:" + k2)).secrets().orElseThrow();
        assertEquals("new", ring.primaryKeyId());
        SecretScope scope = SecretScope.instance("staging", "shop", "DB_PASSWORD");
        assertEquals("pw", ring.open(new SecretBox(Map.of("old", k1), "old").seal("pw", scope), scope),
                "a value sealed with an older key of the ring still opens");
        assertEquals("default", AgentConfig.fromEnv(Map.of("STAGECRAFT_HOST_ID", "h", "STAGECRAFT_SECRETS_KEY", k1))
                .secrets().orElseThrow().primaryKeyId());
        IllegalArgumentException bad = assertThrows(IllegalArgumentException.class, () -> AgentConfig.fromEnv(
                Map.of("STAGECRAFT_HOST_ID", "h", "STAGECRAFT_SECRETS_KEYS", "k1:" + k1, "STAGECRAFT_SECRETS_PRIMARY", "k9")));
        assertTrue(bad.getMessage().contains("k9"), bad.getMessage());
    }

    @Test
    void readsEveryVariable() {
        AgentConfig c = AgentConfig.fromEnv(Map.ofEntries(Map.entry("STAGECRAFT_HOST_ID", "h2"),
                Map.entry("STAGECRAFT_HOST_ADDRESS", "127.0.0.2"), Map.entry("STAGECRAFT_AGENT_STATE_DIR", "/var/lib/agent"),
                Map.entry("KAFKA_BOOTSTRAP_SERVERS", "k:9092"), Map.entry("STAGECRAFT_AGENT_BACKOFF_INITIAL", "200ms"),
                Map.entry("STAGECRAFT_AGENT_BACKOFF_MAX", "2s"), Map.entry("STAGECRAFT_AGENT_BACKOFF_RESET", "3s"),
                Map.entry("STAGECRAFT_AGENT_LIVENESS_FAILURES", "5"),
                Map.entry("STAGECRAFT_AGENT_JAVA_OPTIONS", " -Xmx32m   -XX:+UseSerialGC ")));
        assertEquals("127.0.0.2", c.hostAddress());
        assertEquals(Path.of("/var/lib/agent"), c.stateDir());
        assertEquals("k:9092", c.bootstrapServers());
        assertEquals(new CrashLoopBackoff(Duration.ofMillis(200), Duration.ofSeconds(2), Duration.ofSeconds(3)), c.backoff());
        assertEquals(5, c.livenessFailureThreshold());
        assertEquals(List.of("-Xmx32m", "-XX:+UseSerialGC"), c.javaOptions());
    }

    @ParameterizedTest(name = "{0}={1}")
    @CsvSource({"STAGECRAFT_HOST_ID, ../x", "STAGECRAFT_AGENT_SYNC_PERIOD, soon", "STAGECRAFT_AGENT_LIVENESS_FAILURES, 0",
            "STAGECRAFT_AGENT_HEARTBEAT_INTERVAL, 5"})
    void refusesWhatItCannotUseNamingTheVariable(String name, String value) {
        Map<String, String> env = new java.util.HashMap<>(Map.of("STAGECRAFT_HOST_ID", "h"));
        env.put(name, value);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> AgentConfig.fromEnv(env));
        assertTrue(e.getMessage().contains(name), e.getMessage());
    }

    @Test
    void aHostIdIsRequired() {
        assertThrows(IllegalArgumentException.class, () -> AgentConfig.fromEnv(Map.of()));
    }
}
