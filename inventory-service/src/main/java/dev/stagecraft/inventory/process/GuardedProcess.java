package dev.stagecraft.inventory.process;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * A child process that cannot outlive this JVM. It runs under a small bash guardian that holds a pipe from
 * this JVM on its stdin: when the pipe closes — on {@link #stop}, or because this JVM died, even by SIGKILL —
 * the guardian sends the child SIGTERM and waits for it. Bash, not dash: it reaps a crashed child at once, so a
 * crash at start-up is seen as one. Instances (the local-process driver) and the haproxy router run this way.
 */
public final class GuardedProcess {
    private static final String GUARDIAN = "\"$@\" & child=$!; "
            + "trap 'kill $child 2>/dev/null; wait $child; exit 0' TERM INT; "
            + "read -r _ignored; kill $child 2>/dev/null; wait $child";

    private final Process guardian;
    /** Kept once seen: after the child exits, bash reaps it and it is no longer among the guardian's children. */
    private volatile ProcessHandle child;

    private GuardedProcess(Process guardian) {
        this.guardian = guardian;
    }

    /** Starts {@code command} under a guardian, its stdout and stderr appended to {@code log}. */
    public static GuardedProcess start(List<String> command, Path log) throws IOException {
        return start(command, log, env -> {
        });
    }

    /** As {@link #start(List, Path)}, with the environment {@code environment} makes of this JVM's. */
    public static GuardedProcess start(List<String> command, Path log, Consumer<Map<String, String>> environment)
            throws IOException {
        List<String> guarded = new ArrayList<>(List.of("/bin/bash", "-c", GUARDIAN, "stagecraft-guardian"));
        guarded.addAll(command);
        ProcessBuilder builder = new ProcessBuilder(guarded).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        environment.accept(builder.environment());
        return new GuardedProcess(builder.start());
    }

    /** The guarded process's pid, or the guardian's until bash has forked it. */
    public long pid() {
        return child().map(ProcessHandle::pid).orElse(guardian.pid());
    }

    /** The guarded process itself (not the guardian), once bash has forked it. */
    public Optional<ProcessHandle> child() {
        if (child == null) {
            child = guardian.children().findFirst().orElse(null);
        }
        return Optional.ofNullable(child);
    }

    /** Whether the guarded process runs (false before bash has forked it, too). */
    public boolean isAlive() {
        return guardian.isAlive() && child().map(ProcessHandle::isAlive).orElse(false);
    }

    /** Whether the guarded process has come and gone (or its guardian has). */
    public boolean hasExited() {
        return !guardian.isAlive() || child().map(c -> !c.isAlive()).orElse(false);
    }

    /**
     * Closes the pipe, so the guardian stops the child with SIGTERM; whatever of the tree still lives after
     * {@code timeout} is killed. Answers whether it stopped in time by itself.
     */
    public boolean stop(Duration timeout) {
        List<ProcessHandle> tree = new ArrayList<>(guardian.descendants().toList());
        try {
            guardian.getOutputStream().close();
        } catch (IOException ignored) {
            // the pipe is already gone, which the guardian takes as the same signal
        }
        boolean inTime = false;
        try {
            inTime = guardian.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        tree.forEach(ProcessHandle::destroyForcibly);
        guardian.destroyForcibly();
        return inTime;
    }
}
