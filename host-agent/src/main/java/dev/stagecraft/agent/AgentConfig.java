package dev.stagecraft.agent;

import dev.stagecraft.contracts.Durations;
import dev.stagecraft.contracts.secrets.SecretBox;
import dev.stagecraft.contracts.secrets.SecretKeyRing;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Everything the agent reads from its environment (see README for the variables and defaults). Durations are
 * written as in strategies: {@code 500ms}, {@code 10s}, {@code 5m}.
 */
record AgentConfig(
        String hostId,
        String hostAddress,
        Path stateDir,
        String bootstrapServers,
        Duration heartbeatInterval,
        Duration syncPeriod,
        Duration livenessPeriod,
        Duration livenessTimeout,
        int livenessFailureThreshold,
        Duration startTimeout,
        CrashLoopBackoff backoff,
        Duration stopGrace,
        Duration sessionTimeout,
        String javaCommand,
        List<String> javaOptions,
        Optional<SecretBox> secrets,
        int metricsPort) {

    /**
     * JVM options of {@code .jar} instances: the small JVM inventory-service's local-process driver gives them (many
     * instances share a host), and no Nagle delay on the JDK's HTTP server.
     */
    static final String DEFAULT_JAVA_OPTIONS =
            "-XX:+UseSerialGC -Xmx64m -XX:TieredStopAtLevel=1 -Xss512k -Dsun.net.httpserver.nodelay=true";

    static AgentConfig fromEnv(Map<String, String> env) {
        List<String> problems = new ArrayList<>();
        Reader r = new Reader(env, problems);
        String hostId = r.text("STAGECRAFT_HOST_ID", null);
        if (hostId == null || !HandleStore.isValidId(hostId)) {
            problems.add("STAGECRAFT_HOST_ID must be set to letters, digits, '.', '_' or '-' (got " + hostId + ")");
        }
        AgentConfig config = new AgentConfig(
                hostId,
                r.text("STAGECRAFT_HOST_ADDRESS", "127.0.0.1"),
                Path.of(r.text("STAGECRAFT_AGENT_STATE_DIR",
                        Path.of(System.getProperty("user.home"), ".stagecraft", "agent", String.valueOf(hostId)).toString())),
                r.text("KAFKA_BOOTSTRAP_SERVERS", "localhost:9092"),
                r.duration("STAGECRAFT_AGENT_HEARTBEAT_INTERVAL", "5s"),
                r.duration("STAGECRAFT_AGENT_SYNC_PERIOD", "500ms"),
                r.duration("STAGECRAFT_AGENT_LIVENESS_PERIOD", "5s"),
                r.duration("STAGECRAFT_AGENT_LIVENESS_TIMEOUT", "1s"),
                r.count("STAGECRAFT_AGENT_LIVENESS_FAILURES", 3),
                r.duration("STAGECRAFT_AGENT_START_TIMEOUT", "30s"),
                new CrashLoopBackoff(
                        r.duration("STAGECRAFT_AGENT_BACKOFF_INITIAL", "10s"),
                        r.duration("STAGECRAFT_AGENT_BACKOFF_MAX", "5m"),
                        r.duration("STAGECRAFT_AGENT_BACKOFF_RESET", "10m")),
                r.duration("STAGECRAFT_AGENT_STOP_GRACE", "10s"),
                r.duration("STAGECRAFT_AGENT_SESSION_TIMEOUT", "10s"),
                r.text("STAGECRAFT_AGENT_JAVA", defaultJavaCommand()),
                Arrays.stream(r.text("STAGECRAFT_AGENT_JAVA_OPTIONS", DEFAULT_JAVA_OPTIONS).trim()
                        .split("\\s+")).filter(o -> !o.isEmpty()).toList(),
                r.secrets(),
                r.port("STAGECRAFT_AGENT_METRICS_PORT", 0));
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException("invalid configuration: " + String.join("; ", problems));
        }
        return config;
    }

    /** The java the agent itself runs on. */
    static String defaultJavaCommand() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    private record Reader(Map<String, String> env, List<String> problems) {
        String text(String name, String fallback) {
            String value = env.get(name);
            return value == null || value.isBlank() ? fallback : value.trim();
        }

        Duration duration(String name, String fallback) {
            String value = text(name, fallback);
            return Durations.parse(value).orElseGet(() -> {
                problems.add(name + "=" + value + " is not a duration such as 500ms, 10s or 5m");
                return Durations.of(fallback);
            });
        }

        /** The key ring that opens the instances' sealed secrets, read as the services read theirs. */
        Optional<SecretBox> secrets() {
            try {
                return SecretKeyRing.fromEnvironment(env);
            } catch (IllegalArgumentException e) {
                problems.add(e.getMessage());
                return Optional.empty();
            }
        }

        int port(String name, int fallback) {
            String value = text(name, Integer.toString(fallback));
            try {
                int n = Integer.parseInt(value);
                if (n >= 0 && n <= 65_535) {
                    return n;
                }
            } catch (NumberFormatException e) {
                // reported below
            }
            problems.add(name + "=" + value + " must be a port from 0 (any free one) to 65535");
            return fallback;
        }

        int count(String name, int fallback) {
            String value = text(name, Integer.toString(fallback));
            try {
                int n = Integer.parseInt(value);
                if (n >= 1) {
                    return n;
                }
            } catch (NumberFormatException e) {
                // reported below
            }
            problems.add(name + "=" + value + " must be a whole number >= 1");
            return fallback;
        }
    }
}
