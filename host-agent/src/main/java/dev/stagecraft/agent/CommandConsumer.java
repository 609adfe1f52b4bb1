package dev.stagecraft.agent;

import dev.stagecraft.contracts.HostCommand;
import dev.stagecraft.contracts.RouterCommand;
import dev.stagecraft.contracts.Topics;
import java.io.IOException;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Consumer;
import java.util.function.Function;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads {@link Topics#HOST_COMMANDS} on a thread of its own and hands this host's commands to the agent in order:
 * instance commands one at a time (each applied before the next is read), router commands to the
 * {@link RouterKeeper}, which applies each fleet's in order and different fleets' side by side, so the next record is
 * read while a fleet's router is still changing. Offsets are committed only up to below the first record not yet
 * applied ({@link CommitPoints}), so a command is never lost to a crash (it may be applied twice, which every command
 * tolerates). The controller waits for a router's confirmation before it acts on it (an instance drained is stopped
 * only once its weight 0 is confirmed), so instance commands need not wait for router commands read before them.
 *
 * <p>Each host is its own consumer group ({@code host-agent.<host id>}) and keeps the records keyed by its id:
 * simple, and fine for tens of hosts; a partition-per-host assignment can come later. The group member is static
 * ({@code group.instance.id} = host id) with a short session timeout, so a restarted agent takes its place at
 * once, without waiting for the old member to time out or for a rebalance.
 */
