package dev.stagecraft.inventory.domain;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import dev.stagecraft.inventory.driver.InstanceDriver;
import dev.stagecraft.inventory.driver.InstanceDriver.RunningInstance;
import dev.stagecraft.inventory.persistence.InstanceEntity;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Starts an instance again from the release its row says it runs, keeping its id, state, pool and weight, and gives
 * it its stored weight in the router at its new address: what the recovery after a restart of this service does, and
 * what the reconciler does for an instance whose host was lost.
 */
@ApplicationScoped
public class InstanceRestarts {
    private final InstanceDriver driver;
    private final FleetTraffic traffic;
    private final Vertx vertx;

    public InstanceRestarts(InstanceDriver driver, FleetTraffic traffic, Vertx vertx) {
        this.driver = driver;
        this.traffic = traffic;
        this.vertx = vertx;
    }

    /** What became of one start: where it runs now, or why it does not. */
    public record Attempt(RunningInstance running, String error) {
    }

    /**
     * Starts it again (on a worker); on success the row gets its new address and pid, on failure it is left as it is
     * for the caller to judge. A failure is an answer, never thrown.
     */
    public Uni<Attempt> startAgain(InstanceEntity instance) {
        return vertx.executeBlocking(() -> {
            try {
                return new Attempt(driver.start(instance.id, instance.environment, instance.release()), null);
            } catch (RuntimeException e) {
                return new Attempt(null, e.getMessage() != null ? e.getMessage() : e.toString());
            }
        }, false).invoke(attempt -> {
            if (attempt.running() != null) {
                instance.address = attempt.running().address();
                instance.pid = attempt.running().pid();
                instance.lastError = null;
                instance.updatedAt = Instant.now();
            }
        });
    }

    /** The FAILED ones out of the router, the others at their stored weight at their address; answers what was not confirmed. */
    public Uni<Map<String, String>> route(List<InstanceEntity> instances) {
        List<InstanceEntity> failed = instances.stream().filter(i -> i.state == InstanceState.FAILED).toList();
        return traffic.forget(failed).chain(() -> traffic.restoreWeights(instances.stream()
                .filter(i -> i.state != InstanceState.FAILED).toList()));
    }
}
