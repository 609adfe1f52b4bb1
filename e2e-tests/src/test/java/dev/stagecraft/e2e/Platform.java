package dev.stagecraft.e2e;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import dev.stagecraft.devinfra.Ports;
import dev.stagecraft.devinfra.TestBroker;
import dev.stagecraft.devinfra.TestDatabase;
import dev.stagecraft.devinfra.TestServers;
import dev.stagecraft.devinfra.TestTokens;

/**
 * The whole platform as real processes: Kafka and PostgreSQL from dev-infra, and the four services
 * started from their built {@code quarkus-run.jar}s exactly as deploy/local/up starts them.
 */
final class Platform implements AutoCloseable {
    static final List<String> SERVICES = List.of("release-service", "rollout-service", "inventory-service",
            "health-monitor");
    private static final Map<String, String> PORT_VARIABLES = Map.of("release-service", "RELEASE_SERVICE_PORT",
            "rollout-service", "ROLLOUT_SERVICE_PORT", "inventory-service", "INVENTORY_SERVICE_PORT",
            "health-monitor", "HEALTH_MONITOR_PORT");

    final Path root;
    final Path workDir;
    private final TestBroker kafka;
    private final TestDatabase postgres;
    /** The processes {@link #stallServer} froze, per server, to be thawed the same. */
    private final Map<String, List<ProcessHandle>> stalledServers = new java.util.concurrent.ConcurrentHashMap<>();
    private final Map<String, Process> services = new LinkedHashMap<>();
    /** Host agents by host id (agent driver only); their instances are detached and outlive them on purpose. */
    private final Map<String, Process> agents = new LinkedHashMap<>();
    private final Map<String, Integer> ports = new LinkedHashMap<>();
    /** A second replica's name → the service it runs ({@link #startReplica}). */
    private final Map<String, String> replicas = new LinkedHashMap<>();
    private Map<String, String> extraEnv = Map.of();

    private Platform(Path root, Path workDir, TestBroker kafka, TestDatabase postgres) {
        this.root = root;
        this.workDir = workDir;
        this.kafka = kafka;
        this.postgres = postgres;
    }

    static Platform start(Map<String, String> extraEnv) throws Exception {
        return start(extraEnv, "e2e-work");
    }

    /** As {@link #start(Map)}, with its logs and instances under {@code e2e-tests/target/<workName>}. */
    static Platform start(Map<String, String> extraEnv, String workName) throws Exception {
        // -Dstagecraft.e2e.hosts=N runs any test's platform with the agent driver and N hosts.
        return start(extraEnv, workName, Integer.getInteger("stagecraft.e2e.hosts", 0));
    }

    /**
     * As {@link #start(Map, String)}; with {@code hosts} > 0, with the agent driver and that many host agents started
     * first, as deploy/local/up starts them: host-1 on 127.0.0.2, host-2 on 127.0.0.3, ….
     */
    static Platform start(Map<String, String> extraEnv, String workName, int hosts) throws Exception {
        Path root = root();
        Path workDir = Files.createDirectories(root.resolve("e2e-tests/target").resolve(workName));
        // Each platform needs empty databases and topics of its own, so servers that run elsewhere are not used
        // here; a broker and a database are started (as containers where Docker answers, else as processes).
        Map<String, String> env = new HashMap<>(System.getenv());
        env.remove(TestServers.ENV_KAFKA);
        env.remove(TestServers.ENV_DB_HOST);
        TestBroker kafka = TestServers.broker(env);
        TestDatabase postgres;
        try {
            postgres = TestServers.database(env);
            for (String db : List.of("release", "rollout", "inventory", "health")) {
                postgres.createDatabase(db);
            }
        } catch (Exception e) {
            kafka.close();
            throw e;
        }
        Platform platform = new Platform(root, workDir, kafka, postgres);
        try {
            Map<String, String> env2 = new HashMap<>(extraEnv);
            if (hosts > 0) {
                env2.put("STAGECRAFT_INSTANCE_DRIVER", "agent");
                platform.startAgents(hosts, env2.getOrDefault("STAGECRAFT_SECRETS_KEY", TEST_SECRETS_KEY), env2);
                // As deploy/local/up: the agents open the instances' secrets, so inventory-service holds no key.
                env2.putIfAbsent("STAGECRAFT_SECRETS_KEY:inventory-service", "");
            }
            platform.startServices(env2);
            platform.awaitReady(Duration.ofSeconds(180));
        } catch (Exception e) {
            platform.close();
            throw e;
        }
        return platform;
    }

