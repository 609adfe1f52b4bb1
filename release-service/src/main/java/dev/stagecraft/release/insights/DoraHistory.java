package dev.stagecraft.release.insights;

import java.time.Instant;
import java.util.List;

import dev.stagecraft.release.domain.DeploymentStatus;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Reads the ended deployments the DORA figures are made of, with their release's creation time, straight from the
 * deployments' durable history: nothing to lose on a restart.
 */
@ApplicationScoped
public class DoraHistory {
    private static final List<DeploymentStatus> CHANGES = List.of(DeploymentStatus.SUCCEEDED,
            DeploymentStatus.ROLLED_BACK, DeploymentStatus.FAILED);
    // A deployment rolled back after its rollout (alert, person) was known bad when its rollback deployment started.
    private static final String QUERY = "select d.service, d.environment, d.version, d.status, d.finishedAt, r.createdAt,"
            + " (select min(rb.createdAt) from DeploymentEntity rb where rb.rollbackOf = d.id)"
            + " from DeploymentEntity d, ReleaseEntity r where r.service = d.service and r.version = d.version"
            + " and d.status in (:statuses) and d.finishedAt is not null"
            + " and (:service is null or d.service = :service) and (:environment is null or d.environment = :environment)";

    /** Every ended deployment, or those of one service and/or environment (null: all). */
    public Uni<List<EndedDeployment>> load(String service, String environment) {
        return Panache.withSession(() -> Panache.getSession().chain(session -> session
                .createSelectionQuery(QUERY, Object[].class)
                .setParameter("statuses", CHANGES)
                .setParameter("service", service)
                .setParameter("environment", environment)
                .getResultList()))
                .map(rows -> rows.stream().map(DoraHistory::ended).toList());
    }

    private static EndedDeployment ended(Object[] row) {
        return new EndedDeployment((String) row[0], (String) row[1], (String) row[2], ((DeploymentStatus) row[3]).name(),
                (Instant) row[4], (Instant) row[5], (Instant) row[6]);
    }
}
