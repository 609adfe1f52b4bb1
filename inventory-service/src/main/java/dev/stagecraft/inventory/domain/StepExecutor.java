package dev.stagecraft.inventory.domain;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Supplier;
import java.util.stream.Collectors;

import dev.stagecraft.contracts.EventTypes;
import dev.stagecraft.contracts.InstanceAssignment;
import dev.stagecraft.contracts.InstanceOutcome;
import dev.stagecraft.contracts.InstanceRef;
import dev.stagecraft.contracts.ReleaseSpec;
import dev.stagecraft.contracts.StepRequest;
import dev.stagecraft.contracts.TargetsResolved;
import dev.stagecraft.inventory.domain.InstanceProcesses.Started;
import dev.stagecraft.inventory.persistence.FleetEntity;
import dev.stagecraft.inventory.persistence.InstanceEntity;
import dev.stagecraft.router.Backend;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Carries out the saga's step requests against the real world through the driver and the router, and
 * answers each with what happened to every instance ({@link StepResult}). No transaction is open while it works:
 * rows are read in short sessions, the processes are started and the traffic drained, and only then are the rows
 * and the answer written, in the inbox's transaction ({@link StepRecords}). The driver's and router's blocking work
 * runs on worker threads, several instances at once. Resolving only reads, and answers in the inbox's transaction.
 *
 * <p>Traffic first: an instance is drained from the router (weight 0, read back, requests in flight
 * finished) before its process is stopped, and a step answers only once the router has confirmed the
 * weights it set. An instance whose weight the router did not confirm is left as it was, and its
 * outcome says why.
 */
@ApplicationScoped
public class StepExecutor {
    public static final int FULL_WEIGHT = Backend.MAX_WEIGHT;

    private final InstanceProcesses processes;
    private final FleetTraffic traffic;
    private final StepAnswers answers;

    public StepExecutor(InstanceProcesses processes, FleetTraffic traffic, StepAnswers answers) {
        this.processes = processes;
        this.traffic = traffic;
        this.answers = answers;
    }

    public Uni<Void> resolve(StepRequest r) {
        return FleetEntity.find(r.service(), r.environment()).chain(fleet -> InstanceEntity
                .ofFleet(r.service(), r.environment())
                .chain(instances -> {
                    // A fleet runs one or a few releases: each is read once, not once per instance (10,000 copies of
                    // one spec took more than inventory-service's heap).
                    Map<String, ReleaseSpec> releases = new java.util.HashMap<>();
                    return answers.answer(r, EventTypes.TARGETS_RESOLVED,
                            new TargetsResolved(r.deploymentId(), fleet != null, fleet == null ? 0 : fleet.replicas,
                                    instances.stream().map(i -> new InstanceRef(i.id, i.address, i.state.name(),
                                            releases.computeIfAbsent(i.releaseSpec, json -> i.release()), i.pool))
                                            .toList()));
                }));
    }

