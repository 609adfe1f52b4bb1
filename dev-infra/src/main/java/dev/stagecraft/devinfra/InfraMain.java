package dev.stagecraft.devinfra;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;

/**
 * Runs the local platform's Kafka and PostgreSQL until SIGTERM/SIGINT, with data kept under the state dir:
 * <pre>
 * java -cp target/classes:$(cat target/dev-infra.classpath) dev.stagecraft.devinfra.InfraMain \
 *     --dir STATE_DIR --databases release,rollout [--kafka-port 9092] [--pg-port 5432]
 * </pre>
 * Without a port option, the port of the previous run is reused if free, else a free one is taken.
 * When both servers are up it writes STATE_DIR/infra.env (KAFKA_BOOTSTRAP_SERVERS, DB_HOST, DB_PORT,
 * DB_USER, DB_PASSWORD) and prints READY. On shutdown it stops both servers and deletes infra.env.
 */
public final class InfraMain {
    private InfraMain() {
    }

    public static void main(String[] args) throws Exception {
        Path dir = null;
        List<String> databases = new ArrayList<>();
        int kafkaPort = 0;
        int pgPort = 0;
        for (int i = 0; i < args.length; i++) {
            String value = i + 1 < args.length ? args[i + 1] : null;
            switch (args[i]) {
                case "--dir" -> dir = Path.of(require(args[i], value));
                case "--databases" -> databases.addAll(List.of(require(args[i], value).split(",")));
                case "--kafka-port" -> kafkaPort = Integer.parseInt(require(args[i], value));
                case "--pg-port" -> pgPort = Integer.parseInt(require(args[i], value));
                default -> usage("unknown option " + args[i]);
            }
            i++;
        }
        if (dir == null) {
            usage("--dir is required");
        }
        run(dir.toAbsolutePath(), databases, kafkaPort, pgPort);
    }

    private static void run(Path dir, List<String> databases, int kafkaPort, int pgPort) throws Exception {
        Files.createDirectories(dir);
        Path envFile = dir.resolve("infra.env");
        Files.deleteIfExists(envFile);
        CompletableFuture<KafkaServer> kafkaStart = CompletableFuture.supplyAsync(() -> {
            try {
                return KafkaServer.start(dir.resolve("kafka"), kafkaPort);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }, r -> new Thread(r, "kafka-start").start());
        PostgresServer postgres = PostgresServer.start(dir.resolve("postgres"), pgPort);
        KafkaServer kafka;
        try {
            kafka = kafkaStart.join();
        } catch (RuntimeException e) {
            postgres.close();
            throw e;
        }

        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            kafka.close();
            try {
                postgres.close();
                Files.deleteIfExists(envFile);
            } catch (IOException e) {
                System.err.println("dev-infra: " + e);
            }
            stopped.countDown();
        }, "infra-shutdown"));

        for (String db : databases) {
            if (!db.isBlank()) {
                postgres.createDatabase(db.trim());
            }
        }
        String env = "KAFKA_BOOTSTRAP_SERVERS=" + kafka.bootstrapServers() + "\n"
                + "DB_HOST=" + postgres.host() + "\n"
                + "DB_PORT=" + postgres.port() + "\n"
                + "DB_USER=" + PostgresServer.USER + "\n"
                + "DB_PASSWORD=" + PostgresServer.PASSWORD + "\n";
        Path tmp = dir.resolve("infra.env.tmp");
        Files.writeString(tmp, env);
        Files.move(tmp, envFile, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        System.out.println("READY");
        System.out.flush();
        stopped.await(); // the shutdown hook releases it; until then, serve
    }

    private static String require(String option, String value) {
        if (value == null) {
            usage(option + " needs a value");
        }
        return value;
    }

    private static void usage(String problem) {
        System.err.println(problem + "\nusage: InfraMain --dir STATE_DIR [--databases a,b] [--kafka-port N] [--pg-port N]");
        System.exit(2);
    }
}
