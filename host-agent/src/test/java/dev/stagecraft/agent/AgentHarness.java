package dev.stagecraft.agent;

import dev.stagecraft.contracts.HostCommand;
import dev.stagecraft.contracts.InstanceSpec;
import dev.stagecraft.contracts.RouterCommand;
import dev.stagecraft.contracts.Topics;
import dev.stagecraft.contracts.secrets.SecretBox;
import dev.stagecraft.devinfra.TestBroker;
import dev.stagecraft.devinfra.TestServers;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * A real broker, the two topics, a producer of host commands (what the controller will send) and a
 * {@link StatusWatcher}; and the bookkeeping that kills every instance a test started, since instances outlive
 * agents on purpose.
 */
final class AgentHarness implements AutoCloseable {
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    final TestBroker broker;
    final StatusWatcher status;
    private final KafkaProducer<String, byte[]> producer;
    private final Set<Long> instancePids = new HashSet<>();
    private final List<Process> agentProcesses = new ArrayList<>();

    AgentHarness() throws Exception {
        broker = TestServers.broker(System.getenv());
        Properties admin = new Properties();
        admin.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
        try (Admin a = Admin.create(admin)) {
            a.createTopics(List.of(new NewTopic(Topics.HOST_COMMANDS, 3, (short) 1),
                    new NewTopic(Topics.HOST_STATUS, 3, (short) 1))).all().get();
        } catch (ExecutionException e) {
            if (!(e.getCause() instanceof org.apache.kafka.common.errors.TopicExistsException)) {
                throw e;
            }
        }
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
        producer = new KafkaProducer<>(p, new StringSerializer(), new ByteArraySerializer());
        status = new StatusWatcher(broker.bootstrapServers());
    }

    /** Small values everywhere, so that a test sees several restarts in a few seconds. */
    AgentConfig config(String hostId, String address, Path stateDir) {
        return config(hostId, address, stateDir, Duration.ofSeconds(3));
    }

    AgentConfig config(String hostId, String address, Path stateDir, Duration stopGrace) {
        return config(hostId, address, stateDir, stopGrace, Optional.empty());
    }

    /** With a secrets key ring, as {@code STAGECRAFT_SECRETS_KEY(S)} give the agent one. */
    AgentConfig config(String hostId, String address, Path stateDir, Duration stopGrace, Optional<SecretBox> secrets) {
        return new AgentConfig(hostId, address, stateDir, broker.bootstrapServers(), Duration.ofSeconds(1),
                Duration.ofMillis(100), Duration.ofMillis(500), Duration.ofSeconds(1), 3, Duration.ofSeconds(30),
                new CrashLoopBackoff(Duration.ofMillis(200), Duration.ofSeconds(2), Duration.ofSeconds(3)),
                stopGrace, Duration.ofSeconds(6), AgentConfig.defaultJavaCommand(), INSTANCE_JAVA_OPTIONS, secrets, 0);
    }

    /** The agent's JVM options as README recommends them. */
    static final List<String> AGENT_JAVA_OPTIONS = List.of("-Xmx32m", "-Xms8m", "-XX:MinHeapFreeRatio=10",
            "-XX:MaxHeapFreeRatio=30", "-Xss256k", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-XX:CICompilerCount=1",
            "-XX:ReservedCodeCacheSize=16m", "-XX:MaxMetaspaceSize=64m");

    /** Small instances: several JVMs share two busy cores in these tests. */
    static final List<String> INSTANCE_JAVA_OPTIONS = List.of("-Xmx32m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
            "-Xshare:auto");

    /** The same settings as environment variables, for an agent in a process of its own. */
    Map<String, String> environment(String hostId, String address, Path stateDir) {
        return Map.ofEntries(Map.entry("STAGECRAFT_HOST_ID", hostId), Map.entry("STAGECRAFT_HOST_ADDRESS", address),
                Map.entry("STAGECRAFT_AGENT_STATE_DIR", stateDir.toString()),
                Map.entry("KAFKA_BOOTSTRAP_SERVERS", broker.bootstrapServers()),
                Map.entry("STAGECRAFT_AGENT_HEARTBEAT_INTERVAL", "1s"), Map.entry("STAGECRAFT_AGENT_SYNC_PERIOD", "100ms"),
                Map.entry("STAGECRAFT_AGENT_LIVENESS_PERIOD", "500ms"), Map.entry("STAGECRAFT_AGENT_BACKOFF_INITIAL", "200ms"),
                Map.entry("STAGECRAFT_AGENT_BACKOFF_MAX", "2s"), Map.entry("STAGECRAFT_AGENT_BACKOFF_RESET", "3s"),
                Map.entry("STAGECRAFT_AGENT_SESSION_TIMEOUT", "6s"),
                Map.entry("STAGECRAFT_AGENT_JAVA_OPTIONS", String.join(" ", INSTANCE_JAVA_OPTIONS)));
    }

