package dev.stagecraft.inventory.domain;

import dev.stagecraft.platform.coordination.AdvisoryLocks;
import dev.stagecraft.platform.coordination.LeaderLease;
import dev.stagecraft.platform.coordination.LeaderLease.Turn;
import io.quarkus.runtime.ShutdownEvent;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

/**
 * Which replica of inventory-service does the work that must happen once at a time: the take-over after a start
 * ({@link LeaderTakeover}) and the reconciler's passes ({@link FleetReconciler}). The others serve the API and the
 * saga's steps. One {@link LeaderLease} (advisory lock {@code leader:inventory-service}): a leader killed with SIGKILL
 * lets it go with its database connection, and the next replica to ask leads.
 */
@ApplicationScoped
public class ReplicaLeadership {
    private final LeaderLease lease;
    private final Vertx vertx;

    public ReplicaLeadership(AdvisoryLocks locks, Vertx vertx) {
        this.lease = new LeaderLease(locks, "inventory-service");
        this.vertx = vertx;
    }

    /** Leads, or takes the lead if it is free; on a worker thread (one short query). */
    public Uni<Turn> take() {
        return vertx.executeBlocking(lease::take, false);
    }

    /** Blocking, for the start-up, which runs before any event loop work. */
    Turn takeNow() {
        return lease.take();
    }

    void resign(@Observes ShutdownEvent event) {
        lease.resign();
    }
}
