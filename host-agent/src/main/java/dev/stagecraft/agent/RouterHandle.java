package dev.stagecraft.agent;

import dev.stagecraft.contracts.InstanceStatus;
import dev.stagecraft.contracts.RouteBackend;
import dev.stagecraft.contracts.RouterSpec;
import dev.stagecraft.contracts.RouterStatus;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * Everything the agent must remember about one fleet router to find it again after its own restart, stored as
 * {@code <state-dir>/routers/<id>.json}: the last spec it was given (the table and its generation), its fixed port,
 * its admin port and token, and its process (pid and start time, as for instances; pid 0: none). States are an
 * instance's: STARTING, RUNNING, CRASH_LOOP_BACKOFF, FAILED.
 */
record RouterHandle(
        String routerId,
        RouterSpec spec,
        String desired,
        String address,
        int port,
        int adminPort,
        String adminToken,
        long pid,
        long startTicks,
        String state,
        Instant since,
        int restarts,
        int consecutiveFailures,
        Instant nextRestartAt,
        String lastExit,
        String detail,
        String kind) {

    /** A record written before routers had kinds is a router process's. */
    RouterHandle {
        kind = kind == null ? RouterSettings.JAVA : kind;
    }

    static RouterHandle planned(RouterSpec spec, String address, int port, int adminPort, String token, String kind,
            Instant now) {
        return new RouterHandle(spec.routerId(), spec, InstanceHandle.RUN, address, port, adminPort, token, 0, 0,
                InstanceStatus.STARTING, now, 0, 0, null, null, null, kind);
    }

    boolean isAlive() {
        return ProcessControl.isAlive(pid, startTicks);
    }

    /** A newer table: saved before it is sent, so a restart of the agent or the router comes back with it. */
    RouterHandle withSpec(RouterSpec newer) {
        return new RouterHandle(routerId, newer, desired, address, port, adminPort, adminToken, pid, startTicks, state,
                since, restarts, consecutiveFailures, nextRestartAt, lastExit, detail, kind);
    }

    RouterHandle onPort(int newPort) {
        return new RouterHandle(routerId, spec, desired, address, newPort, adminPort, adminToken, pid, startTicks,
                state, since, restarts, consecutiveFailures, nextRestartAt, lastExit, detail, kind);
    }

    /** The same router (port, admin port, token, table) as another kind, with no process yet: to be launched. */
    RouterHandle ofKind(String newKind, Instant now) {
        return new RouterHandle(routerId, spec, desired, address, port, adminPort, adminToken, 0, 0,
                InstanceStatus.STARTING, now, restarts, consecutiveFailures, null, lastExit, detail, newKind);
    }

    RouterHandle launched(long newPid, long newStartTicks, boolean isRestart, Instant now) {
        return new RouterHandle(routerId, spec, desired, address, port, adminPort, adminToken, newPid, newStartTicks,
                InstanceStatus.STARTING, now, isRestart ? restarts + 1 : restarts, consecutiveFailures, null, lastExit,
                null, kind);
    }

    RouterHandle running(Instant now, String why) {
        return new RouterHandle(routerId, spec, desired, address, port, adminPort, adminToken, pid, startTicks,
                InstanceStatus.RUNNING, InstanceStatus.RUNNING.equals(state) ? since : now, restarts,
                consecutiveFailures, null, lastExit, why, kind);
    }

    RouterHandle crashed(String exit, CrashLoopBackoff backoff, Instant now) {
        Duration upFor = InstanceStatus.RUNNING.equals(state) ? Duration.between(since, now) : Duration.ZERO;
        int failures = backoff.failuresAfterExit(consecutiveFailures, upFor);
        return new RouterHandle(routerId, spec, desired, address, port, adminPort, adminToken, 0, 0,
                InstanceStatus.CRASH_LOOP_BACKOFF, now, restarts, failures, now.plus(backoff.delayAfter(failures)), exit,
                null, kind);
    }

    RouterHandle failed(String why, Instant now) {
        return new RouterHandle(routerId, spec, desired, address, port, adminPort, adminToken, 0, 0,
                InstanceStatus.FAILED, now, restarts, consecutiveFailures, null, lastExit, why, kind);
    }

    RouterHandle stopping() {
        return new RouterHandle(routerId, spec, InstanceHandle.STOP, address, port, adminPort, adminToken, pid,
                startTicks, state, since, restarts, consecutiveFailures, nextRestartAt, lastExit, detail, kind);
    }

    /** As reported: with the table read back from the router last ({@code applied}), not the one it was told. */
    RouterStatus status(RouterAdmin.Table applied) {
        Map<String, RouteBackend> backends = applied == null ? Map.of() : applied.backends();
        List<String> busy = applied == null ? List.of() : applied.busy();
        return new RouterStatus(routerId, spec.service(), spec.environment(), state, pid > 0 ? pid : null, address,
                port, applied == null ? 0 : applied.generation(), backends, busy, restarts, lastExit, since, detail,
                adminPort);
    }

    static RouterStatus gone(String routerId, Instant now) {
        return new RouterStatus(routerId, null, null, InstanceStatus.GONE, null, null, 0, 0, Map.of(), List.of(), 0,
                null, now, null);
    }
}
