package dev.stagecraft.inventory.domain;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Collectors;

import dev.stagecraft.contracts.EventTypes;
import dev.stagecraft.contracts.InstanceAssignment;
import dev.stagecraft.contracts.InstanceOutcome;
import dev.stagecraft.contracts.InstanceRef;
import dev.stagecraft.contracts.InstancesChanged;
import dev.stagecraft.contracts.ReleaseSpec;
import dev.stagecraft.contracts.StepRequest;
import dev.stagecraft.contracts.TargetsResolved;
import dev.stagecraft.contracts.Topics;
import dev.stagecraft.inventory.driver.DriverException;
import dev.stagecraft.inventory.driver.InstanceDriver;
import dev.stagecraft.inventory.persistence.FleetEntity;
import dev.stagecraft.inventory.persistence.InstanceEntity;
import dev.stagecraft.platform.outbox.Outbox;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Carries out the saga's step requests against the real world through the driver, and answers
 * each with what happened to every instance. Runs inside the consumer's transaction; the driver's
 * blocking work runs on worker threads, several instances at once.
 */
@ApplicationScoped
public class StepExecutor {
    public static final int FULL_WEIGHT = 100;

    private final InstanceDriver driver;
    private final Outbox outbox;
    private final Vertx vertx;

    public StepExecutor(InstanceDriver driver, Outbox outbox, Vertx vertx) {
        this.driver = driver;
        this.outbox = outbox;
        this.vertx = vertx;
    }

    public Uni<Void> resolve(StepRequest r) {
        return FleetEntity.find(r.service(), r.environment()).chain(fleet -> InstanceEntity
                .ofFleet(r.service(), r.environment())
                .chain(instances -> outbox.add(Topics.INSTANCES, r.deploymentId(), EventTypes.TARGETS_RESOLVED,
                        new TargetsResolved(r.deploymentId(), fleet != null, fleet == null ? 0 : fleet.replicas,
                                instances.stream().map(i -> new InstanceRef(i.id, i.address, i.state.name(),
                                        i.release())).toList()))));
    }

