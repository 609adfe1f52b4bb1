package dev.stagecraft.agent;

import dev.stagecraft.contracts.InstanceSpec;
import dev.stagecraft.contracts.ReleaseSpec;
import dev.stagecraft.contracts.secrets.InstanceVariables;
import dev.stagecraft.contracts.secrets.SecretException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Turns a handle into a running process and back: fetches and checks the artifact, builds the command line and the
 * environment, launches, tells whether the recorded process is still ours, and terminates it. Never signals a pid
 * whose start time differs from the record's.
 */
final class InstanceRunner implements InstanceRuntime {

    /** All an instance inherits from the agent's environment: enough to run a process, none of the agent's settings. */
    static final Set<String> INHERITED = Set.of("PATH", "HOME", "USER", "LANG", "LC_ALL", "TZ", "TMPDIR");

    private final AgentConfig config;
    private final ArtifactFetcher artifacts;
    private final ProcessLauncher launcher;
    private final Path logDir;
    /** Processes this agent started itself: only a parent can read an exit status. */
    private final Map<String, Process> children = new ConcurrentHashMap<>();

    InstanceRunner(AgentConfig config, ArtifactFetcher artifacts, ProcessLauncher launcher) {
        this.config = config;
        this.artifacts = artifacts;
        this.launcher = launcher;
        this.logDir = config.stateDir().resolve("logs");
        try {
            Files.createDirectories(logDir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create " + logDir, e);
        }
    }

    /** On the host's own address, a free port taken now. */
    @Override
    public InstanceHandle plan(InstanceSpec spec, Instant now) {
        return InstanceHandle.planned(spec, config.hostAddress(), Ports.freePort(config.hostAddress()), now);
    }

    /** The handle after a launch: STARTING with its new process, or FAILED saying why it could not start. */
    @Override
    public InstanceHandle launch(InstanceHandle handle, boolean isRestart, Instant now) {
        InstanceSpec spec = handle.spec();
        Path artifact;
        try {
            artifact = artifacts.fetch(spec.release().artifact());
        } catch (ArtifactFetcher.ArtifactException e) {
            return handle.failed(e.getMessage(), now);
        }
        Map<String, String> environment;
        try {
            environment = environment(handle);
        } catch (SecretException e) {
            return handle.failed(e.getMessage(), now);
        }
        try {
            ProcessLauncher.Launched launched = launcher.launch(command(artifact, spec.release().runtime()), environment,
                    logFile(handle.instanceId()));
            launched.child().ifPresent(process -> children.put(handle.instanceId(), process));
            return handle.launched(artifact.toString(), launched.pid(), launched.startTicks(), isRestart, now);
        } catch (IOException | RuntimeException e) {
            return handle.failed("cannot launch " + artifact + ": " + e.getMessage(), now);
        }
    }

    /** Its recorded process still runs: same pid, same start time, not a zombie. */
    @Override
    public boolean isAlive(InstanceHandle handle) {
        return isOurs(handle, ProcStat.of(handle.pid()));
    }

    static boolean isOurs(InstanceHandle handle, Optional<ProcStat> stat) {
        return handle.hasProcess() && ProcessControl.isOurs(handle.pid(), handle.startTicks(), stat);
    }

    /** How its process ended, as far as this agent can know (an adopted process's exit status is lost to it). */
    @Override
    public String exitOf(InstanceHandle handle) {
        return ProcessControl.exitOf(children.remove(handle.instanceId()), handle.pid());
    }

    /** SIGTERM, then SIGKILL after the grace period; only if the process is still the recorded one. */
    @Override
    public void terminate(InstanceHandle handle, Duration grace) {
        children.remove(handle.instanceId());
        ProcessControl.terminate(handle.pid(), handle.startTicks(), grace);
    }

    /**
     * By the release's runtime, never by the file's name: an artifact from the platform's store is named by its sha256
     * alone. {@code java-jar} (the only runtime so far) runs {@code <java> <java options> -jar <artifact>}: the
     * artifact is an argument of the JVM, never a program itself.
     */
    private List<String> command(Path artifact, String runtime) throws IOException {
        if (!ReleaseSpec.JAVA_JAR.equals(runtime)) {
            throw new IOException("runtime " + runtime + " is not one this agent runs (" + ReleaseSpec.JAVA_JAR + ")");
        }
        List<String> command = new ArrayList<>();
        command.add(config.javaCommand());
        command.addAll(config.javaOptions());
        command.add("-jar");
        command.add(artifact.toString());
        return command;
    }

    /** Throws a {@link SecretException} naming the variable if a secret does not open here. */
    private Map<String, String> environment(InstanceHandle handle) {
        Map<String, String> env = new HashMap<>();
        System.getenv().forEach((name, value) -> {
            if (INHERITED.contains(name)) {
                env.put(name, value);
            }
        });
        env.putAll(instanceVariables(config, handle));
        return env;
    }

    /**
     * The variables the platform gives an instance, simulated or real: its release's config and the secrets opened
     * for its own environment and service (only here are they plain), its address and who it is. Throws a
     * {@link SecretException} naming the variable if a secret does not open here.
     */
    static Map<String, String> instanceVariables(AgentConfig config, InstanceHandle handle) {
        Map<String, String> env = new HashMap<>(InstanceVariables.of(handle.spec().environment(),
                handle.spec().release(), config.secrets(), "host agent " + config.hostId()));
        env.put("PORT", Integer.toString(handle.port()));
        env.put("BIND_ADDRESS", handle.address());
        env.put("STAGECRAFT_VERSION", handle.spec().release().version());
        env.put("STAGECRAFT_SERVICE", String.valueOf(handle.spec().release().service()));
        env.put("STAGECRAFT_ENVIRONMENT", String.valueOf(handle.spec().environment()));
        env.put("INSTANCE_ID", handle.instanceId());
        return env;
    }

    Path logFile(String instanceId) {
        return logDir.resolve(instanceId + ".log");
    }
}
