package dev.stagecraft.inventory.api;

import java.time.Instant;
import java.util.Optional;

import dev.stagecraft.inventory.driver.InstanceDriver;
import dev.stagecraft.inventory.driver.InstanceDriver.Observation;
import dev.stagecraft.inventory.persistence.InstanceEntity;

/**
 * One instance as users see it. {@code state} is the fleet's view of it (STARTING, IN_SERVICE, OUT_OF_SERVICE,
 * FAILED: what the deployments set); with the agent driver, {@code host}, {@code observedState} (the host's latest
 * report: RUNNING, STARTING, CRASH_LOOP_BACKOFF, FAILED, or HOST_LOST when its host stopped heartbeating),
 * {@code restarts} (by its agent) and {@code pid} come from what the hosts report now, and {@code lastError} starts
 * with what is wrong there.
 */
public record InstanceView(String id, String service, String environment, String version, String address,
        String state, String pool, int weight, Long pid, String lastError, Instant updatedAt, String host,
        String observedState, Integer restarts) {

    public static InstanceView of(InstanceEntity i, InstanceDriver driver) {
        Optional<String> problem = driver.observedProblem(i.id);
        String lastError = problem.map(p -> i.lastError == null ? p : p + "; before: " + i.lastError)
                .orElse(i.lastError);
        Optional<Observation> seen = driver.observation(i.id);
        return new InstanceView(i.id, i.service, i.environment, i.version, i.address, i.state.name(), i.pool,
                i.weight, seen.map(Observation::pid).orElse(i.pid), lastError, i.updatedAt,
                seen.map(Observation::host).orElse(null), seen.map(Observation::state).orElse(null),
                seen.map(Observation::restarts).orElse(null));
    }
}
