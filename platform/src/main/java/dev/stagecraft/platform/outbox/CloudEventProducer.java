package dev.stagecraft.platform.outbox;

import java.nio.charset.StandardCharsets;
import java.time.format.DateTimeFormatter;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;

import dev.stagecraft.platform.messaging.CloudEventHeaders;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.StringSerializer;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Publishes outbox rows as CloudEvents in binary mode through an idempotent producer, so that a
 * retried send never duplicates a record within a producer session.
 */
@ApplicationScoped
public class CloudEventProducer {
    private final String bootstrapServers;
    private final String source;
    private volatile KafkaProducer<String, String> producer;

    public CloudEventProducer(@ConfigProperty(name = "kafka.bootstrap.servers") String bootstrapServers,
            @ConfigProperty(name = "quarkus.application.name") String applicationName) {
        this.bootstrapServers = bootstrapServers;
        this.source = CloudEventHeaders.source(applicationName);
    }

    public CompletableFuture<Void> send(OutboxEvent event) {
        var headers = new RecordHeaders();
        headers.add(CloudEventHeaders.SPEC_VERSION, bytes(CloudEventHeaders.SPEC_VERSION_1_0));
        headers.add(CloudEventHeaders.ID, bytes(event.eventId));
        headers.add(CloudEventHeaders.SOURCE, bytes(source));
        headers.add(CloudEventHeaders.TYPE, bytes(event.type));
        headers.add(CloudEventHeaders.TIME, bytes(DateTimeFormatter.ISO_INSTANT.format(event.createdAt)));
        headers.add(CloudEventHeaders.SUBJECT, bytes(event.eventKey));
        headers.add(CloudEventHeaders.CONTENT_TYPE, bytes(CloudEventHeaders.JSON));
        var record = new ProducerRecord<>(event.topic, null, event.eventKey, event.payload, headers);
        CompletableFuture<Void> sent = new CompletableFuture<>();
        producer().send(record, (metadata, error) -> {
            if (error == null) {
                sent.complete(null);
            } else {
                sent.completeExceptionally(error);
            }
        });
        return sent;
    }

    private KafkaProducer<String, String> producer() {
        if (producer == null) {
            synchronized (this) {
                if (producer == null) {
                    Properties props = new Properties();
                    props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
                    // SASL/SSL as the channels have it: this producer is built by hand, not by the connector
                    props.putAll(dev.stagecraft.platform.kafka.KafkaSecuritySettings.clientProperties(
                            org.eclipse.microprofile.config.ConfigProvider.getConfig()));
                    props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
                    props.put(ProducerConfig.ACKS_CONFIG, "all");
                    props.put(ProducerConfig.LINGER_MS_CONFIG, 0);
                    props.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 30_000);
                    props.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 10_000);
                    props.put(ProducerConfig.CLIENT_ID_CONFIG, source.substring(source.lastIndexOf('/') + 1) + "-outbox");
                    // A step of a large fleet lists its instances, each with its release: 1,000 of them are about
                    // 1 MB of JSON, over the producer's default limit (checked before compression). lz4 shrinks
                    // those repeats many times over (the broker's 1 MB limit applies to the compressed batch), and
                    // costs a small record next to nothing.
                    props.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
                    props.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, 16 * 1024 * 1024);
                    producer = new KafkaProducer<>(props, new StringSerializer(), new StringSerializer());
                }
            }
        }
        return producer;
    }

    /**
     * Made while the service starts, not at its first send: building a producer loads and initialises much of the
     * client, and a restarted service's first hop paid 100–300 ms for it (docs/performance.md, "The 1 s hops").
     */
    void start(@Observes StartupEvent event) {
        producer();
    }

    void close(@Observes ShutdownEvent event) {
        if (producer != null) {
            producer.close(java.time.Duration.ofSeconds(5));
        }
    }

    private static byte[] bytes(String value) {
        return value.getBytes(StandardCharsets.UTF_8);
    }
}
