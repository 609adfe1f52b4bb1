package dev.stagecraft.inventory.domain;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

import dev.stagecraft.inventory.driver.InstanceDriver;
import dev.stagecraft.inventory.driver.InstanceDriver.HostedInstance;
import dev.stagecraft.router.FleetKey;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

/**
 * Stops orphans: instances the hosts run for a fleet with no row here ({@link OrphanInstances}). A step that starts
 * instances (provision; a scale) writes their rows with its result; a replica killed in between leaves them running
 * under their agents, and the step, redone elsewhere, starts new ones. Nothing else would ever stop those.
 *
 * <p>Safe only under the fleet's lock, taken in this order: the fleet is held ({@link FleetLocks#tryHold}, which then
 * reads the hosts' reports up to now), then the reports and the rows are read, then compared. Held, the fleet has no
 * step in flight anywhere (every step holds it from its start until its rows are written), so every instance a step
 * started has its row by then, and no report read after the lock can show an instance whose row is still to come. A
 * fleet that cannot be taken is left alone until the next pass. Rows read before the lock only choose which fleets are
 * worth taking.
 *
 * <p>Run by the replica that leads: each reconciler pass ({@link FleetReconciler}) and after a take-over
 * ({@link LeaderTakeover}). Each instance stopped is logged and counted in
 * {@code stagecraft_orphan_instances_stopped_total{service,environment}}.
 */
@ApplicationScoped
public class OrphanSweep {
    private static final Logger LOG = Logger.getLogger(OrphanSweep.class);
    static final String METRIC = "stagecraft.orphan.instances.stopped";

    private final InstanceDriver driver;
    private final InstanceProcesses processes;
    private final FleetTraffic traffic;
    private final FleetLocks locks;
    private final MeterRegistry registry;

    public OrphanSweep(InstanceDriver driver, InstanceProcesses processes, FleetTraffic traffic, FleetLocks locks,
            MeterRegistry registry) {
        this.driver = driver;
        this.processes = processes;
        this.traffic = traffic;
        this.locks = locks;
        this.registry = registry;
    }

    /**
     * One sweep over every fleet the hosts report orphans of; answers how many instances it stopped. Never fails: what
     * it could not do is logged and tried again at the next pass.
     */
    public Uni<Integer> sweep() {
        List<HostedInstance> seen = driver.hostedInstances();
        if (seen.stream().noneMatch(HostedInstance::namesFleet)) {
            return Uni.createFrom().item(0);
        }
        // every fleet the hosts run has its series from 0, so that a first increase() sees the first orphan
        seen.stream().filter(HostedInstance::namesFleet).map(i -> new FleetKey(i.service(), i.environment()))
                .distinct().forEach(this::counter);
        return idsWithRow().chain(withRow -> {
            Uni<Integer> stopped = Uni.createFrom().item(0);
            for (FleetKey fleet : OrphanInstances.fleetsToSweep(seen, withRow)) {
                stopped = stopped.chain(n -> sweep(fleet).map(m -> n + m));
            }
            return stopped;
        }).onFailure().invoke(e -> LOG.warnf("orphan sweep: %s; trying again at the next pass", e.getMessage()))
                .onFailure().recoverWithItem(0);
    }

    /** One fleet, if it can be taken now. */
    Uni<Integer> sweep(FleetKey fleet) {
        return locks.tryHold(fleet.service(), fleet.environment()).chain(held -> held
                ? sweepHeld(fleet).eventually(() -> locks.release(fleet.service(), fleet.environment()))
                // a step of this fleet is in flight somewhere: its instances may not have their rows yet
                : Uni.createFrom().item(0))
                .onFailure().invoke(e -> LOG.warnf("orphan sweep of %s: %s; trying again at the next pass", fleet,
                        e.getMessage()))
                .onFailure().recoverWithItem(0);
    }

    /** Holding the fleet, whose reports were read up to the moment it was taken. */
    private Uni<Integer> sweepHeld(FleetKey fleet) {
        List<HostedInstance> seen = driver.hostedInstances();
        return idsWithRow().chain(withRow -> {
            List<HostedInstance> orphans = OrphanInstances.of(seen, Set.of(fleet), withRow);
            if (orphans.isEmpty()) {
                return Uni.createFrom().item(0);
            }
            List<String> ids = orphans.stream().map(HostedInstance::instanceId).toList();
            orphans.forEach(o -> LOG.warnf("instance %s of %s runs on host %s (%s) with no row: left by a step cut"
                    + " short; stopping it", o.instanceId(), fleet, o.hostId(), o.state()));
            // out of the router first (a provision step cut short may have added it at weight 0), as a step's undo does
            return traffic.forget(fleet.service(), fleet.environment(), ids)
                    .onFailure().invoke(e -> LOG.warnf("orphans %s of %s not taken out of the router: %s", ids, fleet,
                            e.getMessage()))
                    .onFailure().recoverWithNull()
                    .chain(() -> processes.stopAll(ids))
                    .invoke(() -> {
                        counter(fleet).increment(ids.size());
                        LOG.infof("stopped %d orphan instance(s) of %s: %s", ids.size(), fleet, ids);
                    })
                    .replaceWith(ids.size());
        });
    }

    private Counter counter(FleetKey fleet) {
        return Counter.builder(METRIC)
                .description("Instances stopped because a host ran them for a fleet without a row for them"
                        + " (left by a step cut short)")
                .tag("service", fleet.service()).tag("environment", fleet.environment()).register(registry);
    }

    /** The id of every instance row, read now, in a session of its own. */
    private static Uni<Set<String>> idsWithRow() {
        return Panache.withSession(() -> Panache.getSession().chain(session -> session
                .createQuery("select i.id from InstanceEntity i", String.class).getResultList()))
                .map(HashSet::new);
    }
}
