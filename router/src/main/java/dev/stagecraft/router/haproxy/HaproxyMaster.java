package dev.stagecraft.router.haproxy;

import dev.stagecraft.router.RouterException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One HAProxy in master-worker mode ({@code haproxy -W -S <master socket> -f <config>}), whoever started it
 * (inventory-service, guarded; a host agent, detached): its config checked before it is loaded, hitless reloads
 * through the master CLI (a new worker starts from the config file; the old one finishes the requests it had and
 * leaves), the master's process list, and the current worker's stats socket for runtime commands.
 */
public final class HaproxyMaster {
    private static final Pattern VERSION = Pattern.compile("HA-?Proxy version (\\d+)\\.(\\d+)");
    private static final Pattern WORKER_PID = Pattern.compile("(?m)^Pid: (\\d+)");
    private static final Duration READY_TIMEOUT = Duration.ofSeconds(10);

    private final Path binary;
    private final Path log;
    private final HaproxyCli master;
    private final HaproxyCli stats;
    private final BooleanSupplier exited;

    /** {@code exited}: whether the master process has ended (then waiting for it is pointless). */
    public HaproxyMaster(Path binary, Path masterSocket, Path statsSocket, Path log, BooleanSupplier exited) {
        this.binary = binary;
        this.log = log;
        this.master = new HaproxyCli(masterSocket);
        this.stats = new HaproxyCli(statsSocket);
        this.exited = exited;
    }

    /** The command line that starts this master and its first worker in the foreground. */
    public List<String> command(Path config) {
        return List.of(binary.toString(), "-W", "-S", master.socket() + ",mode,600", "-f", config.toString());
    }

    /**
     * Fails with a message saying what to do unless {@code binary} is an HAProxy of 2.6 or later (the router
     * uses {@code option idle-close-on-response}, new in 2.6). {@code setting} names where the binary is configured.
     */
    public static void requireUsable(Path binary, String setting) {
        String fix = "; install it with deploy/tools/install-debian-packages haproxy, or point " + setting + " at it";
        if (!Files.isExecutable(binary)) {
            throw new IllegalStateException("there is no HAProxy at " + binary + fix);
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

    /** Whether {@code binary} is an HAProxy the router can use (see {@link #requireUsable}). */
    public static boolean isUsable(Path binary) {
        try {
            requireUsable(binary, "it");
            return true;
        } catch (RuntimeException e) {
            return false;
        }
    }

    /** HAProxy's own check of a config file ({@code -c}), so that a bad one never reaches the master. */
    public void check(Path candidate) {
        Result checked = run(List.of(binary.toString(), "-c", "-q", "-f", candidate.toString()),
                "check " + candidate);
        if (checked.exitCode() != 0) {
            throw new RouterException("HAProxy rejects the config it was to load: " + checked.output().strip());
        }
    }

    /** Answers once the master has a worker and that worker takes commands on the stats socket. */
    public void awaitStarted() {
        awaitWorker(awaitProcesses(p -> !p.workers().isEmpty(), "start"));
    }

    /** Whether the master answers and its current worker takes commands, now (no waiting). */
    public boolean isServing() {
        try {
            List<Long> workers = processes().workers();
            Matcher pid = WORKER_PID.matcher(stats.send("show info"));
            return !workers.isEmpty() && pid.find() && pid.group(1).equals(Long.toString(workers.get(0)));
        } catch (RouterException e) {
            return false;
        }
    }

    /**
     * Reloads the config file: answers once the new worker takes commands, or fails if the master could not
     * load it (then the old worker goes on with the old config).
     */
    public void reload() {
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

    public HaproxyCli stats() {
        return stats;
    }

    public HaproxyProcesses processes() {
        return HaproxyProcesses.parse(master.send("show proc"));
    }

    /** {@code show stat} of one proxy's servers in an old worker, through the master; empty once it has left. */
    public Map<String, Integer> oldWorkerSessions(long pid, String proxy) {
        try {
            return HaproxySessions.parse(master.send("@!" + pid + " show stat " + proxy + " 4 -1"));
        } catch (RouterException gone) {
            return Map.of();
        }
    }

    public String logTail() {
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
            if (exited.getAsBoolean()) {
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