    /** An agent as a process of its own, from this JVM's class path, with a small heap as in production. */
    Process startAgentProcess(Map<String, String> env, Path log) throws IOException {
        List<String> command = new ArrayList<>();
        command.add(AgentConfig.defaultJavaCommand());
        command.addAll(AGENT_JAVA_OPTIONS);
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), AgentMain.class.getName()));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
        builder.environment().putAll(env);
        // As README recommends: glibc's per-thread malloc arenas otherwise cost the small JVM ~10 MiB.
        builder.environment().put("MALLOC_ARENA_MAX", "2");
        Process process = builder.start();
        agentProcesses.add(process);
        return process;
    }

    void send(HostCommand command) throws Exception {
        send(command.hostId(), command.commandId(), command.eventType(), command);
    }

    void send(RouterCommand command) throws Exception {
        send(command.hostId(), command.commandId(), command.eventType(), command);
    }

    private void send(String hostId, String commandId, String type, Object command) throws Exception {
        ProducerRecord<String, byte[]> record = new ProducerRecord<>(Topics.HOST_COMMANDS, hostId,
                Json.MAPPER.writeValueAsBytes(command));
        record.headers().add("ce_specversion", "1.0".getBytes(StandardCharsets.UTF_8));
        record.headers().add("ce_id", commandId.getBytes(StandardCharsets.UTF_8));
        record.headers().add("ce_source", "test".getBytes(StandardCharsets.UTF_8));
        record.headers().add("ce_type", type.getBytes(StandardCharsets.UTF_8));
        record.headers().add("content-type", "application/json".getBytes(StandardCharsets.UTF_8));
        producer.send(record).get();
    }

    String start(String hostId, InstanceSpec spec) throws Exception {
        String id = "c-" + UUID.randomUUID();
        send(HostCommand.start(id, hostId, spec));
        return id;
    }

    String stop(String hostId, String instanceId) throws Exception {
        String id = "c-" + UUID.randomUUID();
        send(new HostCommand(id, hostId, HostCommand.STOP_INSTANCE, instanceId, null, Instant.now()));
        return id;
    }

    /** Remember a pid to kill at the end of the test. */
    long track(Long pid) {
        instancePids.add(pid);
        return pid;
    }

    static HttpResponse<String> get(String address, int port, String path) throws IOException, InterruptedException {
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://" + address + ":" + port + path))
                .timeout(Duration.ofSeconds(3)).build(), HttpResponse.BodyHandlers.ofString());
    }

    static boolean answers(String address, int port) {
        try {
            return get(address, port, "/health/live").statusCode() == 200;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    static void killHard(long pid) throws InterruptedException {
        ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
        long deadline = System.nanoTime() + 5_000_000_000L;
        while (ProcStat.of(pid).filter(s -> !s.ended()).isPresent() && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
    }

    /** Kills every agent process and every instance seen in a report, a heartbeat or a record of this host. */
    void killEverything(String hostId, Path stateDir) throws InterruptedException {
        for (Process agent : agentProcesses) {
            agent.destroyForcibly();
            agent.waitFor();
        }
        agentProcesses.clear();
        status.reports(hostId).forEach(r -> {
            if (r.instance().pid() != null) {
                instancePids.add(r.instance().pid());
            }
        });
        new HandleStore(stateDir).loadAll().forEach(h -> instancePids.add(h.pid()));
        for (long pid : instancePids) {
            // Only sample-app processes: a pid from a report may have been given to something else since.
            boolean sampleApp = ProcessHandle.of(pid).flatMap(p -> p.info().commandLine())
                    .map(c -> c.contains("sample-app.jar")).orElse(false);
            if (sampleApp) {
                killHard(pid);
            }
        }
        instancePids.clear();
    }

    @Override
    public void close() throws Exception {
        status.close();
        producer.close();
        broker.close();
    }
}
