package dev.stagecraft.inventory.driver;

import java.util.Optional;

import dev.stagecraft.contracts.ReleaseSpec;

/**
 * Changes what runs. Implementations block (they fetch artifacts and start processes), so callers
 * run them on worker threads. {@code start} of an instance that runs already replaces its process.
 */
public interface InstanceDriver {

    /**
     * Starts {@code release} as instance {@code instanceId}; returns once it listens, or throws {@link DriverException}.
     * Either way, a process the instance had before is stopped.
     */
    RunningInstance start(String instanceId, String environment, ReleaseSpec release);

    /** Stops the instance's process, if it has one. Idempotent. */
    void stop(String instanceId);

    /** Whether the instance has a live process started by this driver. */
    boolean isRunning(String instanceId);

    /** Stops every process this driver started: no orphans when the service stops. */
    void stopAll();

    /**
     * Where the instance runs now if its process outlived a restart of this service (the agent driver's do), so that
     * it is taken over rather than started again. Registers the instance's release, as {@code start} does.
     */
    default Optional<RunningInstance> survivor(String instanceId, String environment, ReleaseSpec release) {
        return Optional.empty();
    }

    /** What is wrong with the instance as the driver sees it now (a crash loop, say), if anything. */
    default Optional<String> observedProblem(String instanceId) {
        return Optional.empty();
    }

    /**
     * Reads the hosts' reports up to now, so that what another replica of this service saw before it let a fleet go
     * is seen here too (agent driver); nothing to read for a driver whose processes are this service's own.
     */
    default void catchUpWithHosts() {
    }

    /** Blocks until the driver knows what runs already (the agent driver: host status read up to now). */
    default void awaitObservedState() {
    }

    /**
     * What the driver sees of the instance now, if it can say (the agent driver: its host's latest report), for the
     * views: where it runs, in which state, as which pid, restarted how often.
     */
    default Optional<Observation> observation(String instanceId) {
        return Optional.empty();
    }

    /**
     * Whether the instance must be placed again because no live host runs it: its host stopped heartbeating, or no
     * host lists it any more, while another host is alive to take it. Only drivers that place instances on hosts ever
     * say so; a crash loop on a live host is its agent's to handle, not this.
     */
    default boolean isLost(String instanceId) {
        return false;
    }

    /**
     * What happened to the instance where it runs, oldest first, as far as the driver saw it (the agent driver: every
     * change its hosts reported since this service started: restarts, crash loops, moves to another host).
     */
    default java.util.List<ObservedChange> history(String instanceId) {
        return java.util.List.of();
    }

    /**
     * Every instance the hosts report now (the agent driver: each one's latest report), with the fleet its report names,
     * for the orphan sweep ({@code OrphanSweep}); none for a driver whose processes are this service's own children
     * (they cannot outlive it, so nothing can be orphaned).
     */
    default java.util.List<HostedInstance> hostedInstances() {
        return java.util.List.of();
    }

    /**
     * An instance as a host reports it: {@code service} and {@code environment} are the fleet its report names (null
     * from an agent too old to say); {@code hostAlive} whether that host still heartbeats.
     */
    record HostedInstance(String instanceId, String hostId, String service, String environment, String state,
            boolean hostAlive) {
        public boolean namesFleet() {
            return service != null && environment != null;
        }
    }

    /** One change of an instance where it runs: the host's word for its state, its pid, its restarts, why. */
    record ObservedChange(java.time.Instant at, String host, String state, Long pid, int restarts, String detail) {
    }

    record RunningInstance(String address, long pid) {
    }

    /** {@code state} is the host's word for it (RUNNING, CRASH_LOOP_BACKOFF, …), or HOST_LOST. */
    record Observation(String host, String state, Long pid, int restarts) {
        public static final String HOST_LOST = "HOST_LOST";
    }
}
