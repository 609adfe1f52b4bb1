package dev.stagecraft.devinfra;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * For tests: publishes CloudEvents (binary mode) or raw records to the real broker, and waits for
 * records on a topic. kafka-clients is provided by the service under test.
 */
public final class CloudEventsTestClient implements AutoCloseable {
    private final String bootstrapServers;
    private final KafkaProducer<String, String> producer;

    public CloudEventsTestClient(String bootstrapServers) {
        this.bootstrapServers = bootstrapServers;
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        this.producer = new KafkaProducer<>(props, new StringSerializer(), new StringSerializer());
    }

    /** Publishes a CloudEvent with the given id, so that a test can publish the same event twice. */
    public void publish(String topic, String key, String type, String id, String json) {
        Map<String, String> headers = Map.of("ce_specversion", "1.0", "ce_id", id, "ce_type", type,
                "ce_source", "/stagecraft/test", "ce_time", Instant.now().toString(), "content-type",
                "application/json");
        publishRaw(topic, key, json, headers);
    }

    public String publish(String topic, String key, String type, String json) {
        String id = UUID.randomUUID().toString();
        publish(topic, key, type, id, json);
        return id;
    }

    /** Publishes anything at all, CloudEvent or not: for poison-record tests. */
    public void publishRaw(String topic, String key, String value, Map<String, String> headers) {
        RecordHeaders recordHeaders = new RecordHeaders();
        headers.forEach((k, v) -> recordHeaders.add(k, v.getBytes(StandardCharsets.UTF_8)));
        try {
            producer.send(new ProducerRecord<>(topic, null, key, value, recordHeaders)).get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("could not publish to " + topic, e);
        }
    }

    /** Reads {@code topic} from the beginning until a record matches, or the timeout passes. */
    public ConsumerRecord<String, String> await(String topic, Predicate<ConsumerRecord<String, String>> match,
            Duration timeout) {
        List<ConsumerRecord<String, String>> found = readUntil(topic, match, timeout);
        return found.stream().filter(match).findFirst().orElseThrow(() -> new AssertionError(
                "no matching record on " + topic + " within " + timeout + "; saw " + found.size() + " records"));
    }

    /** Every record on {@code topic} from the beginning that arrives within {@code duration}. */
    public List<ConsumerRecord<String, String>> readAll(String topic, Duration duration) {
        return readUntil(topic, r -> false, duration);
    }

    private List<ConsumerRecord<String, String>> readUntil(String topic, Predicate<ConsumerRecord<String, String>> match,
            Duration timeout) {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        props.put(ConsumerConfig.GROUP_ID_CONFIG, "test-" + UUID.randomUUID());
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        List<ConsumerRecord<String, String>> seen = new ArrayList<>();
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(props, new StringDeserializer(),
                new StringDeserializer())) {
            consumer.subscribe(List.of(topic));
            long deadline = System.nanoTime() + timeout.toNanos();
            while (System.nanoTime() < deadline) {
                for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(200))) {
                    seen.add(record);
                    if (match.test(record)) {
                        return seen;
                    }
                }
            }
        }
        return seen;
    }

    /** How many partitions {@code topic} has (created with the broker's defaults if it does not exist yet). */
    public int partitionCount(String topic) {
        return producer.partitionsFor(topic).size();
    }

    /** The value of a header, or null. */
    public static String header(ConsumerRecord<?, ?> record, String name) {
        var header = record.headers().lastHeader(name);
        return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }

    @Override
    public void close() {
        producer.close(Duration.ofSeconds(5));
    }
}
