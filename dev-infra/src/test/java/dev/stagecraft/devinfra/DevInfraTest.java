package dev.stagecraft.devinfra;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DevInfraTest {

    @Test
    void realBrokerAndDatabaseServeTrafficAndStopOnClose() throws Exception {
        long t0 = System.nanoTime();
        KafkaServer kafka = KafkaServer.startTemporary();
        long t1 = System.nanoTime();
        PostgresServer postgres = PostgresServer.startTemporary();
        long t2 = System.nanoTime();
        System.out.printf("dev-infra timing: Kafka ready in %d ms, PostgreSQL ready in %d ms%n",
                (t1 - t0) / 1_000_000, (t2 - t1) / 1_000_000);
        ProcessHandle broker = kafka.processHandle();
        try {
            produce(kafka.bootstrapServers(), "smoke", "hello");
            assertEquals(List.of("hello"), consume(kafka.bootstrapServers(), "smoke", 1));
            assertEquals(1, selectOne(postgres.jdbcUrl("postgres")));
        } finally {
            long t3 = System.nanoTime();
            kafka.close();
            long t4 = System.nanoTime();
            postgres.close();
            System.out.printf("dev-infra timing: Kafka stopped in %d ms, PostgreSQL stopped in %d ms%n",
                    (t4 - t3) / 1_000_000, (System.nanoTime() - t4) / 1_000_000);
        }
        assertFalse(broker.isAlive(), "broker process must be gone after close()");
        kafka.close(); // idempotent
        postgres.close();
    }

    @Test
    void testResourceStartsBothAndReturnsQuarkusConfig() throws Exception {
        StagecraftTestInfra infra = new StagecraftTestInfra(Map.of());
        infra.init(Map.of("database", "orders"));
        long t0 = System.nanoTime();
        Map<String, String> config = infra.start();
        System.out.printf("dev-infra timing: StagecraftTestInfra.start() (parallel) in %d ms%n", (System.nanoTime() - t0) / 1_000_000);
        String bootstrap = config.get("kafka.bootstrap.servers");
        try {
            assertTrue(config.get("quarkus.datasource.reactive.url").matches("postgresql://127\\.0\\.0\\.1:\\d+/orders"), config.toString());
            assertEquals("postgres", config.get("quarkus.datasource.username"));
            assertEquals("postgres", config.get("quarkus.datasource.password"));
            try (Connection c = PostgresServer.connect(config.get("quarkus.datasource.jdbc.url"), "postgres", "postgres");
                 Statement s = c.createStatement();
                 ResultSet rs = s.executeQuery("select current_database()")) {
                assertTrue(rs.next());
                assertEquals("orders", rs.getString(1));
            }
            produce(config.get("kafka.bootstrap.servers"), "infra", "x");
        } finally {
            infra.stop();
        }
        int brokerPort = Integer.parseInt(bootstrap.substring(bootstrap.lastIndexOf(':') + 1));
        try (java.net.Socket socket = new java.net.Socket()) {
            socket.connect(new java.net.InetSocketAddress("127.0.0.1", brokerPort), 1000);
            throw new AssertionError("the broker still listens at " + bootstrap + " after stop()");
        } catch (java.net.ConnectException stopped) {
            // what stop() must lead to
        }
    }

    @Test
    void persistentServersKeepDataAndPortsAcrossRestarts(@TempDir Path dir) throws Exception {
        int kafkaPort;
        int pgPort;
        try (KafkaServer kafka = KafkaServer.start(dir.resolve("kafka"), 0);
             PostgresServer postgres = PostgresServer.start(dir.resolve("postgres"), 0)) {
            kafkaPort = kafka.port();
            pgPort = postgres.port();
            produce(kafka.bootstrapServers(), "kept", "before-restart");
            postgres.createDatabase("kept");
            postgres.createDatabase("kept"); // already there: no error
        }
        long t0 = System.nanoTime();
        try (KafkaServer kafka = KafkaServer.start(dir.resolve("kafka"), 0);
             PostgresServer postgres = PostgresServer.start(dir.resolve("postgres"), 0)) {
            System.out.printf("dev-infra timing: restart of both on existing data in %d ms%n", (System.nanoTime() - t0) / 1_000_000);
            assertEquals(kafkaPort, kafka.port());
            assertEquals(pgPort, postgres.port());
            assertEquals(List.of("before-restart"), consume(kafka.bootstrapServers(), "kept", 1));
            assertEquals(1, selectOne(postgres.jdbcUrl("kept")));
        }
    }

    private static void produce(String bootstrap, String topic, String value) throws Exception {
        Properties p = new Properties();
        p.put("bootstrap.servers", bootstrap);
        p.put("acks", "all");
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(p, new StringSerializer(), new StringSerializer())) {
            producer.send(new ProducerRecord<>(topic, "k", value)).get(30, TimeUnit.SECONDS);
        }
    }

    private static List<String> consume(String bootstrap, String topic, int count) {
        Properties p = new Properties();
        p.put("bootstrap.servers", bootstrap);
        p.put("group.id", "dev-infra-test-" + topic);
        p.put("auto.offset.reset", "earliest");
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(p, new StringDeserializer(), new StringDeserializer())) {
            consumer.subscribe(List.of(topic));
            List<String> values = new java.util.ArrayList<>();
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (values.size() < count && System.nanoTime() < deadline) {
                for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(200))) {
                    values.add(r.value());
                }
            }
            return values;
        }
    }

    private static int selectOne(String jdbcUrl) throws Exception {
        try (Connection c = PostgresServer.connect(jdbcUrl, PostgresServer.USER, PostgresServer.PASSWORD);
             Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("select 1")) {
            assertTrue(rs.next());
            return rs.getInt(1);
        }
    }
}
