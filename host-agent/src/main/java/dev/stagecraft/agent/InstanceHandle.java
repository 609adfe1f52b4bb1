package dev.stagecraft.agent;

import dev.stagecraft.contracts.InstanceSpec;
import dev.stagecraft.contracts.InstanceStatus;
import java.time.Duration;
import java.time.Instant;

/**
 * Everything the agent must remember about one instance to find it again after its own restart, stored as
 * {@code <state-dir>/instances/<id>.json}. {@code pid} and {@code startTicks} (from /proc, see {@link ProcStat})
 * name its process together; pid 0 means no process (waiting in backoff, or failed). {@code port} is chosen once
 * and kept for the instance's whole life, so its address never changes. {@code desired} is {@link #RUN} or
 * {@link #STOP} (a stop the agent had not finished when it went down).
 */
record InstanceHandle(
        String instanceId,
        InstanceSpec spec,
        String desired,
        String address,
        int port,
        long pid,
        long startTicks,
        String artifactPath,
        String artifactSha256,
        String state,
        Instant since,
        int restarts,
        int consecutiveFailures,
        Instant nextRestartAt,
        String lastExit,
        String detail) {

    static final String RUN = "RUN";
    static final String STOP = "STOP";

    static InstanceHandle planned(InstanceSpec spec, String address, int port, Instant now) {
        return new InstanceHandle(spec.instanceId(), spec, RUN, address, port, 0, 0, null,
                spec.release().artifact().sha256(), InstanceStatus.STARTING, now, 0, 0, null, null, null);
    }

    boolean hasProcess() {
        return pid > 0;
    }

    long generation() {
        return spec.generation();
    }

    /** A new spec for the same instance: same port, same restart history, the new release from the next launch. */
    InstanceHandle withSpec(InstanceSpec newSpec) {
        return new InstanceHandle(instanceId, newSpec, RUN, address, port, pid, startTicks, artifactPath,
                newSpec.release().artifact().sha256(), state, since, restarts, 0, null, lastExit, null);
    }

    InstanceHandle launched(String artifact, long newPid, long newStartTicks, boolean isRestart, Instant now) {
        return new InstanceHandle(instanceId, spec, desired, address, port, newPid, newStartTicks, artifact,
                artifactSha256, InstanceStatus.STARTING, now, isRestart ? restarts + 1 : restarts,
                consecutiveFailures, null, lastExit, null);
    }

    InstanceHandle running(Instant now) {
        return new InstanceHandle(instanceId, spec, desired, address, port, pid, startTicks, artifactPath,
                artifactSha256, InstanceStatus.RUNNING, now, restarts, consecutiveFailures, null, lastExit, null);
    }

    /** Its process ended (or was ended for failing liveness): wait, then start again. */
    InstanceHandle crashed(String exit, CrashLoopBackoff backoff, Instant now) {
        Duration upFor = InstanceStatus.RUNNING.equals(state) ? Duration.between(since, now) : Duration.ZERO;
        int failures = backoff.failuresAfterExit(consecutiveFailures, upFor);
        return new InstanceHandle(instanceId, spec, desired, address, port, 0, 0, artifactPath, artifactSha256,
                InstanceStatus.CRASH_LOOP_BACKOFF, now, restarts, failures, now.plus(backoff.delayAfter(failures)),
                exit, null);
    }

    /** It cannot be started at all; a new START (or spec) is needed. */
    InstanceHandle failed(String why, Instant now) {
        return new InstanceHandle(instanceId, spec, desired, address, port, 0, 0, artifactPath, artifactSha256,
                InstanceStatus.FAILED, now, restarts, consecutiveFailures, null, lastExit, why);
    }

    InstanceHandle stopping() {
        return new InstanceHandle(instanceId, spec, STOP, address, port, pid, startTicks, artifactPath,
                artifactSha256, state, since, restarts, consecutiveFailures, nextRestartAt, lastExit, detail);
    }

    InstanceStatus status() {
        return new InstanceStatus(instanceId, spec.generation(), spec.release().version(), state,
                hasProcess() ? pid : null, address, port, restarts, lastExit, since, nextRestartAt, detail,
                spec.release().service(), spec.environment());
    }

    static InstanceStatus gone(String instanceId, Instant now) {
        return new InstanceStatus(instanceId, 0, null, InstanceStatus.GONE, null, null, 0, 0, null, now, null, null);
    }
}
