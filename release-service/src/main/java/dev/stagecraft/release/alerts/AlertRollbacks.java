package dev.stagecraft.release.alerts;

import java.util.LinkedHashMap;
import java.util.Map;

import dev.stagecraft.release.bake.BakeRollbacks;
import dev.stagecraft.release.domain.DeploymentSlots;
import dev.stagecraft.release.domain.DeploymentStatus;
import dev.stagecraft.release.persistence.DeploymentEntity;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * A firing alert for a service and environment whose deployment is BAKING rolls that deployment back
 * ({@link BakeRollbacks}), naming the alert. One transaction per alert, with the environment locked, so an alert that
 * arrives twice (Alertmanager repeats) acts once: the second finds nothing baking.
 */
@ApplicationScoped
public class AlertRollbacks {
    public record Outcome(String alert, String service, String environment, String action, String deploymentId,
            String rollbackDeploymentId, String reason) {
    }

    static final String ROLLED_BACK = "rolled-back";
    static final String IGNORED = "ignored";
    static final String FAILED = "failed";

    private final BakeRollbacks rollbacks;
    private final MeterRegistry metrics;

    public AlertRollbacks(BakeRollbacks rollbacks, MeterRegistry metrics) {
        this.rollbacks = rollbacks;
        this.metrics = metrics;
    }

    public Uni<Outcome> onFiring(FiringAlert alert, String receiver) {
        return Panache.withTransaction(() -> DeploymentSlots.lock(alert.environment()).chain(env -> env == null
                ? ignored(alert, "no environment " + alert.environment())
                : DeploymentEntity.<DeploymentEntity>find("service = ?1 and environment = ?2 and status = ?3",
                        alert.service(), alert.environment(), DeploymentStatus.BAKING).firstResult()
                        .chain(baking -> baking == null
                                ? ignored(alert, "no deployment of " + alert.service() + " is baking in "
                                        + alert.environment())
                                : rollBack(baking, alert, receiver))))
                .invoke(outcome -> metrics.counter("stagecraft_alerts_received_total", "environment",
                        alert.environment(), "action", outcome.action()).increment());
    }

    private Uni<Outcome> rollBack(DeploymentEntity baking, FiringAlert alert, String receiver) {
        String why = alert.describe() + " during the bake, from receiver " + receiver;
        return rollbacks.rollBack(baking, why, "alertmanager:" + receiver, details(alert))
                .map(started -> new Outcome(alert.name(), alert.service(), alert.environment(),
                        started.rollbackDeploymentId() == null ? FAILED : ROLLED_BACK, baking.id,
                        started.rollbackDeploymentId(), started.message()));
    }

    private static Uni<Outcome> ignored(FiringAlert alert, String reason) {
        return Uni.createFrom().item(new Outcome(alert.name(), alert.service(), alert.environment(), IGNORED, null,
                null, reason));
    }

    private static Map<String, Object> details(FiringAlert alert) {
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("alert", alert.name());
        details.put("summary", alert.summary());
        details.put("startsAt", alert.startsAt() == null ? null : alert.startsAt().toString());
        details.put("fingerprint", alert.fingerprint());
        return details;
    }
}
