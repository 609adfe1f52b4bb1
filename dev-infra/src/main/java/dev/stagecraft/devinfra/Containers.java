package dev.stagecraft.devinfra;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.testcontainers.DockerClientFactory;
import org.testcontainers.kafka.KafkaContainer;
import org.testcontainers.postgresql.PostgreSQLContainer;

/**
 * Kafka (KRaft) and PostgreSQL as Testcontainers, for machines with a Docker engine. The images can be
 * changed with {@value #ENV_KAFKA_IMAGE} and {@value #ENV_POSTGRES_IMAGE} (a mirror, say).
 */
final class Containers {
    static final String ENV_KAFKA_IMAGE = "STAGECRAFT_KAFKA_IMAGE";
    static final String ENV_POSTGRES_IMAGE = "STAGECRAFT_POSTGRES_IMAGE";
    static final String KAFKA_IMAGE = "apache/kafka:4.1.2";
    static final String POSTGRES_IMAGE = "postgres:16-alpine";

    private static Boolean reachable;

    private Containers() {
    }

    /**
     * Whether a Docker engine answers. Testcontainers' own probe is asked only where something hints at
     * Docker, so that machines without it (like CI here) neither wait for the probe nor log its failure.
     */
    static synchronized boolean dockerReachable() {
        if (reachable == null) {
            reachable = dockerHinted(System.getenv("DOCKER_HOST"), System.getProperty("user.home"))
                    && DockerClientFactory.instance().isDockerAvailable();
        }
        return reachable;
    }

    static boolean dockerHinted(String dockerHost, String home) {
        if (dockerHost != null && !dockerHost.isBlank()) {
            return true;
        }
        List<Path> hints = List.of(Path.of("/var/run/docker.sock"), Path.of(home, ".docker/run/docker.sock"),
                Path.of(home, ".testcontainers.properties"), Path.of(home, ".colima/default/docker.sock"));
        return hints.stream().anyMatch(Files::exists);
    }

    static TestBroker kafka(Map<String, String> env) {
        KafkaContainer kafka = new KafkaContainer(env.getOrDefault(ENV_KAFKA_IMAGE, KAFKA_IMAGE));
        kafka.start();
        return new TestBroker(kafka.getBootstrapServers(), "Kafka container " + kafka.getDockerImageName(),
                kafka::stop);
    }

    static TestDatabase postgres(Map<String, String> env) {
        PostgreSQLContainer postgres = new PostgreSQLContainer(env.getOrDefault(ENV_POSTGRES_IMAGE, POSTGRES_IMAGE))
                .withUsername(PostgresServer.USER).withPassword(PostgresServer.PASSWORD);
        postgres.start();
        return new TestDatabase(postgres.getHost(), postgres.getMappedPort(PostgreSQLContainer.POSTGRESQL_PORT),
                PostgresServer.USER, PostgresServer.PASSWORD, "PostgreSQL container " + postgres.getDockerImageName(),
                postgres::stop);
    }
}
