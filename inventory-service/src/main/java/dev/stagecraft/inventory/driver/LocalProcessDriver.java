package dev.stagecraft.inventory.driver;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import dev.stagecraft.contracts.ReleaseSpec;
import dev.stagecraft.platform.artifact.ArtifactFetcher;
import dev.stagecraft.inventory.process.GuardedProcess;
import dev.stagecraft.contracts.secrets.InstanceVariables;
import dev.stagecraft.contracts.secrets.SecretBox;
import dev.stagecraft.contracts.secrets.SecretException;
import dev.stagecraft.platform.secrets.SecretMasking;
import org.jboss.logging.Logger;

/**
 * Runs each instance as a real OS process on a free loopback port. It runs one thing only: {@code java -jar} with
 * a release of runtime {@code java-jar} whose artifact is a readable regular file that starts like a jar (a zip),
 * fetched under the platform's artifact policy ({@link ArtifactFetcher}: the store or a listed source, sha256
 * checked). So a step request on Kafka, forged or not, cannot make this service execute {@code /bin/sh}, a file
 * outside the sources, or anything from an unlisted URL. The process gets the release's config as environment
 * variables, plus PORT, STAGECRAFT_VERSION, STAGECRAFT_SERVICE, STAGECRAFT_ENVIRONMENT and INSTANCE_ID,
 * and of this service's own environment only {@link #INHERITED}.
 *
 * <p>Every instance is a {@link GuardedProcess}: when inventory-service stops or dies, even by SIGKILL, its
 * instances are terminated. So no instance outlives the service that started it.
 */
public class LocalProcessDriver implements InstanceDriver {
    private static final Logger LOG = Logger.getLogger(LocalProcessDriver.class);

    /**
     * All an instance inherits from this service's environment: enough to run a process, none of the service's
     * own settings and credentials (DB_PASSWORD, KAFKA_BOOTSTRAP_SERVERS, JAVA_TOOL_OPTIONS, ...). What a
     * release needs comes from its config.
     */
    private static final Set<String> INHERITED = Set.of("PATH", "HOME", "USER", "LANG", "LC_ALL", "TZ", "TMPDIR");

    /** The first bytes of a zip file, hence of a jar. */
    private static final byte[] ZIP_MAGIC = {'P', 'K', 3, 4};

    private final DriverConfig config;
    private final ArtifactFetcher artifacts;
    private final Optional<SecretBox> secrets;
    private final Map<String, GuardedProcess> guardians = new ConcurrentHashMap<>();

    public LocalProcessDriver(DriverConfig config, ArtifactFetcher artifacts, Optional<SecretBox> secrets) {
        this.config = config;
        this.artifacts = artifacts;
        this.secrets = secrets;
    }

    @Override
    public RunningInstance start(String instanceId, String environment, ReleaseSpec release) {
        // Stop first, even if the new release then cannot be fetched: a failed start leaves the instance FAILED
        // with no address, and its old process must not keep running unseen.
        stop(instanceId);
        Path artifact = RunnableArtifact.fetch(release, artifacts);
        requireJar(artifact);
        Map<String, String> variables = variables(environment, release, secrets);
        int port = freePort();
        Path log = logFile(instanceId, release.version());
        // The output quoted in a failure travels in instances.* events and lifecycle messages that CI follows.
        List<String> plainSecrets = release.secrets().keySet().stream().map(variables::get).toList();
        GuardedProcess process;
        try {
            process = GuardedProcess.start(command(artifact), log, env -> {
                env.keySet().retainAll(INHERITED);
                env.putAll(variables);
                env.put("PORT", Integer.toString(port));
                env.put("STAGECRAFT_VERSION", release.version());
                env.put("STAGECRAFT_SERVICE", release.service());
                env.put("STAGECRAFT_ENVIRONMENT", environment);
                env.put("INSTANCE_ID", instanceId);
            });
        } catch (IOException e) {
            throw new DriverException("cannot start " + artifact + ": " + e.getMessage(), e);
        }
        guardians.put(instanceId, process);
        awaitListening(instanceId, process, port, log, plainSecrets);
        long pid = process.pid();
        LOG.infof("instance %s runs %s %s as pid %d on 127.0.0.1:%d", instanceId, release.service(),
                release.version(), pid, port);
        return new RunningInstance("127.0.0.1:" + port, pid);
    }

