package dev.stagecraft.inventory.domain;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Collectors;

import dev.stagecraft.contracts.ReleaseSpec;
import dev.stagecraft.contracts.StepRequest;
import dev.stagecraft.inventory.domain.InstanceProcesses.Started;
import dev.stagecraft.inventory.driver.InstanceDriver;
import dev.stagecraft.inventory.persistence.FleetEntity;
import dev.stagecraft.inventory.persistence.InstanceEntity;
import dev.stagecraft.inventory.persistence.InstanceRows;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

/**
 * Makes a fleet in service have its {@code replicas} (a live scale): new instances run the release most of the fleet
 * runs, join the stable pool, and get traffic (the weight their peers have, read back from the router) only once
 * they answer {@code /health/ready}; instances to remove are drained first (weight 0, read back, requests in flight
 * finished), then stopped and deleted. Which ones go: any not in service first, then those on the hosts that run the
 * most, then by id. A fleet with no instance yet is left to its first deployment, which provisions it.
 * Runs in the caller's transaction, which then announces the fleet ({@link FleetEvents}); the caller holds the fleet
 * ({@link FleetLocks}) and has checked that no deployment runs on it.
 */
@ApplicationScoped
public class FleetScaler {
    private static final Logger LOG = Logger.getLogger(FleetScaler.class);

    private final InstanceProcesses processes;
    private final FleetTraffic traffic;
    private final InstanceReadiness readiness;
    private final InstanceDriver driver;

    public FleetScaler(InstanceProcesses processes, FleetTraffic traffic, InstanceReadiness readiness,
            InstanceDriver driver) {
        this.processes = processes;
        this.traffic = traffic;
        this.readiness = readiness;
        this.driver = driver;
    }

    /** What a scale did: instances started and removed, and what went wrong (by instance id). */
    public record Outcome(List<String> started, List<String> removed, Map<String, String> problems) {
        public static Outcome nothing() {
            return new Outcome(List.of(), List.of(), Map.of());
        }
    }

    public Uni<Outcome> scale(FleetEntity fleet) {
        return InstanceEntity.ofFleet(fleet.service, fleet.environment).chain(all -> {
            List<InstanceEntity> alive = all.stream().filter(i -> i.state != InstanceState.FAILED).toList();
            if (alive.isEmpty() || alive.size() == fleet.replicas) {
                return Uni.createFrom().item(Outcome.nothing());
            }
            return alive.size() < fleet.replicas ? grow(fleet, alive, fleet.replicas - alive.size())
                    : shrink(alive, alive.size() - fleet.replicas);
        });
    }

    private Uni<Outcome> grow(FleetEntity fleet, List<InstanceEntity> alive, int count) {
        List<InstanceEntity> inService = alive.stream().filter(i -> i.state == InstanceState.IN_SERVICE).toList();
        List<InstanceEntity> peers = inService.isEmpty() ? alive : inService;
        ReleaseSpec release = mostRun(peers);
        int weight = peers.stream().mapToInt(i -> i.weight).max().orElse(StepExecutor.FULL_WEIGHT);
        int joinWeight = weight > 0 ? weight : StepExecutor.FULL_WEIGHT;
        String pool = peers.stream().map(i -> i.pool).filter(StepRequest.STABLE::equals).findAny()
                .orElse(peers.get(0).pool);
        List<String> ids = new ArrayList<>();
        for (int n = 0; n < count; n++) {
            ids.add("i-" + UUID.randomUUID().toString().substring(0, 8));
        }
        return processes.startAll(ids, id -> release, fleet.environment).chain(started -> {
            Map<String, String> problems = new java.util.TreeMap<>();
            Map<String, String> addresses = new java.util.TreeMap<>();
            started.forEach((id, s) -> {
                if (s.running() != null) {
                    addresses.put(id, s.running().address());
                } else {
                    problems.put(id, "did not start: " + s.error());
                }
            });
            return readiness.awaitReady(addresses).chain(notReady -> {
                notReady.forEach((id, why) -> problems.put(id, why));
                List<InstanceEntity> ready = new ArrayList<>();
                for (String id : addresses.keySet()) {
                    if (notReady.containsKey(id)) {
                        continue;
                    }
                    InstanceEntity instance = row(fleet, id, pool, release, started.get(id));
                    ready.add(instance);
                }
                return InstanceRows.persistAll(ready).chain(Panache::flush).chain(() -> traffic.setWeight(ready, joinWeight))
                        .chain(unconfirmed -> {
                            unconfirmed.forEach((id, why) -> problems.put(id, "not routed: " + why));
                            List<InstanceEntity> kept = ready.stream().filter(i -> !unconfirmed.containsKey(i.id))
                                    .toList();
                            kept.forEach(i -> {
                                i.state = InstanceState.IN_SERVICE;
                                i.weight = joinWeight;
                            });
                            java.util.Set<String> keptIds = kept.stream().map(i -> i.id)
                                    .collect(java.util.stream.Collectors.toSet());
                            List<String> dropped = ids.stream().filter(id -> !keptIds.contains(id)).toList();
                            LOG.infof("scaled %s in %s up by %d of %d: %s", fleet.service, fleet.environment,
                                    kept.size(), count, problems.isEmpty() ? "all in service" : problems);
                            // A new instance that cannot serve leaves no process, no route and no row behind.
                            return traffic.forget(fleet.service, fleet.environment, dropped)
                                    .chain(() -> processes.stopAll(dropped))
                                    .chain(() -> dropped.isEmpty() ? Uni.createFrom().item(0L)
                                            : InstanceRows.deleteAll(dropped))
                                    .map(x -> new Outcome(kept.stream().map(i -> i.id).toList(), List.of(), problems));
                        });
            });
        });
    }

