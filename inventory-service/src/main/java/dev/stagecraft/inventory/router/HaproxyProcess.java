package dev.stagecraft.inventory.router;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import dev.stagecraft.inventory.process.GuardedProcess;

/**
 * The one HAProxy this service runs, in master-worker mode ({@code -W}) under a {@link GuardedProcess}, so
 * that it dies with this service. The master re-reads the config file on {@code reload} (its CLI, {@code -S},
 * on a unix socket) and starts a new worker; the old one finishes the requests it had and leaves. The
 * current worker takes runtime commands on its stats socket.
 */
final class HaproxyProcess {
    private static final Pattern VERSION = Pattern.compile("HA-?Proxy version (\\d+)\\.(\\d+)");
    private static final Pattern WORKER_PID = Pattern.compile("(?m)^Pid: (\\d+)");
    private static final Duration READY_TIMEOUT = Duration.ofSeconds(10);
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(5);

    private final Path binary;
    private final Path config;
    private final Path log;
    private final HaproxyCli master;
    private final HaproxyCli stats;
    private GuardedProcess process;

    HaproxyProcess(Path binary, Path config, Path masterSocket, Path statsSocket, Path log) {
        this.binary = binary;
        this.config = config;
        this.log = log;
        this.master = new HaproxyCli(masterSocket);
        this.stats = new HaproxyCli(statsSocket);
    }

    /**
     * Fails with a message saying what to do unless {@code binary} is an HAProxy of 2.6 or later (the router
     * uses {@code option idle-close-on-response}, new in 2.6).
     */
    static void requireUsable(Path binary) {
        String fix = "; install it with deploy/tools/install-debian-packages haproxy, or point "
                + "stagecraft.router.haproxy.binary at it";
        if (!Files.isExecutable(binary)) {
            throw new IllegalStateException("stagecraft.router.kind=haproxy, but there is no HAProxy at " + binary + fix);
        }
        String version = run(List.of(binary.toString(), "-v"), "ask " + binary + " its version").output();
        Matcher m = VERSION.matcher(version);
        if (!m.find()) {
            throw new IllegalStateException(binary + " does not say it is HAProxy: " + firstLine(version) + fix);
        }
        int major = Integer.parseInt(m.group(1));
        int minor = Integer.parseInt(m.group(2));
        if (major < 2 || (major == 2 && minor < 6)) {
            throw new IllegalStateException("the haproxy router needs HAProxy 2.6 or later, " + binary + " is "
                    + major + "." + minor + fix);
        }
    }

    /** HAProxy's own check of a config file ({@code -c}), so that a bad one never reaches the master. */
    void check(Path candidate) {
        Result checked = run(List.of(binary.toString(), "-c", "-q", "-f", candidate.toString()),
                "check " + candidate);
        if (checked.exitCode() != 0) {
            throw new RouterException("HAProxy rejects the config it was to load: " + checked.output().strip());
        }
    }

    /** Starts the master and its first worker, and answers once the worker takes commands. */
    void start() {
        try {
            process = GuardedProcess.start(List.of(binary.toString(), "-W", "-S", master.socket() + ",mode,600", "-f",
                    config.toString()), log);
        } catch (IOException e) {
            throw new RouterException("cannot start " + binary + ": " + e.getMessage(), e);
        }
        awaitWorker(awaitProcesses(p -> !p.workers().isEmpty(), "start"));
    }

    /**
     * Reloads the config file: answers once the new worker takes commands, or fails if the master could not
     * load it (then the old worker goes on with the old config).
     */
    void reload() {
        HaproxyProcesses before = processes();
        try {
            master.send("reload");
        } catch (RouterException expected) {
            // the master hangs up on this connection when it re-executes itself
        }
        HaproxyProcesses after = awaitProcesses(p -> p.reloads() > before.reloads(), "reload");
        if (after.failedReloads() > before.failedReloads()) {
            throw new RouterException("HAProxy could not load its new config and goes on with the old one: " + logTail());
        }
        awaitWorker(after);
    }

    boolean isAlive() {
        return process != null && process.isAlive();
    }

    HaproxyCli stats() {
        return stats;
    }

    HaproxyProcesses processes() {
        return HaproxyProcesses.parse(master.send("show proc"));
    }

    /** {@code show stat} of one proxy's servers in an old worker, through the master; empty once it has left. */
    Map<String, Integer> oldWorkerSessions(long pid, String proxy) {
        try {
            return HaproxySessions.parse(master.send("@!" + pid + " show stat " + proxy + " 4 -1"));
        } catch (RouterException gone) {
            return Map.of();
        }
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
        try {
            List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
            return lines.isEmpty() ? "(no output)"
                    : String.join(" | ", lines.subList(Math.max(0, lines.size() - 4), lines.size()));
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    private HaproxyProcesses awaitProcesses(Predicate<HaproxyProcesses> done, String what) {
        long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
        RouterException last = null;
        while (System.nanoTime() < deadline) {
            if (process == null || process.hasExited()) {
                throw new RouterException("HAProxy exited during " + what + ": " + logTail());
            }
            try {
                HaproxyProcesses now = processes();
                if (done.test(now)) {
                    return now;
                }
            } catch (RouterException e) {
                last = e; // the master CLI is not there yet, or is being re-executed
            }
            sleep(20);
        }
        throw new RouterException("HAProxy did not " + what + " within " + READY_TIMEOUT + " ("
                + (last == null ? "" : last.getMessage() + "; ") + logTail() + ")");
    }

    /** Waits until the stats socket is answered by the current worker (not by an old one still leaving). */
    private void awaitWorker(HaproxyProcesses processes) {
        if (processes.workers().isEmpty()) {
            throw new RouterException("HAProxy has no worker: " + logTail());
        }
        String worker = Long.toString(processes.workers().get(0));
        long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            try {
                Matcher pid = WORKER_PID.matcher(stats.send("show info"));
                if (pid.find() && pid.group(1).equals(worker)) {
                    return;
                }
            } catch (RouterException notYet) {
                // the new worker has not bound the stats socket yet
            }
            sleep(20);
        }
        throw new RouterException("HAProxy's worker " + worker + " did not take commands within " + READY_TIMEOUT
                + ": " + logTail());
    }

    private record Result(int exitCode, String output) {
    }

    private static Result run(List<String> command, String what) {
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            byte[] output = p.getInputStream().readAllBytes();
            if (!p.waitFor(10, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new RouterException("could not " + what + " within 10s");
            }
            return new Result(p.exitValue(), new String(output, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new RouterException("could not " + what + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RouterException("interrupted while trying to " + what, e);
        }
    }

    private static String firstLine(String text) {
        String stripped = text.strip();
        int end = stripped.indexOf('\n');
        return end < 0 ? stripped : stripped.substring(0, end);
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RouterException("interrupted while waiting for HAProxy", e);
        }
    }
}