final class CommandConsumer implements Runnable, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(CommandConsumer.class);
    /** Router commands read and not yet applied, at most: about 25 fleets' tables per host, a few changes each. */
    static final int MAX_UNAPPLIED = 256;

    private final String hostId;
    private final KafkaConsumer<String, byte[]> consumer;
    private final Consumer<HostCommand> apply;
    private final Function<RouterCommand, CompletableFuture<Void>> applyRouter;
    private final CommitPoints commits = new CommitPoints();
    private final Thread thread;
    private volatile boolean closing;

    CommandConsumer(AgentConfig config, Consumer<HostCommand> apply) {
        this(config, apply, command -> {
            LOG.error("no router keeper for router command {}", command.commandId());
            return CompletableFuture.completedFuture(null);
        });
    }

    /**
     * Router commands ({@link RouterCommand#isRouterType}) go to {@code applyRouter}, whose future ends once the command
     * is applied; instance commands to {@code apply}, which returns once it is.
     */
    CommandConsumer(AgentConfig config, Consumer<HostCommand> apply,
            Function<RouterCommand, CompletableFuture<Void>> applyRouter) {
        this.hostId = config.hostId();
        this.apply = apply;
        this.applyRouter = applyRouter;
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, config.bootstrapServers());
        p.put(ConsumerConfig.GROUP_ID_CONFIG, "host-agent." + config.hostId());
        p.put(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG, config.hostId());
        p.put(ConsumerConfig.CLIENT_ID_CONFIG, "host-agent-" + config.hostId());
        p.put(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, (int) config.sessionTimeout().toMillis());
        p.put(ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG, (int) Math.max(500, config.sessionTimeout().toMillis() / 3));
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        // A new host must not miss the commands sent while its agent was being installed.
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        p.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 50);
        p.put(ConsumerConfig.FETCH_MAX_BYTES_CONFIG, 1024 * 1024);
        p.put(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, 256 * 1024);
        this.consumer = new KafkaConsumer<>(p, new StringDeserializer(), new ByteArrayDeserializer());
        this.thread = new Thread(this, "host-commands");
    }

    void start() {
        consumer.subscribe(List.of(Topics.HOST_COMMANDS));
        thread.start();
    }

    @Override
    public void run() {
        try {
            while (!closing) {
                try {
                    applyNextBatch();
                } catch (WakeupException e) {
                    throw e;
                } catch (RuntimeException e) {
                    // A broker that was away longer than the session timeout (the group moved on: the commit fails
                    // with CommitFailedException), a request that timed out: the next poll rejoins, and the batch
                    // not committed comes again, which every command tolerates. An agent deaf to its commands is far
                    // worse than a batch applied twice, so this thread never stops for them.
                    LOG.warn("host commands: {}; polling again in 1 s", e.toString());
                    pause();
                }
            }
        } catch (WakeupException e) {
            // closing
        } finally {
            try {
                commitApplied();
            } catch (RuntimeException e) {
                LOG.warn("host commands: the last commit failed ({}); the records after it come again", e.toString());
            }
            consumer.close(Duration.ofSeconds(2));
        }
    }

    private void applyNextBatch() {
        holdBackWhileBusy();
        ConsumerRecords<String, byte[]> records = consumer.poll(Duration.ofMillis(500));
        for (ConsumerRecord<String, byte[]> record : records) {
            if (hostId.equals(record.key())) {
                handle(record);
            } else {
                commits.passed(partition(record), record.offset());
            }
        }
        commitApplied();
    }

    /**
     * Router commands not applied yet are held in memory (each a whole table): past {@link #MAX_UNAPPLIED}, the
     * partitions are paused (polling goes on, so the group keeps this member) until the routers catch up.
     */
    private void holdBackWhileBusy() {
        boolean busy = commits.unfinished() >= MAX_UNAPPLIED;
        if (busy && consumer.paused().isEmpty()) {
            consumer.pause(consumer.assignment());
        } else if (!busy && !consumer.paused().isEmpty()) {
            consumer.resume(consumer.paused());
        }
    }

    /** Commits each partition up to below its first record not yet applied, where that moved. */
    private void commitApplied() {
        Map<TopicPartition, Long> points = commits.toCommit();
        if (points.isEmpty()) {
            return;
        }
        Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
        points.forEach((partition, offset) -> offsets.put(partition, new OffsetAndMetadata(offset)));
        try {
            consumer.commitSync(offsets);
        } catch (RuntimeException e) {
            commits.notCommitted(points);
            throw e;
        }
    }

    private static TopicPartition partition(ConsumerRecord<?, ?> record) {
        return new TopicPartition(record.topic(), record.partition());
    }

    private void pause() {
        try {
            Thread.sleep(1_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            closing = true;
        }
    }

    private void handle(ConsumerRecord<String, byte[]> record) {
        String type = CloudEventHeaders.value(record, CloudEventHeaders.TYPE);
        if (type != null && RouterCommand.isRouterType(type)) {
            handleRouter(record);
            return;
        }
        handleInstance(record);
        commits.passed(partition(record), record.offset());
    }

    private void handleInstance(ConsumerRecord<String, byte[]> record) {
        HostCommand command;
        try {
            command = Json.MAPPER.readValue(record.value(), HostCommand.class);
        } catch (IOException | RuntimeException e) {
            // Nothing can ever apply it; skipping keeps the host's later commands flowing. (No dead-letter topic yet.)
            LOG.error("skipping undecodable host command at {}-{}@{}: {}", record.topic(), record.partition(),
                    record.offset(), e.getMessage());
            return;
        }
        if (!hostId.equals(command.hostId())) {
            LOG.error("skipping command {} keyed to {} but addressed to host {}", command.commandId(), hostId,
                    command.hostId());
            return;
        }
        apply.accept(command);
    }

    private void handleRouter(ConsumerRecord<String, byte[]> record) {
        RouterCommand command;
        try {
            command = Json.MAPPER.readValue(record.value(), RouterCommand.class);
        } catch (IOException | RuntimeException e) {
            LOG.error("skipping undecodable router command at {}-{}@{}: {}", record.topic(), record.partition(),
                    record.offset(), e.getMessage());
            commits.passed(partition(record), record.offset());
            return;
        }
        if (!hostId.equals(command.hostId())) {
            LOG.error("skipping router command {} keyed to {} but addressed to host {}", command.commandId(), hostId,
                    command.hostId());
            commits.passed(partition(record), record.offset());
            return;
        }
        TopicPartition partition = partition(record);
        commits.started(partition, record.offset());
        applyRouter.apply(command).whenComplete((ignored, failure) -> {
            Throwable cause = failure instanceof CompletionException && failure.getCause() != null
                    ? failure.getCause() : failure;
            if (cause instanceof RejectedExecutionException) {
                // the keeper is closing: left unapplied and uncommitted, for the next agent
                return;
            }
            if (failure != null) {
                // The keeper logs a command that failed and ends it normally; this one failed beyond that. As a
                // failed command, it is not tried again: held here, it would hold every later commit back.
                LOG.error("router command {} not applied: {}", command.commandId(), failure.toString());
            }
            commits.finished(partition, record.offset());
        });
    }

    @Override
    public void close() {
        closing = true;
        consumer.wakeup();
        try {
            thread.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
