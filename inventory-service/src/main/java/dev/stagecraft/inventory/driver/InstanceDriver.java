package dev.stagecraft.inventory.driver;

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

    record RunningInstance(String address, long pid) {
    }
}
