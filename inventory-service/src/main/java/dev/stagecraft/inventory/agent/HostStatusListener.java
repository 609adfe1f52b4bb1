package dev.stagecraft.inventory.agent;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import dev.stagecraft.contracts.EventTypes;
import dev.stagecraft.contracts.HostHeartbeat;
import dev.stagecraft.contracts.HostRouters;
import dev.stagecraft.contracts.InstanceStatusReport;
import dev.stagecraft.contracts.RouterStatusReport;
import dev.stagecraft.contracts.Topics;
import dev.stagecraft.platform.messaging.CloudEventHeaders;
import dev.stagecraft.platform.persistence.JsonText;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndTimestamp;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.jboss.logging.Logger;

/**
 * Reads {@link Topics#HOST_STATUS} on a thread of its own into the {@link HostDirectory} and the {@link AgentReports}.
 * No consumer group: every inventory-service needs every report, and none needs old ones. It starts a
 * {@code lookBack} before now, which holds every live agent's last heartbeat, so that after a restart the whole
 * picture is there as soon as it has {@linkplain #awaitCaughtUp caught up}, without waiting for new heartbeats.
 */
public class HostStatusListener implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(HostStatusListener.class);

    private final KafkaConsumer<String, byte[]> consumer;
    private final HostDirectory hosts;
    private final AgentReports reports;
    private final RouterReports routers;
    private final Duration lookBack;
    private final CountDownLatch caughtUp = new CountDownLatch(1);
    private final Thread thread;
    /** Callers waiting until what was published before they asked has been read ({@link #awaitReadUpToNow}). */
    private final java.util.concurrent.ConcurrentLinkedQueue<CountDownLatch> readUpToNow =
            new java.util.concurrent.ConcurrentLinkedQueue<>();
    private volatile boolean running = true;
    /** Past the start-up (partitions assigned and positioned): a wakeup now only interrupts a poll. */
    private volatile boolean assigned;

    public HostStatusListener(String bootstrapServers, Map<String, Object> security, HostDirectory hosts,
            AgentReports reports, Duration lookBack) {
        this(bootstrapServers, security, hosts, reports, new RouterReports(), lookBack);
    }

    /** As above; the fleet routers' reports go to {@code routers}. */
    public HostStatusListener(String bootstrapServers, Map<String, Object> security, HostDirectory hosts,
            AgentReports reports, RouterReports routers, Duration lookBack) {
        this.routers = routers;
        Properties props = new Properties();
        props.putAll(security);
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        props.put(ConsumerConfig.CLIENT_ID_CONFIG, "inventory-service-host-status");
        this.consumer = new KafkaConsumer<>(props, new StringDeserializer(), new ByteArrayDeserializer());
        this.hosts = hosts;
        this.reports = reports;
        this.lookBack = lookBack;
        this.thread = new Thread(this::run, "host-status-listener");
        this.thread.setDaemon(true);
    }

    /** The fleet routers as the agents report them. */
    public RouterReports routers() {
        return routers;
    }

    public void start() {
        thread.start();
    }

    /** Whether everything published up to the start was read, within {@code timeout}. */
    public boolean awaitCaughtUp(Duration timeout) throws InterruptedException {
        return caughtUp.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    /**
     * Whether every report published before this call has been read, within {@code timeout}. Another replica of this
     * service may have acted on a report (an agent's answer to its command) just before it let a fleet go: whoever
     * takes the fleet next reads up to here first, so it knows what the previous holder knew.
     */
    public boolean awaitReadUpToNow(Duration timeout) throws InterruptedException {
        CountDownLatch read = new CountDownLatch(1);
        readUpToNow.add(read);
        if (assigned) {
            consumer.wakeup(); // out of a poll that would otherwise wait its 500 ms for nothing
        }
        return read.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    private void run() {
        try {
            List<TopicPartition> partitions = assign();
            Map<TopicPartition, Long> ends = consumer.endOffsets(partitions);
            // callers taken from the queue, and the ends they wait for (null until read; then every one of them
            // asked before the ends were read, so reading up to them is reading up to each caller's "now")
            List<CountDownLatch> waiting = new java.util.ArrayList<>();
            Map<TopicPartition, Long> waitingFor = null;
            assigned = true;
            while (running) {
                try {
                    if (waitingFor == null) {
                        for (CountDownLatch l; (l = readUpToNow.poll()) != null; ) {
                            waiting.add(l);
                        }
                        if (!waiting.isEmpty()) {
                            waitingFor = consumer.endOffsets(partitions);
                        }
                    }
                    for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(
                            waiting.isEmpty() ? 500 : 20))) {
                        handle(record);
                    }
                    if (caughtUp.getCount() > 0 && readUpTo(ends)) {
                        caughtUp.countDown();
                    }
                    if (waitingFor != null && readUpTo(waitingFor)) {
                        waiting.forEach(CountDownLatch::countDown);
                        waiting.clear();
                        waitingFor = null;
                    }
                } catch (WakeupException e) {
                    if (!running) {
                        throw e;
                    }
                    // woken for a caller waiting to have read up to now: its turn comes at the top of the loop
                } catch (RuntimeException e) {
                    // A broker away for a while (a request timed out): reading on is the only way back. Without
                    // this listener no agent's report is read again, and every step on agents waits out its deadline.
                    LOG.warnf("host-status listener: %s; polling again in 1 s", e.toString());
                    pause();
                } catch (OutOfMemoryError e) {
                    // Seen with a 128 MiB heap while a step of 1,000 instances and its 4 MB answers were in hand: the
                    // thread ended, and from then on no report was read. The heap is usually back a moment later.
                    LOG.errorf("host-status listener: %s; polling again in 1 s", e.toString());
                    pause();
                }
            }
        } catch (WakeupException e) {
            // closing
        } catch (RuntimeException e) {
            LOG.errorf(e, "the host-status listener could not start; agents' reports are not read");
        } finally {
            consumer.close(Duration.ofSeconds(2));
        }
    }

    private boolean readUpTo(Map<TopicPartition, Long> ends) {
        return ends.entrySet().stream().allMatch(e -> consumer.position(e.getKey()) >= e.getValue());
    }

    private void pause() {
        try {
            Thread.sleep(1_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            running = false;
        }
    }

    /** All partitions of the topic (waiting until the topic exists), each from {@code lookBack} ago. */
    private List<TopicPartition> assign() {
        List<PartitionInfo> infos = consumer.partitionsFor(Topics.HOST_STATUS);
        while (running && (infos == null || infos.isEmpty())) {
            sleep();
            infos = consumer.partitionsFor(Topics.HOST_STATUS);
        }
        List<TopicPartition> partitions = infos.stream().map(p -> new TopicPartition(p.topic(), p.partition())).toList();
        consumer.assign(partitions);
        long from = Instant.now().minus(lookBack).toEpochMilli();
        Map<TopicPartition, Long> times = new HashMap<>();
        partitions.forEach(p -> times.put(p, from));
        Map<TopicPartition, OffsetAndTimestamp> offsets = consumer.offsetsForTimes(times);
        Map<TopicPartition, Long> ends = consumer.endOffsets(partitions);
        partitions.forEach(p -> {
            OffsetAndTimestamp at = offsets.get(p);
            consumer.seek(p, at != null ? at.offset() : ends.get(p));
        });
        return partitions;
    }

    private void handle(ConsumerRecord<String, byte[]> record) {
        byte[] json = record.value();
        String ceType = CloudEventHeaders.value(record, CloudEventHeaders.TYPE);
        try {
            if (EventTypes.HOST_ROUTER_STATUS.equals(ceType)) {
                routers.apply(JsonText.read(json, RouterStatusReport.class));
            } else if (EventTypes.HOST_ROUTERS.equals(ceType)) {
                routers.apply(JsonText.read(json, HostRouters.class));
            } else if (EventTypes.HOST_HEARTBEAT.equals(ceType)) {
                HostHeartbeat heartbeat = JsonText.read(json, HostHeartbeat.class);
                hosts.heard(heartbeat);
                reports.apply(heartbeat);
            } else {
                reports.apply(JsonText.read(json, InstanceStatusReport.class));
            }
        } catch (RuntimeException e) {
            LOG.warnf("skipped an unreadable record at %s-%d@%d: %s", record.topic(), record.partition(),
                    record.offset(), e.getMessage());
        }
    }

    private static void sleep() {
        try {
            Thread.sleep(500);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new WakeupException();
        }
    }

    @Override
    public void close() {
        running = false;
        consumer.wakeup();
        try {
            thread.join(3000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