    /** New instances join the router at weight 0: probed at their own address, given traffic only once enabled. */
    public Uni<StepResult> provision(StepRequest r) {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < r.count(); i++) {
            ids.add("i-" + UUID.randomUUID().toString().substring(0, 8));
        }
        Supplier<Uni<Void>> stopThem = () -> traffic.forget(r.service(), r.environment(), ids)
                .chain(() -> processes.stopAll(ids));
        return processes.startAll(ids, id -> r.release(), r.environment()).chain(results -> {
            List<InstanceEntity> created = new ArrayList<>();
            for (String id : ids) {
                Started started = results.get(id);
                if (started.running() != null) {
                    InstanceEntity instance = new InstanceEntity();
                    instance.id = id;
                    instance.service = r.service();
                    instance.environment = r.environment();
                    instance.pool = r.pool() == null ? StepRequest.STABLE : r.pool();
                    instance.runs(r.release());
                    started.applyTo(instance);
                    created.add(instance);
                }
            }
            return traffic.setWeight(created, 0).map(unconfirmed -> StepResult.of(EventTypes.INSTANCES_PROVISIONED,
                    ids.stream().map(id -> unconfirmed.containsKey(id)
                            ? failed(id, results.get(id), r.release(), unconfirmed.get(id))
                            : results.get(id).outcome(id, r.release())).toList(), List.of())
                    .withCreated(created, stopThem));
        })
                // A failed attempt is retried with fresh ids (or dead-lettered): none of the processes it started
                // has a row, so none may keep running or stay in the router.
                .onFailure().call(() -> stopThem.get());
    }

    /** Drains each instance of the batch, moves it to its assigned release, and leaves it out of service. */
    public Uni<StepResult> update(StepRequest r) {
        Map<String, ReleaseSpec> assigned = r.assignments().stream()
                .collect(Collectors.toMap(InstanceAssignment::instanceId, InstanceAssignment::release));
        List<String> requested = assigned.keySet().stream().sorted().toList();
        return rows(assigned.keySet()).chain(found -> {
            Map<String, InstanceEntity> byId = found.stream().collect(Collectors.toMap(i -> i.id, i -> i));
            List<InstanceEntity> known = requested.stream().filter(byId::containsKey).map(byId::get).toList();
            return drain(known).chain(notDrained -> {
                List<InstanceEntity> drained = known.stream().filter(i -> !notDrained.containsKey(i.id)).toList();
                return processes.startAll(ids(drained), assigned::get, r.environment()).chain(results -> {
                    drained.forEach(i -> {
                        if (results.get(i.id).running() != null) {
                            i.runs(assigned.get(i.id));
                        }
                        results.get(i.id).applyTo(i);
                    });
                    List<InstanceEntity> failed = drained.stream().filter(i -> i.state == InstanceState.FAILED)
                            .toList();
                    List<InstanceEntity> running = drained.stream().filter(i -> i.state != InstanceState.FAILED)
                            .toList();
                    // The new process joins at weight 0, like a provisioned one; a failed one leaves the router.
                    return traffic.forget(failed).chain(() -> traffic.setWeight(running, 0)).map(unconfirmed -> {
                        List<InstanceOutcome> outcomes = new ArrayList<>();
                        for (String id : requested) {
                            InstanceEntity instance = byId.get(id);
                            if (instance == null) {
                                outcomes.add(new InstanceOutcome(id, null, null, false, "no such instance"));
                            } else if (notDrained.containsKey(id)) {
                                outcomes.add(new InstanceOutcome(id, instance.address, instance.version, false,
                                        "not drained, left running as it was: " + notDrained.get(id)));
                            } else if (unconfirmed.containsKey(id)) {
                                outcomes.add(failed(id, results.get(id), assigned.get(id), unconfirmed.get(id)));
                            } else {
                                outcomes.add(results.get(id).outcome(id, assigned.get(id)));
                            }
                        }
                        return StepResult.of(EventTypes.INSTANCES_UPDATED, outcomes, drained);
                    });
                });
            });
        });
    }

    /**
     * Puts instances in service at full weight (instances of a pool share equally) once the router confirms it;
     * a request naming a pool also moves them into it (a promoted canary or green pool becomes the stable one).
     */
    public Uni<StepResult> enable(StepRequest r) {
        return rows(r.instanceIds()).chain(found -> {
            Map<String, InstanceEntity> byId = found.stream().collect(Collectors.toMap(i -> i.id, i -> i));
            List<InstanceEntity> enabling = r.instanceIds().stream().distinct().map(byId::get)
                    .filter(i -> i != null && i.state != InstanceState.FAILED && processes.isRunning(i.id)).toList();
            java.util.Set<String> enablingIds = enabling.stream().map(i -> i.id).collect(Collectors.toSet());
            return traffic.setWeight(enabling, FULL_WEIGHT).map(unconfirmed -> {
                List<InstanceOutcome> outcomes = new ArrayList<>();
                List<InstanceEntity> enabled = new ArrayList<>();
                for (String id : r.instanceIds()) {
                    InstanceEntity instance = byId.get(id);
                    if (instance == null || !enablingIds.contains(id)) {
                        outcomes.add(new InstanceOutcome(id, instance == null ? null : instance.address,
                                instance == null ? null : instance.version, false,
                                instance == null ? "no such instance" : "instance has no running process"));
                    } else if (unconfirmed.containsKey(id)) {
                        outcomes.add(new InstanceOutcome(id, instance.address, instance.version, false,
                                "not enabled: " + unconfirmed.get(id)));
                    } else {
                        instance.state = InstanceState.IN_SERVICE;
                        instance.weight = FULL_WEIGHT;
                        if (r.pool() != null) {
                            instance.pool = r.pool();
                        }
                        instance.updatedAt = Instant.now();
                        enabled.add(instance);
                        outcomes.add(new InstanceOutcome(id, instance.address, instance.version, true, null));
                    }
                }
                return StepResult.of(EventTypes.INSTANCES_ENABLED, outcomes, enabled);
            });
        });
    }

    /** Drains, stops and deletes each instance; one the router would not drain keeps running and its row. */
    public Uni<StepResult> decommission(StepRequest r) {
        return rows(r.instanceIds()).chain(found -> drain(found).chain(notDrained -> {
            List<InstanceEntity> drained = found.stream().filter(i -> !notDrained.containsKey(i.id)).toList();
            return processes.stopAll(ids(drained))
                    .chain(() -> traffic.forget(drained))
                    .map(ignored -> StepResult.of(EventTypes.INSTANCES_DECOMMISSIONED, found.stream()
                            .map(i -> new InstanceOutcome(i.id, i.address, i.version, !notDrained.containsKey(i.id),
                                    notDrained.containsKey(i.id) ? "not drained, left running: " + notDrained.get(i.id)
                                            : null))
                            .toList(), List.of()).withRemoved(ids(drained)));
        }));
    }

    /** The instances' rows as they are now, read in a short session of their own: no transaction spans the step. */
    static Uni<List<InstanceEntity>> rows(Collection<String> ids) {
        return Panache.withSession(() -> InstanceEntity.<InstanceEntity>list("id in ?1", ids));
    }

    /**
     * Weight 0, read back, then wait for the requests in flight: only then may a process stop. Answers the
     * instances whose weight the router did not confirm; the others are OUT_OF_SERVICE.
     */
    private Uni<Map<String, String>> drain(List<InstanceEntity> instances) {
        return traffic.setWeight(instances, 0).call(notDrained -> {
            List<InstanceEntity> drained = instances.stream().filter(i -> !notDrained.containsKey(i.id)).toList();
            drained.forEach(i -> {
                i.state = InstanceState.OUT_OF_SERVICE;
                i.weight = 0;
                i.updatedAt = Instant.now();
            });
            return traffic.awaitIdle(drained);
        });
    }

    private static List<String> ids(Collection<InstanceEntity> instances) {
        return instances.stream().map(i -> i.id).toList();
    }

    /** A started instance whose weight the router did not confirm: it runs, but the step did not succeed. */
    private static InstanceOutcome failed(String id, Started started, ReleaseSpec release, String why) {
        return new InstanceOutcome(id, started.running() == null ? null : started.running().address(),
                release.version(), false, why);
    }
}
