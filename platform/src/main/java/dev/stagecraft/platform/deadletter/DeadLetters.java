package dev.stagecraft.platform.deadletter;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

import dev.stagecraft.contracts.Topics;
import dev.stagecraft.platform.kafka.KafkaSecuritySettings;
import dev.stagecraft.platform.secrets.SecretMasking;
import io.quarkus.runtime.ShutdownEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.eclipse.microprofile.config.ConfigProvider;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * Reads this service's dead-letter topic and sends a dead letter back where it came from. Blocking (Kafka clients):
 * call from worker threads. A re-driven record keeps its key, value and CloudEvents headers, {@code ce_id}
 * included, so a consumer that did apply it after all skips it (inbox); it loses the dead-letter headers.
 */
@ApplicationScoped
public class DeadLetters {
    static final String DEAD_LETTER_HEADER = "dead-letter-";
    static final String REDRIVEN_HEADER = "stagecraft-redriven-from";
    private static final Logger LOG = Logger.getLogger(DeadLetters.class);
    private static final Duration READ_FOR = Duration.ofSeconds(2);

    private final String bootstrapServers;
    private final Map<String, Object> security;
    private final TopicPartition topic;
    /** The gauge counts every 15 s: one consumer for that, rather than a new client (threads, sockets) each time. */
    private KafkaConsumer<String, String> counting;

    public DeadLetters(@ConfigProperty(name = "kafka.bootstrap.servers") String bootstrapServers,
            @ConfigProperty(name = "quarkus.application.name") String applicationName) {
        this.bootstrapServers = bootstrapServers;
        // A broker that wants SASL/SSL wants it from these clients too, as from the channels and the outbox.
        this.security = KafkaSecuritySettings.clientProperties(ConfigProvider.getConfig());
        this.topic = new TopicPartition(Topics.deadLetter(applicationName), 0);
    }

    /** How many records the dead-letter topic holds (retained offsets); empty when the broker cannot be read. */
    public synchronized Optional<Long> count() {
        try {
            if (counting == null) {
                counting = consumer();
            }
            long end = counting.endOffsets(List.of(topic), Duration.ofSeconds(5)).get(topic);
            long begin = counting.beginningOffsets(List.of(topic), Duration.ofSeconds(5)).get(topic);
            return Optional.of(Math.max(0, end - begin));
        } catch (RuntimeException e) {
            LOG.debugf("dead letters of %s not counted: %s", topic, e.toString());
            closeCounting(); // a fresh client next time
            return Optional.empty();
        }
    }

    synchronized void closeCounting(@Observes ShutdownEvent event) {
        closeCounting();
    }

    private void closeCounting() {
        if (counting != null) {
            try {
                counting.close(Duration.ofSeconds(2));
            } catch (RuntimeException e) {
                LOG.debugf("closing the dead-letter counter: %s", e.toString());
            }
            counting = null;
        }
    }

    /** The newest {@code limit} dead letters, newest first. */
    public List<DeadLetter> newest(int limit) {
        try (KafkaConsumer<String, String> consumer = consumer()) {
            long end = consumer.endOffsets(List.of(topic)).get(topic);
            long from = Math.max(consumer.beginningOffsets(List.of(topic)).get(topic), end - limit);
            List<DeadLetter> letters = new ArrayList<>();
            consumer.seek(topic, from);
            long deadline = System.nanoTime() + READ_FOR.toNanos();
            while (consumer.position(topic) < end && System.nanoTime() < deadline) {
                consumer.poll(Duration.ofMillis(200)).forEach(r -> letters.add(view(r)));
            }
            java.util.Collections.reverse(letters);
            return letters;
        }
    }

    public Optional<DeadLetter> get(long id) {
        return read(id).map(DeadLetters::view);
    }

    /** Publishes the dead letter {@code id} again on its original topic; empty if there is no such dead letter. */
    public Optional<DeadLetter> redrive(long id, String by) {
        Optional<ConsumerRecord<String, String>> found = read(id);
        if (found.isEmpty()) {
            return Optional.empty();
        }
        ConsumerRecord<String, String> letter = found.get();
        DeadLetter view = view(letter);
        if (view.topic() == null) {
            throw new IllegalStateException("dead letter " + id + " does not say which topic it came from");
        }
        RecordHeaders headers = new RecordHeaders();
        for (Header header : letter.headers()) {
            if (!header.key().startsWith(DEAD_LETTER_HEADER)) {
                headers.add(header);
            }
        }
        headers.add(REDRIVEN_HEADER, (topic.topic() + "@" + id + " by " + by).getBytes(StandardCharsets.UTF_8));
        try (KafkaProducer<String, String> producer = producer()) {
            producer.send(new ProducerRecord<>(view.topic(), null, letter.key(), letter.value(), headers))
                    .get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("could not re-drive dead letter " + id + " to " + view.topic(), e);
        }
        LOG.infof("dead letter %d (%s %s) re-driven to %s by %s", id, view.type(), view.eventId(), view.topic(), by);
        return Optional.of(view);
    }

    private Optional<ConsumerRecord<String, String>> read(long id) {
        try (KafkaConsumer<String, String> consumer = consumer()) {
            long end = consumer.endOffsets(List.of(topic)).get(topic);
            if (id < consumer.beginningOffsets(List.of(topic)).get(topic) || id >= end) {
                return Optional.empty();
            }
            consumer.seek(topic, id);
            long deadline = System.nanoTime() + READ_FOR.toNanos();
            while (System.nanoTime() < deadline) {
                for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(200))) {
                    if (r.offset() == id) {
                        return Optional.of(r);
                    }
                }
            }
            return Optional.empty();
        }
    }

    private static DeadLetter view(ConsumerRecord<String, String> r) {
        Map<String, String> headers = new LinkedHashMap<>();
        for (Header header : r.headers()) {
            if (header.value() != null && (header.key().startsWith("ce_") || header.key().startsWith(DEAD_LETTER_HEADER)
                    || header.key().equals(REDRIVEN_HEADER))) {
                headers.put(header.key(), new String(header.value(), StandardCharsets.UTF_8));
            }
        }
        String partition = headers.get("dead-letter-partition");
        String offset = headers.get("dead-letter-offset");
        return new DeadLetter(r.offset(), Instant.ofEpochMilli(r.timestamp()), headers.get("dead-letter-topic"),
                partition == null ? null : Integer.valueOf(partition), offset == null ? null : Long.valueOf(offset),
                r.key(), headers.get("ce_type"), headers.get("ce_id"), headers.get("dead-letter-reason"), headers,
                // A saga start or step request holds sealed secrets: shown masked, re-driven as it is.
                SecretMasking.maskedRecordValue(r.value()));
    }

    private KafkaConsumer<String, String> consumer() {
        Properties props = new Properties();
        props.putAll(security);
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false); // no group: reading commits nothing
        KafkaConsumer<String, String> consumer = new KafkaConsumer<>(props, new StringDeserializer(),
                new StringDeserializer());
        consumer.assign(List.of(topic));
        return consumer;
    }

    private KafkaProducer<String, String> producer() {
        Properties props = new Properties();
        props.putAll(security);
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        return new KafkaProducer<>(props, new StringSerializer(), new StringSerializer());
    }
}
