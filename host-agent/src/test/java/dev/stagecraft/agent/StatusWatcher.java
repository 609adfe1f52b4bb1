package dev.stagecraft.agent;

import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import dev.stagecraft.contracts.EventTypes;
import dev.stagecraft.contracts.HostHeartbeat;
import dev.stagecraft.contracts.InstanceStatus;
import dev.stagecraft.contracts.InstanceStatusReport;
import dev.stagecraft.contracts.RouterStatusReport;
import dev.stagecraft.contracts.Topics;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.function.Predicate;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/** Everything on {@link Topics#HOST_STATUS}, read from the beginning on a thread of its own, as the controller will. */
final class StatusWatcher implements AutoCloseable {

    /** One record with its CloudEvents headers; at most one of report, heartbeat and router is set. */
    record Received(String hostId, Map<String, String> headers, InstanceStatusReport report, HostHeartbeat heartbeat,
            RouterStatusReport router) {
        String type() {
            return headers.get("ce_type");
        }
    }

    private final KafkaConsumer<String, byte[]> consumer;
    private final List<Received> received = new ArrayList<>();
    private final Thread thread;
    private volatile boolean closing;

    StatusWatcher(String bootstrapServers) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        consumer = new KafkaConsumer<>(p, new StringDeserializer(), new ByteArrayDeserializer());
        List<TopicPartition> partitions = consumer.partitionsFor(Topics.HOST_STATUS).stream()
                .map(info -> new TopicPartition(info.topic(), info.partition())).toList();
        consumer.assign(partitions);
        consumer.seekToBeginning(partitions);
        thread = new Thread(this::run, "status-watcher");
        thread.start();
    }

    private void run() {
        try {
            while (!closing) {
                for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                    Received r = decode(record);
                    synchronized (received) {
                        received.add(r);
                    }
                }
            }
        } catch (WakeupException e) {
            // closing
        } finally {
            consumer.close();
        }
    }

    private static Received decode(ConsumerRecord<String, byte[]> record) {
        Map<String, String> headers = new java.util.HashMap<>();
        for (Header h : record.headers()) {
            headers.put(h.key(), new String(h.value(), StandardCharsets.UTF_8));
        }
        try {
            if (EventTypes.HOST_HEARTBEAT.equals(headers.get("ce_type"))) {
                return new Received(record.key(), headers, null, Json.MAPPER.readValue(record.value(), HostHeartbeat.class),
                        null);
            }
            if (EventTypes.HOST_ROUTER_STATUS.equals(headers.get("ce_type"))) {
                return new Received(record.key(), headers, null, null,
                        Json.MAPPER.readValue(record.value(), RouterStatusReport.class));
            }
            if (EventTypes.HOST_ROUTERS.equals(headers.get("ce_type"))) {
                return new Received(record.key(), headers, null, null, null);
            }
            return new Received(record.key(), headers, Json.MAPPER.readValue(record.value(), InstanceStatusReport.class),
                    null, null);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    List<Received> all(String hostId) {
        synchronized (received) {
            return received.stream().filter(r -> hostId.equals(r.hostId())).toList();
        }
    }

    /** Instance reports of one host, in the order published. */
    List<InstanceStatusReport> reports(String hostId) {
        return all(hostId).stream().filter(r -> r.report() != null).map(Received::report).toList();
    }

    List<InstanceStatus> statuses(String hostId, String instanceId) {
        return reports(hostId).stream().map(InstanceStatusReport::instance)
                .filter(s -> instanceId.equals(s.instanceId())).toList();
    }

    /** The first report of the instance that matches, waiting up to the timeout for it. */
    InstanceStatusReport await(String hostId, String instanceId, Duration timeout, String what,
            Predicate<InstanceStatusReport> matches) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            for (InstanceStatusReport r : reports(hostId)) {
                if (instanceId.equals(r.instance().instanceId()) && matches.test(r)) {
                    return r;
                }
            }
            if (System.nanoTime() > deadline) {
                fail("no report of " + instanceId + " on " + hostId + " " + what + " within " + timeout + "; got "
                        + statuses(hostId, instanceId).stream().map(s -> s.state() + "/pid " + s.pid() + "/restarts "
                                + s.restarts() + "/" + s.lastExit() + "/" + s.detail()).toList());
            }
            sleep(50);
        }
    }

    /** The first report of the router that matches, waiting up to the timeout for it. */
    RouterStatusReport awaitRouter(String hostId, String routerId, Duration timeout, String what,
            Predicate<RouterStatusReport> matches) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            List<RouterStatusReport> routers = all(hostId).stream().filter(r -> r.router() != null)
                    .map(Received::router).filter(r -> routerId.equals(r.router().routerId())).toList();
            for (RouterStatusReport r : routers) {
                if (matches.test(r)) {
                    return r;
                }
            }
            if (System.nanoTime() > deadline) {
                fail("no report of router " + routerId + " on " + hostId + " " + what + " within " + timeout + "; got "
                        + routers.stream().map(r -> r.router().state() + "/pid " + r.router().pid() + "/gen "
                                + r.router().generation() + "/" + r.router().lastExit() + "/" + r.router().detail())
                                .toList());
            }
            sleep(50);
        }
    }

    HostHeartbeat awaitHeartbeat(String hostId, Duration timeout, Predicate<HostHeartbeat> matches) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            for (Received r : all(hostId)) {
                if (r.heartbeat() != null && matches.test(r.heartbeat())) {
                    return r.heartbeat();
                }
            }
            if (System.nanoTime() > deadline) {
                fail("no matching heartbeat from " + hostId + " within " + timeout);
            }
            sleep(50);
        }
    }

    static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() throws InterruptedException {
        closing = true;
        consumer.wakeup();
        thread.join(5_000);
    }
}
