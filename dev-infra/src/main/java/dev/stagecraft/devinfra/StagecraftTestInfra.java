package dev.stagecraft.devinfra;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * Quarkus test resource: a real Kafka broker and PostgreSQL for {@code @QuarkusTest}s, from where
 * {@link TestServers} finds them: servers named in the environment, Testcontainers where Docker answers, or
 * processes started here (no Docker needed).
 * <pre>
 * &#64;QuarkusTestResource(value = StagecraftTestInfra.class, initArgs = &#64;ResourceArg(name = "database", value = "release"))
 * </pre>
 * The database named by init arg "database" (default "stagecraft") is created if missing.
 */
public class StagecraftTestInfra implements QuarkusTestResourceLifecycleManager {
    /** The key services under test seal and open secrets with (test only: 32 bytes of 0x07). */
    public static final String TEST_SECRETS_KEY = "BwcHBwcHBwcHBwcHBwcHBwcHBwcHBwcHBwcHBwcHBwc=";

    private final Map<String, String> env;
    private String database = "stagecraft";
    private TestBroker kafka;
    private TestDatabase postgres;

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
        // Both servers take seconds to start: start Kafka on another thread meanwhile.
        CompletableFuture<TestBroker> kafkaStart = CompletableFuture.supplyAsync(() -> TestServers.broker(env),
                r -> new Thread(r, "kafka-start").start());
        try {
            postgres = TestServers.database(env);
        } catch (RuntimeException e) {
            kafkaStart.thenAccept(TestBroker::close);
            throw e;
        }
        try {
            kafka = kafkaStart.join();
        } catch (CompletionException e) {
            stop();
            throw e.getCause() instanceof RuntimeException r ? r : e;
        }
        try {
            postgres.createDatabase(database);
        } catch (SQLException e) {
            stop();
            throw new IllegalStateException("could not create database " + database + " on " + postgres, e);
        }

        String address = postgres.host() + ":" + postgres.port() + "/" + database;
        Map<String, String> config = new HashMap<>();
        config.put("kafka.bootstrap.servers", kafka.bootstrapServers());
        config.put("quarkus.datasource.username", postgres.user());
        config.put("quarkus.datasource.password", postgres.password());
        config.put("quarkus.datasource.jdbc.url", "jdbc:postgresql://" + address);
        config.put("quarkus.datasource.reactive.url", "postgresql://" + address);
        // Services verify bearer tokens against the key TestTokens signs with.
        config.put("mp.jwt.verify.publickey.location", TestTokens.publicKey().toUri().toString());
        config.put("stagecraft.secrets.key", TEST_SECRETS_KEY);
        return config;
    }

    @Override
    public void stop() {
        try {
            if (kafka != null) {
                kafka.close();
            }
        } finally {
            kafka = null;
            if (postgres != null) {
                try {
                    postgres.close();
                } finally {
                    postgres = null;
                }
            }
        }
    }
}
