package dev.stagecraft.inventory.domain;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import dev.stagecraft.inventory.driver.InstanceDriver;
import dev.stagecraft.inventory.persistence.FleetEntity;
import dev.stagecraft.inventory.persistence.InstanceEntity;
import dev.stagecraft.inventory.persistence.InstanceKeys;
import dev.stagecraft.inventory.persistence.InstanceKeys.InstanceKey;
import dev.stagecraft.inventory.router.TrafficRouter;
import dev.stagecraft.platform.reactive.PeriodicReactiveTask;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * Level-triggered, as kubelet's and the controllers' loops are: every period it compares what the fleets should run
 * (their rows) with what the hosts report, and acts on the difference, so a lost report, a restart of this service
 * or a missed moment all end in the same place. What it fixes: an instance that no live host runs (its host stopped
 * heartbeating, or no host lists it any more) is started again, same id, state, pool and weight, on a live host
 * (placement spreads it), and the router sends its traffic to the new address. A fleet router that ran on a lost
 * host is started on a live one, same port, same table ({@link TrafficRouter#moveOffLostHosts}), for every fleet,
 * deployments or not: it is data plane, and a step that waits on a dead host's router would only time out. A
 * crash or failed liveness on a live host is the agent's to restart; this loop leaves those alone.
 *
 * <p>Only fleets in service are touched: no deployment runs on them ({@link FleetDeployments}; the saga owns the
 * instances while one does) and every instance not FAILED is IN_SERVICE. A fleet a live scale holds is skipped
 * ({@link FleetLocks}). A start that fails keeps the row as it was, with the reason as its lastError, and is tried
 * again at the next pass. The local-process driver never reports an instance lost, so this loop does nothing there.
 * Last, every pass stops the instances hosts run for a fleet that has no row for them ({@link OrphanSweep}).
 */
@ApplicationScoped
public class FleetReconciler {
    private static final Logger LOG = Logger.getLogger(FleetReconciler.class);

    private final InstanceDriver driver;
    private final InstanceRestarts restarts;
    private final FleetTraffic traffic;
    private final FleetDeployments deployments;
    private final FleetLocks locks;
    private final ReplicaLeadership leadership;
    private final jakarta.enterprise.inject.Instance<LeaderTakeover> takeover;
    private final OrphanSweep orphans;
    private final Vertx vertx;
    private final Duration period;
    private volatile PeriodicReactiveTask task;

    public FleetReconciler(InstanceDriver driver, InstanceRestarts restarts, FleetTraffic traffic,
            FleetDeployments deployments, FleetLocks locks, ReplicaLeadership leadership,
            jakarta.enterprise.inject.Instance<LeaderTakeover> takeover, OrphanSweep orphans, Vertx vertx,
            @ConfigProperty(name = "stagecraft.reconcile.period") Duration period) {
        this.orphans = orphans;
        this.driver = driver;
        this.restarts = restarts;
        this.traffic = traffic;
        this.deployments = deployments;
        this.locks = locks;
        this.leadership = leadership;
        this.takeover = takeover;
        this.vertx = vertx;
        this.period = period;
    }

    /** After the start-up take-over ({@link LeaderTakeover}), which observes StartupEvent earlier. */
    void start(@Observes StartupEvent event) {
        if (!period.isZero()) {
            task = PeriodicReactiveTask.start("fleet reconciler", vertx, period, this::pass);
        }
    }

    void stop(@Observes ShutdownEvent event) {
        if (task != null) {
            task.stop();
        }
    }

    /**
     * One pass over every fleet, in the replica that leads only ({@link ReplicaLeadership}); answers how many instances
     * it placed again. A replica that has just taken the lead from one that died first does what a start-up does
     * ({@link LeaderTakeover}): the old leader may have died in the middle of a pass.
     */
    Uni<Integer> pass() {
        return leadership.take().chain(turn -> switch (turn) {
            case FOLLOWS -> Uni.createFrom().item(0);
            case BECAME_LEADER -> takeover.get().run().chain(this::reconcile);
            case LEADS -> reconcile();
        });
    }

    private Uni<Integer> reconcile() {
        // One after the other: each reads rows in a reactive session, and two at once on one context would share it.
        // The routers first, so that instances placed again reach a router on a live host; orphans last.
        return moveRoutersOffLostHosts().chain(moved -> replaceLost()).call(placed -> orphans.sweep());
    }

    /** Every fleet's router on a lost host is moved, each fleet held while it is (a step may be changing its table). */
    private Uni<Integer> moveRoutersOffLostHosts() {
        return Panache.withSession(() -> FleetEntity.<FleetEntity>listAll().chain(fleets -> InstanceKeys.notFailed()
                .map(instances -> {
                    java.util.Set<List<String>> keys = new java.util.LinkedHashSet<>();
                    fleets.forEach(f -> keys.add(List.of(f.service, f.environment)));
                    instances.forEach(i -> keys.add(List.of(i.service(), i.environment())));
                    return List.copyOf(keys);
                }))).chain(keys -> {
                    Uni<Integer> moved = Uni.createFrom().item(0);
                    for (List<String> key : keys) {
                        moved = moved.chain(n -> locks.tryHold(key.get(0), key.get(1)).chain(held -> !held
                                ? Uni.createFrom().item(n)
                                : traffic.moveOffLostHost(key.get(0), key.get(1)).map(m -> m ? n + 1 : n)
                                        .eventually(() -> locks.release(key.get(0), key.get(1)))));
                    }
                    return moved;
                });
    }

    private Uni<Integer> replaceLost() {
        return Panache.withSession(InstanceKeys::notFailed).chain(rows -> {
                    Map<List<String>, List<InstanceKey>> byFleet = rows.stream().collect(Collectors.groupingBy(
                            i -> List.of(i.service(), i.environment())));
                    Uni<Integer> moved = Uni.createFrom().item(0);
                    for (Map.Entry<List<String>, List<InstanceKey>> fleet : byFleet.entrySet()) {
                        List<String> lost = fleet.getValue().stream().filter(i -> driver.isLost(i.id()))
                                .map(InstanceKey::id).toList();
                        boolean inService = fleet.getValue().stream()
                                .allMatch(i -> i.state() == InstanceState.IN_SERVICE);
                        if (lost.isEmpty() || !inService) {
                            continue;
                        }
                        String service = fleet.getKey().get(0);
                        String environment = fleet.getKey().get(1);
                        moved = moved.chain(n -> replace(service, environment, lost).map(m -> n + m));
                    }
                    return moved;
                });
    }

    private Uni<Integer> replace(String service, String environment, List<String> lost) {
        return locks.tryHold(service, environment).chain(held -> held
                ? replaceHeld(service, environment, lost).eventually(() -> locks.release(service, environment))
                : Uni.createFrom().item(0));
    }

    private Uni<Integer> replaceHeld(String service, String environment, List<String> lost) {
        return Panache.withTransaction(() -> deployments.running(service, environment).chain(running -> {
            if (running.isPresent()) {
                LOG.debugf("%s of %s in %s lost their host, left to deployment %s", lost, service, environment,
                        running.get());
                return Uni.createFrom().item(0);
            }
            return InstanceEntity.<InstanceEntity>list("id in ?1", lost).chain(instances -> instances.isEmpty()
                    ? Uni.createFrom().item(0) : Uni.join().all(instances.stream().map(i -> replace(i)).toList())
                    .andFailFast()
                    .chain(outcomes -> {
                        List<InstanceEntity> placed = instances.stream().filter(i -> !driver.isLost(i.id)).toList();
                        return restarts.route(placed).invoke(unconfirmed -> unconfirmed.forEach((id, why) ->
                                LOG.warnf("instance %s placed again does not have its weight in the router: %s", id,
                                        why)))
                                .map(x -> placed.size());
                    }));
        }));
    }

    private Uni<Void> replace(InstanceEntity instance) {
        String before = instance.address;
        String why = driver.observedProblem(instance.id).orElse("no host runs it");
        return restarts.startAgain(instance).invoke(attempt -> {
            if (attempt.running() != null) {
                LOG.infof("instance %s of %s in %s placed again at %s (was %s: %s)", instance.id, instance.service,
                        instance.environment, instance.address, before, why);
            } else {
                instance.lastError = "not placed again (" + why + "): " + attempt.error();
                instance.updatedAt = Instant.now();
                LOG.warnf("instance %s: %s; trying again in %s", instance.id, instance.lastError, period);
            }
        }).replaceWithVoid();
    }
}
