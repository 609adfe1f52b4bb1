package dev.stagecraft.inventory.router;

import dev.stagecraft.inventory.process.GuardedProcess;
import dev.stagecraft.router.RouterException;
import dev.stagecraft.router.haproxy.HaproxyCli;
import dev.stagecraft.router.haproxy.HaproxyMaster;
import dev.stagecraft.router.haproxy.HaproxyProcesses;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The one HAProxy this service runs, in master-worker mode under a {@link GuardedProcess}, so that it dies with this
 * service. Reloads, checks and the sockets are the router module's {@link HaproxyMaster}, which host agents use too.
 */
final class HaproxyProcess {
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(5);

    private final Path config;
    private final Path log;
    private final HaproxyMaster master;
    private GuardedProcess process;

    HaproxyProcess(Path binary, Path config, Path masterSocket, Path statsSocket, Path log) {
        this.config = config;
        this.log = log;
        this.master = new HaproxyMaster(binary, masterSocket, statsSocket, log,
                () -> process == null || process.hasExited());
    }

    static void requireUsable(Path binary) {
        HaproxyMaster.requireUsable(binary, "stagecraft.router.haproxy.binary");
    }

    void check(Path candidate) {
        master.check(candidate);
    }

    /** Starts the master and its first worker, and answers once the worker takes commands. */
    void start() {
        try {
            process = GuardedProcess.start(master.command(config), log);
        } catch (IOException e) {
            throw new RouterException("cannot start HAProxy: " + e.getMessage(), e);
        }
        master.awaitStarted();
    }

    void reload() {
        master.reload();
    }

    boolean isAlive() {
        return process != null && process.isAlive();
    }

    HaproxyCli stats() {
        return master.stats();
    }

    HaproxyProcesses processes() {
        return master.processes();
    }

    Map<String, Integer> oldWorkerSessions(long pid, String proxy) {
        return master.oldWorkerSessions(pid, proxy);
    }

    /** The master and every process under it, for tests that check none is left. */
    List<ProcessHandle> processTree() {
        if (process == null) {
            return List.of();
        }
        return process.child().stream().flatMap(child -> Stream.concat(Stream.of(child), child.descendants()))
                .toList();
    }

    /** SIGTERM to the master (through its guardian), which stops its workers at once. */
    void stop() {
        if (process != null) {
            process.stop(STOP_TIMEOUT);
            process = null;
        }
    }

    String logTail() {
        return master.logTail();
    }
}
