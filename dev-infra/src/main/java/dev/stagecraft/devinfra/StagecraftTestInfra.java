package dev.stagecraft.devinfra;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * Quarkus test resource: a real Kafka broker and PostgreSQL for {@code @QuarkusTest}s, no Docker needed.
 * <pre>
 * &#64;QuarkusTestResource(value = StagecraftTestInfra.class, initArgs = &#64;ResourceArg(name = "database", value = "release"))
 * </pre>
 * Servers that already run elsewhere are used instead when these environment variables are set:
 * <ul>
 * <li>{@value #ENV_KAFKA}: bootstrap servers; no broker is started.</li>
 * <li>{@value #ENV_DB_HOST} (and optionally {@value #ENV_DB_PORT} = 5432, {@value #ENV_DB_USER} = postgres,
 * {@value #ENV_DB_PASSWORD} = postgres): a PostgreSQL server; no server is started.</li>
 * </ul>
 * The database named by init arg "database" (default "stagecraft") is created if missing.
 */
public class StagecraftTestInfra implements QuarkusTestResourceLifecycleManager {
    public static final String ENV_KAFKA = "KAFKA_BOOTSTRAP_SERVERS";
    /** The key services under test seal and open secrets with (test only: 32 bytes of 0x07). */
    public static final String TEST_SECRETS_KEY = "BwcHBwcHBwcHBwcHBwcHBwcHBwcHBwcHBwcHBwcHBwc=";
    public static final String ENV_DB_HOST = "STAGECRAFT_DB_HOST";
    public static final String ENV_DB_PORT = "STAGECRAFT_DB_PORT";
    public static final String ENV_DB_USER = "STAGECRAFT_DB_USER";
    public static final String ENV_DB_PASSWORD = "STAGECRAFT_DB_PASSWORD";

    private final Map<String, String> env;
    private String database = "stagecraft";
    private KafkaServer kafka;
    private PostgresServer postgres;

    public StagecraftTestInfra() {
        this(System.getenv());
    }

    /** For tests of this class: environment given explicitly. */
    StagecraftTestInfra(Map<String, String> env) {
        this.env = env;
    }

    @Override
    public void init(Map<String, String> initArgs) {
        database = initArgs.getOrDefault("database", database);
    }

    @Override
    public Map<String, String> start() {
        String externalKafka = env.get(ENV_KAFKA);
        String dbHost = env.get(ENV_DB_HOST);
        // Both servers take seconds to start: start Kafka on another thread meanwhile.
        CompletableFuture<KafkaServer> kafkaStart = isBlank(externalKafka)
                ? CompletableFuture.supplyAsync(StagecraftTestInfra::startKafka, r -> new Thread(r, "kafka-start").start())
                : CompletableFuture.completedFuture(null);
        try {
            postgres = isBlank(dbHost) ? PostgresServer.startTemporary() : null;
        } catch (IOException | RuntimeException e) {
            kafkaStart.thenAccept(k -> {
                if (k != null) {
                    k.close();
                }
            });
            throw e instanceof IOException io ? new UncheckedIOException(io) : (RuntimeException) e;
        }
        try {
            kafka = kafkaStart.join();
        } catch (CompletionException e) {
            stop();
            throw e.getCause() instanceof RuntimeException r ? r : e;
        }

        String host = postgres != null ? postgres.host() : dbHost;
        int port = postgres != null ? postgres.port() : Integer.parseInt(env.getOrDefault(ENV_DB_PORT, "5432"));
        String user = postgres != null ? PostgresServer.USER : env.getOrDefault(ENV_DB_USER, "postgres");
        String password = postgres != null ? PostgresServer.PASSWORD : env.getOrDefault(ENV_DB_PASSWORD, "postgres");
        try {
            PostgresServer.createDatabase(host, port, user, password, database);
        } catch (SQLException e) {
            stop();
            throw new IllegalStateException("could not create database " + database + " on " + host + ":" + port, e);
        }

        Map<String, String> config = new HashMap<>();
        config.put("kafka.bootstrap.servers", kafka != null ? kafka.bootstrapServers() : externalKafka);
        config.put("quarkus.datasource.username", user);
        config.put("quarkus.datasource.password", password);
        config.put("quarkus.datasource.jdbc.url", "jdbc:postgresql://" + host + ":" + port + "/" + database);
        config.put("quarkus.datasource.reactive.url", "postgresql://" + host + ":" + port + "/" + database);
        // Services verify bearer tokens against the key TestTokens signs with.
        config.put("mp.jwt.verify.publickey.location", TestTokens.publicKey().toUri().toString());
        config.put("stagecraft.secrets.key", TEST_SECRETS_KEY);
        return config;
    }

    @Override
    public void stop() {
        if (kafka != null) {
            kafka.close();
            kafka = null;
        }
        if (postgres != null) {
            try {
                postgres.close();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            } finally {
                postgres = null;
            }
        }
    }

    /** The broker this resource started, if any (for tests). */
    KafkaServer kafka() {
        return kafka;
    }

    private static KafkaServer startKafka() {
        try {
            return KafkaServer.startTemporary();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static boolean isBlank(String s) {
        return s == null || s.isBlank();
    }
}
