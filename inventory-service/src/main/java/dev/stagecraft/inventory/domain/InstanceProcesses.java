package dev.stagecraft.inventory.domain;

import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

import dev.stagecraft.contracts.InstanceOutcome;
import dev.stagecraft.contracts.ReleaseSpec;
import dev.stagecraft.inventory.driver.DriverException;
import dev.stagecraft.inventory.driver.InstanceDriver;
import dev.stagecraft.inventory.persistence.InstanceEntity;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;

/** The driver as the steps use it: blocking starts and stops on worker threads, several instances at once. */
@ApplicationScoped
public class InstanceProcesses {
    private final InstanceDriver driver;
    private final Vertx vertx;

    public InstanceProcesses(InstanceDriver driver, Vertx vertx) {
        this.driver = driver;
        this.vertx = vertx;
    }

    /** What became of one start: the running process, or why there is none. */
    public record Started(InstanceDriver.RunningInstance running, String error) {
        public InstanceOutcome outcome(String id, ReleaseSpec release) {
            return running != null
                    // health-monitor runs the release's smoke checks on it before it takes traffic
                    ? new InstanceOutcome(id, running.address(), release.version(), true, null, null, null,
                            release.smokeChecks())
                    : new InstanceOutcome(id, null, release.version(), false, error);
        }

        /** The instance as this start leaves it: STARTING at weight 0 at its new address, or FAILED. */
        public void applyTo(InstanceEntity instance) {
            instance.updatedAt = Instant.now();
            if (running != null) {
                instance.address = running.address();
                instance.pid = running.pid();
                instance.state = InstanceState.STARTING;
                instance.lastError = null;
            } else {
                instance.address = null;
                instance.pid = null;
                instance.state = InstanceState.FAILED;
                instance.lastError = error;
            }
            instance.weight = 0;
        }
    }

    public boolean isRunning(String instanceId) {
        return driver.isRunning(instanceId);
    }

    /** Starts every instance at once; a failure is an answer, not an exception. */
    public Uni<Map<String, Started>> startAll(List<String> ids, Function<String, ReleaseSpec> release,
            String environment) {
        if (ids.isEmpty()) {
            return Uni.createFrom().item(Map.of());
        }
        List<Uni<Map.Entry<String, Started>>> starts = ids.stream().map(id -> vertx.executeBlocking(() -> {
            try {
                return Map.entry(id, new Started(driver.start(id, environment, release.apply(id)), null));
            } catch (DriverException e) {
                return Map.entry(id, new Started(null, e.getMessage()));
            }
        }, false)).toList();
        // Every start settles before a failure is reported, so that a caller's clean-up finds them all.
        return Uni.join().all(starts).andCollectFailures()
                .map(entries -> entries.stream().collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue)));
    }

    /** Stops every instance at once: each may take its grace period to finish what it was doing. */
    public Uni<Void> stopAll(Collection<String> ids) {
        if (ids.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        return Uni.join().all(ids.stream().map(id -> vertx.executeBlocking(() -> {
            driver.stop(id);
            return id;
        }, false)).toList()).andCollectFailures().replaceWithVoid();
    }
}
