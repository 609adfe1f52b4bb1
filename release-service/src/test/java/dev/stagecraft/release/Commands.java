package dev.stagecraft.release;

import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import org.apache.kafka.clients.consumer.ConsumerRecord;

import dev.stagecraft.contracts.CommandHeaders;
import dev.stagecraft.contracts.EventTypes;
import dev.stagecraft.contracts.Topics;
import dev.stagecraft.devinfra.CloudEventsTestClient;

/** Plays a CI system on the commands topic, and reads the outcomes on the deployments topic. */
final class Commands {
    static final ObjectMapper JSON = new ObjectMapper();
    static final Duration WAIT = Duration.ofSeconds(30);

    /** The headers of a well-formed command; {@code token} null leaves authorization out. */
    static Map<String, String> headers(String type, String commandId, String idempotencyKey, String token) {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("ce_specversion", "1.0");
        headers.put("ce_id", commandId);
        headers.put("ce_source", "/ci/test-pipeline");
        headers.put("ce_type", type);
        headers.put("ce_time", Instant.now().toString());
        headers.put("content-type", "application/json");
        if (idempotencyKey != null) {
            headers.put(CommandHeaders.IDEMPOTENCY_KEY, idempotencyKey);
        }
        if (token != null) {
            headers.put(CommandHeaders.AUTHORIZATION, "Bearer " + token);
        }
        return headers;
    }

    /** Publishes a command under a fresh ce_id with the given idempotency key; returns the ce_id. */
    static String send(String type, String idempotencyKey, String data, String token) {
        String id = UUID.randomUUID().toString();
        Api.kafka().publishRaw(Topics.COMMANDS, idempotencyKey, data, headers(type, id, idempotencyKey, token));
        return id;
    }

    static boolean isOutcome(ConsumerRecord<String, String> r) {
        String type = CloudEventsTestClient.header(r, "ce_type");
        return EventTypes.COMMAND_ACCEPTED.equals(type) || EventTypes.COMMAND_REJECTED.equals(type);
    }

    /** The first outcome answering {@code idempotencyKey}. */
    static ConsumerRecord<String, String> outcome(String idempotencyKey) {
        return Api.kafka().await(Topics.DEPLOYMENTS, r -> isOutcome(r)
                && idempotencyKey.equals(json(r).path("idempotencyKey").asText(null)), WAIT);
    }

    /** Every outcome answering {@code idempotencyKey} that arrives within {@code settle}. */
    static List<ConsumerRecord<String, String>> outcomes(String idempotencyKey, Duration settle) {
        return Api.kafka().readAll(Topics.DEPLOYMENTS, settle).stream().filter(r -> isOutcome(r)
                && idempotencyKey.equals(json(r).path("idempotencyKey").asText(null))).toList();
    }

    /**
     * Reads {@code topic} from the beginning, handing each record to {@code done} exactly once, until it
     * answers true or {@code timeout} passes; whether it did.
     */
    static boolean follow(String topic, java.util.function.Predicate<ConsumerRecord<String, String>> done,
            Duration timeout) {
        java.util.Properties props = new java.util.Properties();
        props.put(org.apache.kafka.clients.consumer.ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                org.eclipse.microprofile.config.ConfigProvider.getConfig().getValue("kafka.bootstrap.servers",
                        String.class));
        props.put(org.apache.kafka.clients.consumer.ConsumerConfig.GROUP_ID_CONFIG, "test-" + UUID.randomUUID());
        props.put(org.apache.kafka.clients.consumer.ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        try (var consumer = new org.apache.kafka.clients.consumer.KafkaConsumer<String, String>(props,
                new org.apache.kafka.common.serialization.StringDeserializer(),
                new org.apache.kafka.common.serialization.StringDeserializer())) {
            consumer.subscribe(List.of(topic));
            long deadline = System.nanoTime() + timeout.toNanos();
            while (System.nanoTime() < deadline) {
                for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(200))) {
                    if (done.test(record)) {
                        return true;
                    }
                }
            }
            return false;
        }
    }

    static JsonNode json(ConsumerRecord<String, String> record) {
        try {
            return JSON.readTree(record.value());
        } catch (Exception e) {
            throw new AssertionError("not JSON: " + record.value(), e);
        }
    }

    static String type(ConsumerRecord<String, String> record) {
        return CloudEventsTestClient.header(record, "ce_type");
    }

    static String header(ConsumerRecord<String, String> record, String name) {
        return CloudEventsTestClient.header(record, name);
    }

    static String releaseData(String service, String version) {
        return """
                {"service":"%s","version":"%s","artifact":{"uri":"%s","sha256":"%s"}}
                """.formatted(service, version, Api.artifactUri(), Api.artifactSha());
    }

    private Commands() {
    }
}
