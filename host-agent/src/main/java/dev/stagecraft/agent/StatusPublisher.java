package dev.stagecraft.agent;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.stagecraft.contracts.EventTypes;
import dev.stagecraft.contracts.HostHeartbeat;
import dev.stagecraft.contracts.HostRouters;
import dev.stagecraft.contracts.InstanceStatus;
import dev.stagecraft.contracts.InstanceStatusReport;
import dev.stagecraft.contracts.RouterStatus;
import dev.stagecraft.contracts.RouterStatusReport;
import dev.stagecraft.contracts.Topics;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Status reports and heartbeats on {@link Topics#HOST_STATUS}, keyed by host id (so one host's reports stay in
 * order), as CloudEvents in binary mode.
 *
 * <p>Never blocks the supervisor: {@code KafkaProducer.send} waits up to {@code max.block.ms} for metadata while the
 * broker is away, and supervision must go on without the control plane. So records are handed to a sender thread of
 * their own, through a bounded queue that drops the oldest report when full; one that cannot be delivered is
 * logged, and the next heartbeat carries the full state anyway.
 */
final class StatusPublisher implements StatusSink, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(StatusPublisher.class);

    /** Minutes of reports at a few a second; beyond that the newest state matters, not the history. */
    private static final int QUEUED_REPORTS = 1_000;

    private final String hostId;
    private final String hostAddress;
    private final String source;
    private final KafkaProducer<String, byte[]> producer;
    private final int metricsPort;
    /** When the broker last acknowledged a heartbeat (epoch millis; 0: never), for the agent's metrics. */
    private volatile long lastHeartbeatAcked;
    private final ThreadPoolExecutor sender = new ThreadPoolExecutor(1, 1, 0, TimeUnit.MILLISECONDS,
            new ArrayBlockingQueue<>(QUEUED_REPORTS), r -> new Thread(r, "status-sender"),
            new ThreadPoolExecutor.DiscardOldestPolicy());

    StatusPublisher(AgentConfig config) {
        this(config, 0);
    }

    /** {@code metricsPort}: where the agent serves its metrics, told with every heartbeat (0: nowhere). */
    StatusPublisher(AgentConfig config, int metricsPort) {
        this.metricsPort = metricsPort;
        this.hostId = config.hostId();
        this.hostAddress = config.hostAddress();
        this.source = "/stagecraft/host-agent/" + config.hostId();
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, config.bootstrapServers());
        p.put(ProducerConfig.CLIENT_ID_CONFIG, "host-agent-" + config.hostId());
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        p.put(ProducerConfig.LINGER_MS_CONFIG, 0);
        // Small buffers: a host sends a few small records a second at most.
        p.put(ProducerConfig.BUFFER_MEMORY_CONFIG, 4 * 1024 * 1024);
        p.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 5_000);
        // A heartbeat lists every instance of the host (~250 B each): a simulated host's thousands of them repeat
        // themselves, and lz4 makes them a tenth of that in the buffer and on the broker.
        p.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
        p.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, 16 * 1024 * 1024);
        this.producer = new KafkaProducer<>(p, new StringSerializer(), new ByteArraySerializer());
    }

    @Override
    public void instanceChanged(InstanceStatus status, String commandId) {
        Instant now = Instant.now();
        send(EventTypes.HOST_INSTANCE_STATUS, new InstanceStatusReport(hostId, hostAddress, status, commandId, now), now);
    }

    @Override
    public void heartbeat(List<InstanceStatus> instances) {
        Instant now = Instant.now();
        send(EventTypes.HOST_HEARTBEAT, new HostHeartbeat(hostId, hostAddress, instances, now, metricsPort), now);
    }

    @Override
    public void routerChanged(RouterStatus router, String commandId) {
        Instant now = Instant.now();
        send(EventTypes.HOST_ROUTER_STATUS, new RouterStatusReport(hostId, hostAddress, router, commandId, now), now);
    }

    @Override
    public void routers(List<RouterStatus> routers) {
        Instant now = Instant.now();
        send(EventTypes.HOST_ROUTERS, new HostRouters(hostId, hostAddress, routers, now), now);
    }

    private void send(String type, Object payload, Instant at) {
        byte[] body;
        try {
            body = Json.MAPPER.writeValueAsBytes(payload);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write " + type, e);
        }
        ProducerRecord<String, byte[]> record = new ProducerRecord<>(Topics.HOST_STATUS, hostId, body);
        header(record, CloudEventHeaders.SPEC_VERSION, CloudEventHeaders.SPEC_VERSION_1_0);
        header(record, CloudEventHeaders.ID, UUID.randomUUID().toString());
        header(record, CloudEventHeaders.SOURCE, source);
        header(record, CloudEventHeaders.TYPE, type);
        header(record, CloudEventHeaders.TIME, at.toString());
        // As in the services: the subject is the Kafka key.
        header(record, CloudEventHeaders.SUBJECT, hostId);
        header(record, CloudEventHeaders.CONTENT_TYPE, CloudEventHeaders.JSON);
        sender.execute(() -> {
            try {
                producer.send(record, (metadata, error) -> {
                    if (error != null) {
                        LOG.warn("could not publish {}: {}", type, error.toString());
                    } else if (EventTypes.HOST_HEARTBEAT.equals(type)) {
                        lastHeartbeatAcked = System.currentTimeMillis();
                    }
                });
            } catch (RuntimeException e) {
                LOG.warn("could not publish {}: {}", type, e.toString());
            }
        });
    }

    long lastHeartbeatAcked() {
        return lastHeartbeatAcked;
    }

    private static void header(ProducerRecord<String, byte[]> record, String name, String value) {
        record.headers().add(name, value.getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public void close() {
        sender.shutdown();
        try {
            sender.awaitTermination(2, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        sender.shutdownNow();
        producer.close(java.time.Duration.ofSeconds(2));
    }
}
