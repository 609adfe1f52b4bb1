package dev.stagecraft.devinfra;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A one-node Apache Kafka broker (KRaft, broker+controller) in a separate JVM, from the jars Maven
 * resolved for this module. The data directory holds:
 * server.properties, state.properties (ports and cluster id, reused on restart), data/ (log.dirs),
 * kafka.log (the broker's output), kafka.pid, log4j2.properties and launcher/ (KafkaLauncher.class).
 */
public final class KafkaServer implements AutoCloseable {
    private static final String HOST = "127.0.0.1";
    private static final Duration START_TIMEOUT = Duration.ofSeconds(60);
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(10);

    private final Path dir;
    private final boolean temporary;
    private final int port;
    private final Process process;
    private final Thread shutdownHook = new Thread(this::close, "kafka-server-shutdown");
    private final AtomicBoolean closed = new AtomicBoolean();

    /** A broker on free ports in a fresh temp directory, deleted on close. */
    public static KafkaServer startTemporary() throws IOException {
        return new KafkaServer(Files.createTempDirectory("stagecraft-kafka-"), true, 0);
    }

    /**
     * A broker whose data survives restarts in {@code dir}. {@code port} 0 means: the port used last
     * time if it is free, else any free port.
     */
    public static KafkaServer start(Path dir, int port) throws IOException {
        return new KafkaServer(dir.toAbsolutePath(), false, port);
    }

    private KafkaServer(Path dir, boolean temporary, int requestedPort) throws IOException {
        this.dir = dir;
        this.temporary = temporary;
        Files.createDirectories(dir);
        stopOrphan();

        Path stateFile = dir.resolve("state.properties");
        Properties state = Files2.load(stateFile);
        port = Ports.choose(requestedPort, Files2.intProperty(state, "port"), "Kafka");
        int controllerPort = Ports.choose(0, Files2.intProperty(state, "controller.port"), "Kafka controller");
        if (controllerPort == port) {
            controllerPort = Ports.free();
        }
        String clusterId = state.getProperty("cluster.id", newClusterId());
        state.setProperty("port", Integer.toString(port));
        state.setProperty("controller.port", Integer.toString(controllerPort));
        state.setProperty("cluster.id", clusterId);
        Files2.store(stateFile, state);

        Path config = writeServerProperties(controllerPort);
        String classpath = classpath();
        Path dataDir = dir.resolve("data");
        if (!Files.exists(dataDir.resolve("meta.properties"))) {
            format(classpath, config, clusterId);
        }

        List<String> command = new ArrayList<>(List.of(javaExecutable(), "-Xmx512m", "-Xms128m",
                "-Djava.awt.headless=true",
                "-Dlog4j2.configurationFile=" + writeLogConfig(),
                "-cp", classpath, KafkaLauncher.class.getName(), config.toString()));
        Path log = log();
        process = new ProcessBuilder(command)
                .directory(dir.toFile())
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                // stdin stays a pipe: KafkaLauncher exits when it closes, i.e. when this JVM dies.
                .start();
        Files.writeString(dir.resolve("kafka.pid"), Long.toString(process.pid()));
        Runtime.getRuntime().addShutdownHook(shutdownHook);
        try {
            awaitReady();
        } catch (IOException | RuntimeException e) {
            close();
            throw e;
        }
    }

    public String bootstrapServers() {
        return HOST + ":" + port;
    }

    public int port() {
        return port;
    }

    /** The broker process, e.g. for a test to check that close() really stopped it. */
    public ProcessHandle processHandle() {
        return process.toHandle();
    }

    public Path log() {
        return dir.resolve("kafka.log");
    }

    /** SIGTERM (Kafka shuts down cleanly), then SIGKILL after 10 s. Idempotent and thread-safe. */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        try {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (IllegalStateException alreadyShuttingDown) {
            // we are the hook, or the JVM is exiting anyway
        }
        stop(process.toHandle());
        try {
            Files.deleteIfExists(dir.resolve("kafka.pid"));
        } catch (IOException ignored) {
            // harmless: stopOrphan() checks the pid still is a broker of ours
        }
        if (temporary) {
            Files2.deleteRecursively(dir);
        }
    }

    private static void stop(ProcessHandle handle) {
        handle.destroy();
        try {
            handle.onExit().get(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (Exception timedOutOrInterrupted) {
            handle.destroyForcibly();
            try {
                handle.onExit().get(5, TimeUnit.SECONDS);
            } catch (Exception ignored) {
                // SIGKILL cannot be refused; nothing more to do
            }
        }
    }

    /** A broker left running on this dir (its parent was killed before KafkaLauncher noticed) holds the log lock. */
    private void stopOrphan() throws IOException {
        Path pidFile = dir.resolve("kafka.pid");
        if (!Files.exists(pidFile)) {
            return;
        }
        String config = dir.resolve("server.properties").toString();
        ProcessHandle.of(Long.parseLong(Files.readString(pidFile).trim()))
                .filter(p -> p.info().commandLine().map(c -> c.contains(config)).orElse(false))
                .ifPresent(KafkaServer::stop);
        Files.delete(pidFile);
    }

    private Path writeServerProperties(int controllerPort) throws IOException {
        Properties p = new Properties();
        p.setProperty("process.roles", "broker,controller");
        p.setProperty("node.id", "1");
        // A static voter set (not controller.quorum.bootstrap.servers + format --standalone): the dynamic
        // quorum records the controller's address in the metadata log, which would pin the controller
        // port forever; static voters let a restarted local platform move it.
        p.setProperty("controller.quorum.voters", "1@" + HOST + ":" + controllerPort);
        p.setProperty("listeners", "PLAINTEXT://" + HOST + ":" + port + ",CONTROLLER://" + HOST + ":" + controllerPort);
        p.setProperty("advertised.listeners", "PLAINTEXT://" + HOST + ":" + port);
        p.setProperty("controller.listener.names", "CONTROLLER");
        p.setProperty("inter.broker.listener.name", "PLAINTEXT");
        p.setProperty("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
        p.setProperty("log.dirs", dir.resolve("data").toString());
        p.setProperty("num.partitions", "3");
        p.setProperty("auto.create.topics.enable", "true");
        p.setProperty("offsets.topic.replication.factor", "1");
        p.setProperty("transaction.state.log.replication.factor", "1");
        p.setProperty("transaction.state.log.min.isr", "1");
        p.setProperty("share.coordinator.state.topic.replication.factor", "1");
        p.setProperty("share.coordinator.state.topic.min.isr", "1");
        p.setProperty("group.initial.rebalance.delay.ms", "0");
        Path file = dir.resolve("server.properties");
        Files2.store(file, p);
        return file;
    }

    private void format(String classpath, Path config, String clusterId) throws IOException {
        Process format = new ProcessBuilder(javaExecutable(), "-Xmx256m", "-cp", classpath,
                "kafka.tools.StorageTool", "format", "-t", clusterId, "-c", config.toString())
                .directory(dir.toFile())
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log().toFile()))
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                .start();
        try {
            if (!format.waitFor(START_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
                format.destroyForcibly();
                throw new IOException("Kafka storage format timed out; see " + log());
            }
        } catch (InterruptedException e) {
            format.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while formatting Kafka storage", e);
        }
        if (format.exitValue() != 0) {
            throw new IOException("Kafka storage format failed (exit " + format.exitValue() + "):\n" + Files2.tail(log(), 20));
        }
    }

    private void awaitReady() throws IOException {
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        IOException last = null;
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IOException("Kafka broker exited with " + process.exitValue() + ":\n" + Files2.tail(log(), 30));
            }
            try {
                if (KafkaProbe.brokerCount(HOST, port, 1000) > 0) {
                    return;
                }
            } catch (IOException e) {
                last = e;
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted while waiting for Kafka", e);
            }
        }
        throw new IOException("Kafka broker not ready after " + START_TIMEOUT.toSeconds() + " s; see " + log(), last);
    }

    /** The broker jars (listed at build time), plus a copy of KafkaLauncher outside any jar or class loader. */
    private String classpath() throws IOException {
        Path launcherDir = dir.resolve("launcher");
        String classFile = KafkaLauncher.class.getName().replace('.', '/') + ".class";
        Path target = launcherDir.resolve(classFile);
        Files.createDirectories(target.getParent());
        try (InputStream in = KafkaLauncher.class.getClassLoader().getResourceAsStream(classFile)) {
            Files.copy(requireResource(in, classFile), target, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        }
        String jars = resource("kafka.classpath") + File.pathSeparator + resource("kafka-shared.classpath");
        // The list names jars in the local Maven repository of the machine that built dev-infra.
        for (String jar : jars.split(File.pathSeparator)) {
            if (!Files.exists(Path.of(jar))) {
                throw new IOException("Kafka jar " + jar + " is missing: rebuild dev-infra (mvn -f dev-infra/pom.xml install)");
            }
        }
        return launcherDir + File.pathSeparator + jars;
    }

    private Path writeLogConfig() throws IOException {
        Path file = dir.resolve("log4j2.properties");
        try (InputStream in = KafkaServer.class.getResourceAsStream("kafka-log4j2.properties")) {
            Files.copy(requireResource(in, "kafka-log4j2.properties"), file, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        }
        return file;
    }

    private static String resource(String name) throws IOException {
        try (InputStream in = KafkaServer.class.getResourceAsStream(name)) {
            return new String(requireResource(in, name).readAllBytes(), StandardCharsets.UTF_8).trim();
        }
    }

    private static InputStream requireResource(InputStream in, String name) {
        if (in == null) {
            throw new UncheckedIOException(new IOException("resource " + name
                    + " missing: build dev-infra with Maven (generate-resources writes the broker classpath)"));
        }
        return in;
    }

    static String javaExecutable() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    /** Kafka cluster ids are 16 random bytes in URL-safe base64 without padding (22 chars). */
    private static String newClusterId() {
        SecureRandom random = new SecureRandom();
        byte[] bytes = new byte[16];
        String id;
        do {
            random.nextBytes(bytes);
            id = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
        } while (id.startsWith("-")); // would read as an option on the format command line
        return id;
    }
}
