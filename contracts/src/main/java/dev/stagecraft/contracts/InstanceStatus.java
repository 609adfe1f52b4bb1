package dev.stagecraft.contracts;

import java.time.Instant;

/**
 * One instance as its host agent sees it. {@code state} is one of the constants below; {@code since} is when
 * it entered that state. {@code restarts} counts restarts by the agent (crashes and failed liveness), never
 * reset. In {@link #CRASH_LOOP_BACKOFF} {@code nextRestartAt} says when the agent tries again; {@code lastExit}
 * describes the last end of its process ("exit 1", "signal 9", "liveness failed 3 times", ...).
 * {@code service} and {@code environment} name the fleet the instance runs for, as the spec the agent holds says
 * (the release's service, the spec's environment): a controller can then tell an instance it has no row for (left by
 * a step cut short) from one of another fleet. Both are null in a {@link #GONE} answer and in reports of agents older
 * than these fields; such an instance is never taken for an orphan, since its fleet is unknown.
 */
public record InstanceStatus(String instanceId, long generation, String version, String state, Long pid,
        String address, int port, int restarts, String lastExit, Instant since, Instant nextRestartAt,
        String detail, String service, String environment) {

    /** A status that names no fleet (a {@link #GONE} answer; an older agent's report). */
    public InstanceStatus(String instanceId, long generation, String version, String state, Long pid,
            String address, int port, int restarts, String lastExit, Instant since, Instant nextRestartAt,
            String detail) {
        this(instanceId, generation, version, state, pid, address, port, restarts, lastExit, since, nextRestartAt,
                detail, null, null);
    }

    /** Whether the report names the fleet the instance runs for. */
    public boolean namesFleet() {
        return service != null && environment != null;
    }

    /** Launched; its port does not answer yet. */
    public static final String STARTING = "STARTING";
    /** Its process lives and answers. */
    public static final String RUNNING = "RUNNING";
    /** It ended or failed liveness; the agent restarts it at {@code nextRestartAt}, with growing delays. */
    public static final String CRASH_LOOP_BACKOFF = "CRASH_LOOP_BACKOFF";
    /** Cannot be started at all (artifact missing or its sha256 differs); the agent does not retry. */
    public static final String FAILED = "FAILED";
    /** Not on this host (stopped, or never known): the answer to a STOP. */
    public static final String GONE = "GONE";
}
