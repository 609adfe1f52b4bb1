package dev.stagecraft.inventory.agent;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import dev.stagecraft.contracts.HostCommand;
import dev.stagecraft.contracts.RouterCommand;
import dev.stagecraft.contracts.Topics;
import dev.stagecraft.platform.messaging.CloudEventHeaders;
import dev.stagecraft.platform.persistence.JsonText;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Publishes {@link HostCommand}s on {@link Topics#HOST_COMMANDS}, keyed by host id, as CloudEvents in binary mode.
 * Blocking: a command counts as sent once the broker has it (acks=all), as the driver's callers run on workers.
 */
public class HostCommandSender implements AutoCloseable {
    private static final String SOURCE = "/stagecraft/inventory-service";

    private static final java.time.Duration DELIVERY_TIMEOUT = java.time.Duration.ofSeconds(60);

    private final KafkaProducer<String, byte[]> producer;

    public HostCommandSender(String bootstrapServers, Map<String, Object> security) {
        Properties props = new Properties();
        props.putAll(security);
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        props.put(ProducerConfig.LINGER_MS_CONFIG, 0);
        // A command must outlast a stalled broker (the fault suite stops it for 20 s): the idempotent producer keeps
        // retrying without duplicates until this deadline, which stays inside every step's own deadline.
        props.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, (int) DELIVERY_TIMEOUT.toMillis());
        props.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 10_000);
        props.put(ProducerConfig.CLIENT_ID_CONFIG, "inventory-service-host-commands");
        this.producer = new KafkaProducer<>(props, new StringSerializer(), new ByteArraySerializer());
    }

    public void send(HostCommand command) {
        send(command.hostId(), command.commandId(), command.eventType(), command.at(), command.type(), command);
    }

    /** A fleet router's command, on the same topic and key as the host's instance commands. */
    public void send(RouterCommand command) {
        send(command.hostId(), command.commandId(), command.eventType(), command.at(), command.type(), command);
    }

    private void send(String hostId, String commandId, String eventType, java.time.Instant at, String what,
            Object command) {
        ProducerRecord<String, byte[]> record = new ProducerRecord<>(Topics.HOST_COMMANDS, hostId,
                JsonText.write(command).getBytes(StandardCharsets.UTF_8));
        header(record, CloudEventHeaders.SPEC_VERSION, CloudEventHeaders.SPEC_VERSION_1_0);
        header(record, CloudEventHeaders.ID, commandId);
        header(record, CloudEventHeaders.SOURCE, SOURCE);
        header(record, CloudEventHeaders.TYPE, eventType);
        header(record, CloudEventHeaders.TIME, at.toString());
        header(record, CloudEventHeaders.SUBJECT, hostId);
        header(record, CloudEventHeaders.CONTENT_TYPE, CloudEventHeaders.JSON);
        try {
            producer.send(record).get(DELIVERY_TIMEOUT.toSeconds() + 5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while sending " + what, e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("cannot send " + what + " to host " + hostId + ": " + e.getMessage(), e);
        }
    }

    private static void header(ProducerRecord<String, byte[]> record, String name, String value) {
        record.headers().add(name, value.getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public void close() {
        producer.close(java.time.Duration.ofSeconds(2));
    }
}