    /** The broker the services use, for tests that play a CI system on the commands topic. */
    String kafkaBootstrapServers() {
        return kafka.bootstrapServers();
    }

    String url(String service) {
        return "http://127.0.0.1:" + ports.get(service);
    }

    String bootstrapServers() {
        return kafka.bootstrapServers();
    }

    ProcessHandle process(String service) {
        return services.get(service).toHandle();
    }

    Path sampleApp() {
        return root.resolve("sample-app/target/sample-app.jar");
    }

    /** host id → the address its instances listen on. */
    static String hostAddress(int n) {
        return "127.0.0." + (n + 1);
    }

    private static final String TEST_SECRETS_KEY = dev.stagecraft.devinfra.StagecraftTestInfra.TEST_SECRETS_KEY;

    /**
     * {@code NAME:host-agent} in the platform's variables sets NAME for every agent (as {@code NAME:service} does for
     * one service), e.g. {@code STAGECRAFT_AGENT_SIMULATED:host-agent=true} for simulated hosts; and
     * {@code AGENT_MAX_HEAP:host-agent} their {@code -Xmx} (32m by default).
     */
    private void startAgents(int hosts, String secretsKey, Map<String, String> extraEnv) throws IOException {
        Path jar = root.resolve("host-agent/target/host-agent.jar");
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException(jar + " is missing: build with ./mvnw package first");
        }
        Files.createDirectories(workDir.resolve("logs"));
        // A platform starts empty (new broker, new databases): an earlier run's agent records would bring its
        // instances and routers back to life, as agents are meant to.
        deleteTree(workDir.resolve("agents"));
        Path tokenFile = Files.createDirectories(workDir.resolve("agents")).resolve("artifact-token");
        // a benchmark or N fault runs can outlast an hour
        Files.writeString(tokenFile, TestTokens.token(Duration.ofDays(1), "host-agents", "viewer"));
        for (int n = 1; n <= hosts; n++) {
            String id = "host-" + n;
            ProcessBuilder builder = new ProcessBuilder(javaBin(),
                    "-Xmx" + extraEnv.getOrDefault("AGENT_MAX_HEAP:host-agent", "32m"), "-Xms8m", "-XX:MinHeapFreeRatio=10",
                    "-XX:MaxHeapFreeRatio=30", "-Xss256k", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
                    "-XX:CICompilerCount=1", "-XX:ReservedCodeCacheSize=16m", "-XX:MaxMetaspaceSize=64m", "-jar",
                    jar.toString())
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.to(workDir.resolve("logs/agent-" + id + ".log").toFile()));
            Map<String, String> env = builder.environment();
            env.put("MALLOC_ARENA_MAX", "2");
            env.put("STAGECRAFT_HOST_ID", id);
            env.put("STAGECRAFT_HOST_ADDRESS", hostAddress(n));
            env.put("STAGECRAFT_AGENT_STATE_DIR", agentStateDir(id).toString());
            env.put("KAFKA_BOOTSTRAP_SERVERS", kafka.bootstrapServers());
            env.put("STAGECRAFT_SECRETS_KEY", secretsKey);
            // Artifacts come from release-service's store by sha256, as on hosts that share no disk with it.
            env.put("STAGECRAFT_AGENT_ARTIFACT_STORE_URL", "http://127.0.0.1:" + servicePort("release-service"));
            env.put("STAGECRAFT_AGENT_ARTIFACT_TOKEN_FILE", tokenFile.toString());
            extraEnv.forEach((name, value) -> {
                if (name.endsWith(":host-agent")) {
                    env.put(name.substring(0, name.length() - ":host-agent".length()), value);
                }
            });
            agents.put(id, builder.start());
        }
    }

    static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (var paths = Files.walk(dir)) {
            for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }

    private Path agentStateDir(String hostId) {
        return workDir.resolve("agents").resolve(hostId);
    }

    /**
     * Stops the agents, then every instance their records name (an agent would restart an instance killed before
     * it). A pid is only killed if that process is the instance: its environment says INSTANCE_ID=<id>.
     */
    private void stopAgentsAndTheirInstances() {
        agents.values().forEach(Process::destroy);
        for (Process agent : agents.values()) {
            try {
                if (!agent.waitFor(15, TimeUnit.SECONDS)) {
                    agent.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                agent.destroyForcibly();
            }
        }
        for (String hostId : agents.keySet()) {
            // Fleet routers, like instances, outlive their agents: each is killed only if it is the recorded router
            // (its environment holds the admin token of the record).
            for (Map.Entry<String, Long> router : agentRecordPids(hostId, "routers", "adminToken").entrySet()) {
                ProcessHandle.of(router.getValue()).filter(p -> hasEnv(p.pid(), "ADMIN_TOKEN=" + router.getKey()))
                        .ifPresent(Platform::kill9);
            }
            for (Map.Entry<String, Long> instance : agentInstancePids(hostId).entrySet()) {
                ProcessHandle.of(instance.getValue()).filter(p -> isInstance(p.pid(), instance.getKey()))
                        .ifPresent(Platform::kill9);
            }
        }
    }

    /** instance id → pid, as the agent's records on disk have them. */
    Map<String, Long> agentInstancePids(String hostId) {
        return agentRecordPids(hostId, "instances", "instanceId");
    }

    /** The project's checkout: {@code -Dstagecraft.root}, by default the parent of e2e-tests, where Maven runs it. */
    static Path root() {
        return Path.of(System.getProperty("stagecraft.root", "..")).toAbsolutePath().normalize();
    }

    /** Whether instances run under host agents (else inventory-service's local-process driver runs them). */
    boolean hasAgents() {
        return !agents.isEmpty();
    }

    /**
     * instance id → the live processes of it that any agent's records name: a process counts when its environment
     * carries that {@code INSTANCE_ID} (a reused pid does not) and, unless {@code service} is null, that
     * {@code STAGECRAFT_SERVICE}. An orphan is a process here without a row; a doubled instance has two pids.
     */
    Map<String, List<Long>> runningInstanceProcesses(String service) {
        Map<String, List<Long>> running = new java.util.TreeMap<>();
        for (String host : agents.keySet()) {
            agentInstancePids(host).forEach((id, pid) -> {
                boolean alive = ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
                if (alive && hasEnv(pid, "INSTANCE_ID=" + id)
                        && (service == null || hasEnv(pid, "STAGECRAFT_SERVICE=" + service))) {
                    running.computeIfAbsent(id, k -> new ArrayList<>()).add(pid);
                }
            });
        }
        return running;
    }

    /** A process's environment as /proc has it, NUL-separated with a NUL in front, or "" once it is gone. */
    private static String environOf(long pid) {
        try {
            return "\0" + new String(Files.readAllBytes(Path.of("/proc", Long.toString(pid), "environ")));
        } catch (IOException e) {
            return "";
        }
    }

    /** fleet router id → pid, on every host, as the agents' records on disk have them. */
    Map<String, Long> agentRouterPids() {
        Map<String, Long> pids = new LinkedHashMap<>();
        agents.keySet().forEach(host -> pids.putAll(agentRecordPids(host, "routers", "routerId")));
        return pids;
    }

    /** {@code keyField} of each record in an agent's {@code kind} directory → the pid it records. */
    private Map<String, Long> agentRecordPids(String hostId, String kind, String keyField) {
        Map<String, Long> pids = new LinkedHashMap<>();
        Path dir = agentStateDir(hostId).resolve(kind);
        if (!Files.isDirectory(dir)) {
            return pids;
        }
        try (var records = Files.list(dir)) {
            for (Path record : records.filter(f -> f.toString().endsWith(".json")).toList()) {
                var json = new com.fasterxml.jackson.databind.ObjectMapper().readTree(record.toFile());
                long pid = json.path("pid").asLong(0);
                if (pid > 0) {
                    pids.put(json.path(keyField).asText(record.getFileName().toString().replace(".json", "")), pid);
                }
            }
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return pids;
    }

    private static boolean isInstance(long pid, String instanceId) {
        return hasEnv(pid, "INSTANCE_ID=" + instanceId);
    }

    private static boolean hasEnv(long pid, String variable) {
        return environOf(pid).contains("\0" + variable + "\0");
    }

    private void startServices(Map<String, String> extraEnv) throws IOException {
        this.extraEnv = Map.copyOf(extraEnv);
        Files.createDirectories(workDir.resolve("logs"));
        for (String service : SERVICES) {
            servicePort(service);
            services.put(service, launch(service, false));
        }
    }

    /** The port {@code service} listens on, chosen the first time it is asked (the agents need release-service's). */
    private int servicePort(String service) throws IOException {
        Integer port = ports.get(service);
        if (port == null) {
            port = freePort();
            ports.put(service, port);
        }
        return port;
    }

    /**
     * Starts another replica of {@code service} beside the first, named {@code replica}: its own HTTP port, log and
     * {@code STAGECRAFT_INSTANCE_ID}, the same database and broker. {@link #url}, {@link #kill}, {@link #restart} and
     * {@link #awaitReady} take its name; {@link #close} stops it with the others.
     */
    void startReplica(String service, String replica) throws IOException {
        replicas.put(replica, service);
        ports.put(replica, freePort());
        services.put(replica, launch(replica, false));
    }

    /** A service's database, as its services see it (for checks of what they recorded). */
    java.sql.Connection database(String name) throws java.sql.SQLException {
        return java.sql.DriverManager.getConnection("jdbc:postgresql://" + postgres.host() + ":" + postgres.port()
                + "/" + name, postgres.user(), postgres.password());
    }

    /** Everything a service (or replica) logged so far. */
    String log(String service) throws IOException {
        return Files.readString(logOf(service));
    }

    /** Starts one service on its port; a restart appends to its log, so the log tells the whole story. */
    private Process launch(String name, boolean restart) throws IOException {
        String service = replicas.getOrDefault(name, name);
        Path jar = root.resolve(service).resolve("target/quarkus-app/quarkus-run.jar");
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException(jar + " is missing: build with ./mvnw package first");
        }
        // The JVM options deploy/local/up gives the services, so that these tests run what users run.
        List<String> command = new ArrayList<>(List.of(javaBin()));
        command.addAll(List.of(Files.readString(root.resolve("deploy/local/service-java-options")).trim().split("\\s+")));
        command.addAll(List.of("-jar", jar.toString()));
        ProcessBuilder builder = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(restart ? ProcessBuilder.Redirect.appendTo(logOf(name).toFile())
                        : ProcessBuilder.Redirect.to(logOf(name).toFile()));
        Map<String, String> env = builder.environment();
        env.put("MALLOC_ARENA_MAX", "2");
        env.put(PORT_VARIABLES.get(service), Integer.toString(ports.get(name)));
        if (!name.equals(service)) {
            env.put("STAGECRAFT_INSTANCE_ID", name); // two members with one group.instance.id would fence each other
        }
        env.put("KAFKA_BOOTSTRAP_SERVERS", kafka.bootstrapServers());
        env.put("DB_HOST", postgres.host());
        env.put("DB_PORT", Integer.toString(postgres.port()));
        env.put("DB_USER", postgres.user());
        env.put("DB_PASSWORD", postgres.password());
        env.put("STAGECRAFT_WORK_DIR", workDir.toString());
        // one store for all services, and the sample app's build directory as the one other artifact source
        env.put("STAGECRAFT_ARTIFACT_STORE_DIR", workDir.resolve("artifact-store").toString());
        env.put("STAGECRAFT_ARTIFACT_SOURCES", root.resolve("sample-app/target").toString() + "/");
        env.put("STAGECRAFT_JWT_PUBLIC_KEY", TestTokens.publicKey().toString());
        env.put("STAGECRAFT_SECRETS_KEY", TEST_SECRETS_KEY);
        // NAME:service sets NAME for that one service only.
        extraEnv.forEach((variable, value) -> {
            int colon = variable.indexOf(':');
            if (colon < 0) {
                env.put(variable, value);
            } else if (variable.substring(colon + 1).equals(service)) {
                env.put(variable.substring(0, colon), value);
            }
        });
        return builder.start();
    }

    /** kill -9 of one service: no shutdown hook runs, nothing is flushed, its consumers do not leave their groups. */
    void kill(String service) throws InterruptedException {
        Process process = services.get(service);
        process.destroyForcibly(); // SIGKILL
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            throw new IllegalStateException(service + " survived SIGKILL");
        }
    }

    /** SIGSTOP (stalled = true) or SIGCONT of one service: a process frozen by the kernel, as a long GC pause or a
     * stalled VM freezes it; its sockets stay open and its group membership runs out after the session timeout. */
    void stall(String service, boolean stalled) throws Exception {
        long pid = services.get(service).pid();
        Process kill = new ProcessBuilder("kill", stalled ? "-STOP" : "-CONT", Long.toString(pid)).inheritIO().start();
        if (kill.waitFor() != 0) {
            throw new IllegalStateException("kill " + (stalled ? "-STOP " : "-CONT ") + pid + " failed");
        }
    }

    /**
     * SIGSTOP (stalled = true) or SIGCONT of the broker ({@code "kafka"}) or the database ({@code "postgres"}) and,
     * for the database, every backend it runs: as a stalled VM or a storage hiccup freezes a server.
     */
    void stallServer(String server, boolean stalled) throws Exception {
        List<ProcessHandle> processes = stalled ? switch (server) {
            case "kafka" -> InfraProcesses.broker();
            case "postgres" -> InfraProcesses.database(postgres.port());
            default -> throw new IllegalArgumentException("no server " + server + ": kafka or postgres");
        } : stalledServers.remove(server);
        if (processes == null) {
            throw new IllegalStateException(server + " is not stalled");
        }
        InfraProcesses.freeze(processes, stalled);
        if (stalled) {
            stalledServers.put(server, processes);
        }
    }

    /** kill -9 of one host agent (its instances, detached, keep running unless killed too). */
    void killAgent(String hostId) throws InterruptedException {
        Process agent = agents.get(hostId);
        agent.destroyForcibly();
        if (!agent.waitFor(10, TimeUnit.SECONDS)) {
            throw new IllegalStateException("agent " + hostId + " survived SIGKILL");
        }
    }

    /**
     * A whole host dies: kill -9 of its agent and of every instance and fleet router its records name (each checked to
     * be that process first), i.e. everything bound to its address. Answers the pids killed.
     */
    List<Long> killHost(String hostId) throws InterruptedException {
        killAgent(hostId);
        List<Long> killed = new ArrayList<>();
        agentRecordPids(hostId, "routers", "adminToken").forEach((token, pid) -> ProcessHandle.of(pid)
                .filter(p -> hasEnv(pid, "ADMIN_TOKEN=" + token)).ifPresent(p -> killed.add(kill9(p))));
        agentInstancePids(hostId).forEach((id, pid) -> ProcessHandle.of(pid).filter(p -> isInstance(pid, id))
                .ifPresent(p -> killed.add(kill9(p))));
        return killed;
    }

    /**
     * SIGKILL, then up to 10 s until the process is gone. A zombie counts as gone: an instance or router whose agent
     * died first belongs to PID 1, which in a container may never reap it, and waiting for its exit would only run
     * out the 10 s (for each of them, at every platform's shutdown).
     */
    private static long kill9(ProcessHandle process) {
        // An HAProxy router's workers would leave only once they notice their master gone (~1 s): killed with it.
        List<ProcessHandle> tree = new ArrayList<>(process.descendants().toList());
        tree.add(process);
        tree.forEach(ProcessHandle::destroyForcibly);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (tree.stream().anyMatch(p -> p.isAlive() && !isZombie(p.pid())) && System.nanoTime() < deadline) {
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        return process.pid();
    }

    /** The state in /proc/<pid>/stat is the field after the command name, which is in parentheses. */
    private static boolean isZombie(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            return stat.substring(stat.lastIndexOf(')') + 2).startsWith("Z");
        } catch (IOException | RuntimeException e) {
            return false; // gone already, or no /proc: isAlive decides
        }
    }

    /** Starts a killed service again, as an operator or a supervisor would, on its port and with its settings. */
    void restart(String service) throws Exception {
        if (services.get(service).isAlive()) {
            throw new IllegalStateException(service + " still runs; kill it first");
        }
        services.put(service, launch(service, true));
    }

    private void awaitReady(Duration timeout) throws Exception {
        awaitReady(timeout, SERVICES);
    }

    /** Waits until each of {@code which} answers its readiness check. */
    void awaitReady(Duration timeout, List<String> which) throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        long deadline = System.nanoTime() + timeout.toNanos();
        for (String service : which) {
            while (true) {
                if (!services.get(service).isAlive()) {
                    throw new IllegalStateException(service + " exited with code " + services.get(service)
                            .exitValue() + "; the end of its log (" + logOf(service) + "):\n" + logTail(service, 40));
                }
                try {
                    int status = http.send(HttpRequest.newBuilder(URI.create(url(service) + "/q/health/ready"))
                            .timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.discarding())
                            .statusCode();
                    if (status == 200) {
                        break;
                    }
                } catch (IOException notYet) {
                    // not listening yet
                }
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException(service + " not ready within " + timeout
                            + "; the end of its log:\n" + logTail(service, 40));
                }
                Thread.sleep(250);
            }
        }
    }

    private Path logOf(String service) {
        return workDir.resolve("logs").resolve(service + ".log");
    }

    /** The last lines of a service's log, so that a CI run that keeps no files still says why it failed. */
    private String logTail(String service, int lines) {
        try {
            List<String> all = Files.readAllLines(logOf(service));
            return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
        } catch (IOException | java.io.UncheckedIOException e) {
            return "(cannot read it: " + e + ")";
        }
    }

    /**
     * The processes of each part of the platform, by name: each service and host agent, the Kafka broker and PostgreSQL
     * (its postmaster and the backends it runs now), for {@link CpuTime}.
     */
    Map<String, List<ProcessHandle>> processesByPart() {
        Map<String, List<ProcessHandle>> parts = new LinkedHashMap<>();
        services.forEach((name, process) -> parts.put(name, List.of(process.toHandle())));
        agents.forEach((id, process) -> parts.put(id, List.of(process.toHandle())));
        parts.put("kafka", InfraProcesses.broker());
        parts.put("postgresql", InfraProcesses.database(postgres.port()));
        return parts;
    }

    /** Resident memory of each host agent process, in MiB (-1: gone). */
    Map<String, Long> agentResidentMemoryMiB() {
        Map<String, Long> rss = new LinkedHashMap<>();
        agents.forEach((id, process) -> rss.put(id, residentMiB(process.pid())));
        return rss;
    }

    /** VmRSS of one process in MiB, -1 if it is gone. */
    static long residentMiB(long pid) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("\\D", "")) / 1024;
                }
            }
        } catch (IOException e) {
            // gone
        }
        return -1;
    }

    /** Resident memory of each service process, in MiB, read from /proc. */
    Map<String, Long> residentMemoryMiB() {
        Map<String, Long> rss = new LinkedHashMap<>();
        services.forEach((name, process) -> {
            try {
                for (String line : Files.readAllLines(Path.of("/proc", Long.toString(process.pid()), "status"))) {
                    if (line.startsWith("VmRSS:")) {
                        rss.put(name, Long.parseLong(line.replaceAll("\\D", "")) / 1024);
                    }
                }
            } catch (IOException e) {
                rss.put(name, -1L);
            }
        });
        return rss;
    }

    /** Stops the services as down does (SIGTERM, inventory stops its instances), then the servers. */
    @Override
    public void close() {
        for (String server : List.copyOf(stalledServers.keySet())) {
            try {
                stallServer(server, false); // a failed test may have left it frozen: it could not stop
            } catch (Exception e) {
                System.err.println("could not thaw " + server + ": " + e);
            }
        }
        List<Process> stopping = new ArrayList<>(services.values());
        stopping.forEach(Process::destroy);
        for (Process p : stopping) {
            try {
                if (!p.waitFor(30, TimeUnit.SECONDS)) {
                    p.destroyForcibly();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                p.destroyForcibly();
            }
        }
        try {
            stopAgentsAndTheirInstances();
            kafka.close();
        } finally {
            postgres.close();
        }
    }

    private static String javaBin() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    /** A port for a child to listen on, never one handed out before in this test run (see {@link Ports#free}). */
    static int freePort() {
        return Ports.free();
    }
}