    @Override
    public void stop(String instanceId) {
        GuardedProcess process = guardians.remove(instanceId);
        if (process != null && !process.stop(config.stopTimeout())) {
            LOG.warnf("instance %s did not stop within %s; killed it", instanceId, config.stopTimeout());
        }
    }

    @Override
    public boolean isRunning(String instanceId) {
        GuardedProcess process = guardians.get(instanceId);
        return process != null && process.isAlive();
    }

    @Override
    public void stopAll() {
        new ArrayList<>(guardians.keySet()).parallelStream().forEach(this::stop);
    }

    /** The release's config and its secrets opened for this environment and service; a refusal names the variable. */
    static Map<String, String> variables(String environment, ReleaseSpec release, Optional<SecretBox> secrets) {
        try {
            return InstanceVariables.of(environment, release, secrets, "inventory-service");
        } catch (SecretException e) {
            throw new DriverException(e.getMessage(), e);
        }
    }

    /** {@code java <options> -jar <artifact>}: the artifact is an argument of the JVM, never a program itself. */
    private List<String> command(Path artifact) {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        Arrays.stream(config.javaOptions().trim().split("\\s+")).filter(o -> !o.isEmpty()).forEach(command::add);
        command.add("-jar");
        command.add(artifact.toString());
        return command;
    }

    /** A readable regular file that starts like a zip: a cheap check that java -jar is given a jar. */
    private static void requireJar(Path artifact) {
        if (!Files.isRegularFile(artifact) || !Files.isReadable(artifact)) {
            throw new DriverException("the artifact is not a readable regular file");
        }
        try (InputStream in = Files.newInputStream(artifact)) {
            if (!Arrays.equals(in.readNBytes(ZIP_MAGIC.length), ZIP_MAGIC)) {
                throw new DriverException("the artifact is not a jar (runtime " + ReleaseSpec.JAVA_JAR + ")");
            }
        } catch (IOException e) {
            throw new DriverException("the artifact cannot be read: " + e.getMessage(), e);
        }
    }

    /** Waits until the instance accepts connections; a process that exits first has failed to start. */
    private void awaitListening(String instanceId, GuardedProcess process, int port, Path log,
            List<String> plainSecrets) {
        long started = System.nanoTime();
        long deadline = started + config.startTimeout().toNanos();
        while (System.nanoTime() < deadline) {
            boolean neverForked = process.child().isEmpty() && System.nanoTime() - started > 2_000_000_000L;
            if (process.hasExited() || neverForked) {
                stop(instanceId);
                throw new DriverException("process exited during start-up: " + tail(log, plainSecrets));
            }
            if (accepts(port)) {
                return;
            }
            sleep(50);
        }
        stop(instanceId);
        throw new DriverException("process did not open port " + port + " within " + config.startTimeout()
                + ": " + tail(log, plainSecrets));
    }

    private static boolean accepts(int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 200);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new DriverException("no free loopback port: " + e.getMessage(), e);
        }
    }

    private Path logFile(String instanceId, String version) {
        try {
            Path dir = Files.createDirectories(Path.of(config.workDir(), instanceId));
            return dir.resolve(version + ".log");
        } catch (IOException e) {
            throw new DriverException("cannot create the log directory of " + instanceId + ": " + e.getMessage(), e);
        }
    }

    /** The last lines of the instance's output, with the values of its secrets masked. */
    private static String tail(Path log, List<String> plainSecrets) {
        try {
            List<String> lines = Files.readAllLines(log);
            return lines.isEmpty() ? "(no output)" : SecretMasking.scrubbed(
                    String.join(" | ", lines.subList(Math.max(0, lines.size() - 3), lines.size())), plainSecrets);
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new DriverException("interrupted while starting an instance", e);
        }
    }
}
