package dev.stagecraft.contracts;

import java.time.Instant;

/**
 * One instance as its host agent sees it. {@code state} is one of the constants below; {@code since} is when
 * it entered that state. {@code restarts} counts restarts by the agent (crashes and failed liveness), never
 * reset. In {@link #CRASH_LOOP_BACKOFF} {@code nextRestartAt} says when the agent tries again; {@code lastExit}
 * describes the last end of its process ("exit 1", "signal 9", "liveness failed 3 times", ...).
 */
public record InstanceStatus(String instanceId, long generation, String version, String state, Long pid,
        String address, int port, int restarts, String lastExit, Instant since, Instant nextRestartAt,
        String detail) {
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
