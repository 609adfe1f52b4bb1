package dev.stagecraft.inventory.domain;

import java.util.List;
import java.util.TreeSet;

import dev.stagecraft.inventory.persistence.FleetEntity;
import dev.stagecraft.inventory.persistence.InstanceEntity;
import dev.stagecraft.platform.coordination.LeaderLease.Turn;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.vertx.VertxContextSupport;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.interceptor.Interceptor;
import org.jboss.logging.Logger;

/**
 * What the replica that leads does when it starts leading: {@link InstanceRecovery} (instances no host runs are
 * started again, survivors taken over) then {@link RouterStartup} (every fleet's router opened or taken over, the
 * stored weights given again, instances without a row taken out of it). At start-up, before the step-requests channel
 * starts, when this replica is the first (or the only one left); later, when it takes the lead from a leader that
 * died ({@link FleetReconciler}), since that one may have died in the middle of its work.
 *
 * <p>Both read every row and act on the router tables, so the take-over holds every fleet ({@link FleetLocks}): no
 * step of another replica is half done (processes started, rows not written yet) while it decides what the rows mean.
 * A replica that starts while another leads does none of this: the leader's fleets are in order, and this replica
 * reads the routers' state from the agents' reports when a step first needs it.
 */
@ApplicationScoped
public class LeaderTakeover {
    private static final Logger LOG = Logger.getLogger(LeaderTakeover.class);

    private final ReplicaLeadership leadership;
    private final InstanceRecovery recovery;
    private final RouterStartup routers;
    private final FleetLocks locks;
    private final OrphanSweep orphans;

    public LeaderTakeover(ReplicaLeadership leadership, InstanceRecovery recovery, RouterStartup routers,
            FleetLocks locks, OrphanSweep orphans) {
        this.orphans = orphans;
        this.leadership = leadership;
        this.recovery = recovery;
        this.routers = routers;
        this.locks = locks;
    }

    /**
     * After Flyway (which runs before StartupEvent), and before the step-requests channel starts (reactive messaging
     * starts its channels at LIBRARY_BEFORE): a step must not race the take-over, and the service is not ready until
     * its fleets run again.
     */
    void onStart(@Observes @Priority(Interceptor.Priority.LIBRARY_BEFORE - 2) StartupEvent event) throws Throwable {
        if (leadership.takeNow() == Turn.FOLLOWS) {
            LOG.info("another replica of inventory-service leads: it keeps the fleets; this one serves the API and"
                    + " steps");
            return;
        }
        VertxContextSupport.subscribeAndAwait(this::run);
    }

    /**
     * Holding every fleet: recovery, then the routers; then, fleet by fleet, the orphans the replica that died may
     * have left ({@link OrphanSweep}, which takes each fleet itself).
     */
    Uni<Void> run() {
        return fleets().chain(all -> locks.holdingAll(all, () -> recovery.recoverAndLog()
                .chain(() -> routers.openAll())))
                .call(() -> orphans.sweep());
    }

    /** Every fleet, by its row or by its instances' rows (sorted: the locks are always taken in this order). */
    private static Uni<List<List<String>>> fleets() {
        return Panache.withSession(() -> FleetEntity.<FleetEntity>listAll().chain(fleets -> InstanceEntity
                .<InstanceEntity>listAll().map(instances -> {
                    TreeSet<List<String>> keys = new TreeSet<>((a, b) -> (a.get(0) + "/" + a.get(1))
                            .compareTo(b.get(0) + "/" + b.get(1)));
                    fleets.forEach(f -> keys.add(List.of(f.service, f.environment)));
                    instances.forEach(i -> keys.add(List.of(i.service, i.environment)));
                    return List.copyOf(keys);
                })));
    }
}
