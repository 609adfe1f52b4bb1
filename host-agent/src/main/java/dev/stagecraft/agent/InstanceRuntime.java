package dev.stagecraft.agent;

import dev.stagecraft.contracts.InstanceSpec;
import java.time.Duration;
import java.time.Instant;

/**
 * What the supervisor asks of whatever runs an instance: where a new one will live, starting it, whether it still
 * runs, how it ended, ending it. {@link InstanceRunner} runs real processes; {@link SimulatedRuntime} runs simulated
 * instances that are records inside the agent (README, "Simulated hosts").
 */
interface InstanceRuntime {

    /** The record of a new instance, before it is launched: its address and port are chosen here, once, for its life. */
    InstanceHandle plan(InstanceSpec spec, Instant now);

    /** The handle after a launch: STARTING, or FAILED saying why it could not start. */
    InstanceHandle launch(InstanceHandle handle, boolean isRestart, Instant now);

    boolean isAlive(InstanceHandle handle);

    /** How it ended, as far as the agent can know. */
    String exitOf(InstanceHandle handle);

    void terminate(InstanceHandle handle, Duration grace);

    /**
     * Whether a just-launched instance may be asked at once whether it answers, without I/O (the simulation, whose
     * liveness is a look-up in memory): it is then reported RUNNING at its launch instead of at the next sync. A real
     * process is left to the sync loop: asking it right after its launch would only hold up the commands behind it.
     */
    default boolean answersInMemory() {
        return false;
    }

    /** The instance is stopped and its record deleted: what {@link #plan} reserved for it may be reused. */
    default void forgotten(InstanceHandle handle) {
    }
}