    private Uni<Outcome> shrink(List<InstanceEntity> alive, int count) {
        List<InstanceEntity> victims = victims(alive, count);
        return traffic.setWeight(victims, 0).chain(notDrained -> {
            List<InstanceEntity> drained = victims.stream().filter(i -> !notDrained.containsKey(i.id)).toList();
            drained.forEach(i -> {
                i.state = InstanceState.OUT_OF_SERVICE;
                i.weight = 0;
                i.updatedAt = Instant.now();
            });
            List<String> ids = drained.stream().map(i -> i.id).toList();
            Map<String, String> problems = new java.util.TreeMap<>();
            notDrained.forEach((id, why) -> problems.put(id, "not drained, left running: " + why));
            return traffic.awaitIdle(drained).chain(() -> processes.stopAll(ids)).chain(() -> traffic.forget(drained))
                    .chain(() -> ids.isEmpty() ? Uni.createFrom().item(0L) : InstanceEntity.delete("id in ?1", ids))
                    .invoke(() -> LOG.infof("scaled down by %d: removed %s%s", ids.size(), ids,
                            problems.isEmpty() ? "" : "; " + problems))
                    .map(x -> new Outcome(List.of(), ids, problems));
        });
    }

    /**
     * One at a time, so that the fleet stays spread: one not in service if any, else one of the host that runs the
     * most now (ties: the highest id).
     */
    private List<InstanceEntity> victims(List<InstanceEntity> alive, int count) {
        List<InstanceEntity> left = new ArrayList<>(alive);
        List<InstanceEntity> victims = new ArrayList<>();
        while (victims.size() < count) {
            Map<String, Long> perHost = left.stream().collect(Collectors.groupingBy(this::hostOf, Collectors.counting()));
            InstanceEntity next = left.stream().max(Comparator
                    .comparing((InstanceEntity i) -> i.state != InstanceState.IN_SERVICE)
                    .thenComparing(i -> perHost.get(hostOf(i)))
                    .thenComparing(i -> i.id)).orElseThrow();
            left.remove(next);
            victims.add(next);
        }
        return victims;
    }

    private String hostOf(InstanceEntity instance) {
        return driver.observation(instance.id).map(InstanceDriver.Observation::host)
                .orElse(instance.address == null ? "" : instance.address.substring(0, instance.address.lastIndexOf(':')));
    }

    /** The release most of these instances run; among equals, the one updated last. */
    private static ReleaseSpec mostRun(List<InstanceEntity> instances) {
        Map<String, List<InstanceEntity>> byRelease = instances.stream().collect(Collectors.groupingBy(i -> i.releaseSpec));
        return byRelease.values().stream().max(Comparator.<List<InstanceEntity>>comparingInt(List::size)
                .thenComparing(l -> l.stream().map(i -> i.updatedAt).max(Comparator.naturalOrder()).orElse(Instant.EPOCH)))
                .orElseThrow().get(0).release();
    }

    private static InstanceEntity row(FleetEntity fleet, String id, String pool, ReleaseSpec release, Started started) {
        InstanceEntity instance = new InstanceEntity();
        instance.id = id;
        instance.service = fleet.service;
        instance.environment = fleet.environment;
        instance.pool = pool;
        instance.runs(release);
        started.applyTo(instance);
        return instance;
    }
}
