package dev.stagecraft.agent;

import java.time.Duration;
import java.util.Optional;

/**
 * Signals a recorded process (an instance's or a router's) only while it is still the recorded one: same pid and
 * same start time, not a zombie. A pid alone is never trusted, since the kernel gives it to another process later.
 */
final class ProcessControl {
    private ProcessControl() {
    }

    static boolean isOurs(long pid, long startTicks, Optional<ProcStat> stat) {
        return pid > 0 && stat.isPresent() && !stat.get().ended() && stat.get().startTicks() == startTicks;
    }

    static boolean isAlive(long pid, long startTicks) {
        return isOurs(pid, startTicks, ProcStat.of(pid));
    }

    /**
     * How a process ended, as far as this agent can know: only its parent ({@code child}, null for an adopted process)
     * can read its exit status.
     */
    static String exitOf(Process child, long pid) {
        if (child == null || child.pid() != pid) {
            return "process " + pid + " ended";
        }
        try {
            int code = child.waitFor();
            // The JDK reports death by signal n as 128 + n.
            return code > 128 ? "killed by signal " + (code - 128) : "exit " + code;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "process " + pid + " ended";
        }
    }

    /** SIGTERM, then SIGKILL after the grace period; only if the process is still the recorded one. */
    static void terminate(long pid, long startTicks, Duration grace) {
        if (!isAlive(pid, startTicks)) {
            return;
        }
        Optional<ProcessHandle> process = ProcessHandle.of(pid);
        if (process.isEmpty()) {
            return;
        }
        process.get().destroy();
        if (awaitEnd(pid, startTicks, grace)) {
            return;
        }
        if (isAlive(pid, startTicks)) {
            process.get().destroyForcibly();
            awaitEnd(pid, startTicks, Duration.ofSeconds(5));
        }
    }

    private static boolean awaitEnd(long pid, long startTicks, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (isAlive(pid, startTicks)) {
            if (System.nanoTime() - deadline > 0) {
                return false;
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
        return true;
    }
}