    public Uni<Void> provision(StepRequest r) {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < r.count(); i++) {
            ids.add("i-" + UUID.randomUUID().toString().substring(0, 8));
        }
        return startAll(ids, id -> r.release(), r.environment()).chain(results -> {
            List<InstanceOutcome> outcomes = new ArrayList<>();
            Uni<Void> writes = Uni.createFrom().voidItem();
            for (String id : ids) {
                Started started = results.get(id);
                outcomes.add(started.outcome(id, r.release()));
                if (started.running() != null) {
                    InstanceEntity instance = new InstanceEntity();
                    instance.id = id;
                    instance.service = r.service();
                    instance.environment = r.environment();
                    instance.pool = "stable";
                    instance.runs(r.release());
                    apply(instance, started);
                    writes = writes.chain(() -> instance.persist().replaceWithVoid());
                }
            }
            // Flushed here, not at commit, so that a row that cannot be stored fails this step while it can still
            // clean up after itself.
            return writes.chain(Panache::flush).chain(() -> answer(r, EventTypes.INSTANCES_PROVISIONED, outcomes));
        })
                // A failed attempt is retried with fresh ids (or dead-lettered): none of the processes it started
                // has a row, so none may keep running.
                .onFailure().call(() -> stopQuietly(ids));
    }

    /** Drains each instance of the batch, moves it to its assigned release, and leaves it out of service. */
    public Uni<Void> update(StepRequest r) {
        Map<String, ReleaseSpec> assigned = r.assignments().stream()
                .collect(Collectors.toMap(InstanceAssignment::instanceId, InstanceAssignment::release));
        return InstanceEntity.<InstanceEntity>list("id in ?1", assigned.keySet()).chain(found -> {
            Map<String, InstanceEntity> byId = found.stream().collect(Collectors.toMap(i -> i.id, i -> i));
            List<String> known = assigned.keySet().stream().filter(byId::containsKey).sorted().toList();
            known.forEach(id -> drain(byId.get(id)));
            return startAll(known, assigned::get, r.environment()).chain(results -> {
                List<InstanceOutcome> outcomes = new ArrayList<>();
                for (String id : assigned.keySet().stream().sorted().toList()) {
                    InstanceEntity instance = byId.get(id);
                    if (instance == null) {
                        outcomes.add(new InstanceOutcome(id, null, null, false, "no such instance"));
                        continue;
                    }
                    Started started = results.get(id);
                    if (started.running() != null) {
                        instance.runs(assigned.get(id));
                    }
                    apply(instance, started);
                    outcomes.add(started.outcome(id, assigned.get(id)));
                }
                return answer(r, EventTypes.INSTANCES_UPDATED, outcomes);
            });
        });
    }

    public Uni<Void> enable(StepRequest r) {
        return InstanceEntity.<InstanceEntity>list("id in ?1", r.instanceIds()).chain(found -> {
            List<InstanceOutcome> outcomes = new ArrayList<>();
            for (String id : r.instanceIds()) {
                InstanceEntity instance = found.stream().filter(i -> i.id.equals(id)).findFirst().orElse(null);
                if (instance == null || instance.state == InstanceState.FAILED || !driver.isRunning(id)) {
                    outcomes.add(new InstanceOutcome(id, instance == null ? null : instance.address,
                            instance == null ? null : instance.version, false,
                            instance == null ? "no such instance" : "instance has no running process"));
                    continue;
                }
                instance.state = InstanceState.IN_SERVICE;
                instance.weight = FULL_WEIGHT;
                instance.updatedAt = Instant.now();
                outcomes.add(new InstanceOutcome(id, instance.address, instance.version, true, null));
            }
            return answer(r, EventTypes.INSTANCES_ENABLED, outcomes);
        });
    }

    public Uni<Void> decommission(StepRequest r) {
        return InstanceEntity.<InstanceEntity>list("id in ?1", r.instanceIds()).chain(found -> vertx
                .executeBlocking(() -> {
                    found.forEach(i -> driver.stop(i.id));
                    return found;
                }, false)
                .chain(stopped -> InstanceEntity.delete("id in ?1", r.instanceIds()))
                .chain(() -> answer(r, EventTypes.INSTANCES_DECOMMISSIONED, found.stream()
                        .map(i -> new InstanceOutcome(i.id, i.address, i.version, true, null)).toList())));
    }

    private static void drain(InstanceEntity instance) {
        instance.state = InstanceState.OUT_OF_SERVICE;
        instance.weight = 0;
        instance.updatedAt = Instant.now();
    }

    private static void apply(InstanceEntity instance, Started started) {
        instance.updatedAt = Instant.now();
        if (started.running() != null) {
            instance.address = started.running().address();
            instance.pid = started.running().pid();
            instance.state = InstanceState.STARTING;
            instance.lastError = null;
        } else {
            instance.address = null;
            instance.pid = null;
            instance.state = InstanceState.FAILED;
            instance.lastError = started.error();
        }
        instance.weight = 0;
    }

    /** Starts every instance at once on worker threads; a failure is an answer, not an exception. */
    private Uni<Map<String, Started>> startAll(List<String> ids, Function<String, ReleaseSpec> release,
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

    private Uni<Void> stopQuietly(List<String> ids) {
        return vertx.executeBlocking(() -> {
            ids.forEach(driver::stop);
            return null;
        }, false).replaceWithVoid();
    }

    private Uni<Void> answer(StepRequest r, String type, List<InstanceOutcome> outcomes) {
        return outbox.add(Topics.INSTANCES, r.deploymentId(), type,
                new InstancesChanged(r.deploymentId(), r.step(), outcomes));
    }

    private record Started(InstanceDriver.RunningInstance running, String error) {
        InstanceOutcome outcome(String id, ReleaseSpec release) {
            return running != null
                    ? new InstanceOutcome(id, running.address(), release.version(), true, null)
                    : new InstanceOutcome(id, null, release.version(), false, error);
        }
    }
}
