package dev.stagecraft.release.domain;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.stagecraft.platform.api.ApiProblem;
import dev.stagecraft.platform.api.Problem;
import dev.stagecraft.platform.security.Grants;
import dev.stagecraft.release.api.DeploymentView;
import dev.stagecraft.release.api.UndoBody;
import dev.stagecraft.release.persistence.DeploymentEntity;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Undo of a fleet: a new deployment of the last stable release, through the same request path (and so the
 * same gates, audit and saga) as any deployment. "Last stable" is the version of the newest SUCCEEDED
 * deployment before the current one, where the current one is the newest SUCCEEDED deployment (a later
 * rolled-back deployment left that one running). Fast by default: rolling, half the fleet at a time.
 *
 * <p>While a deployment of the fleet still runs (IN_PROGRESS or PAUSED), the last stable release is what runs
 * beside or under it, so undo is that deployment's rollback: a blue/green deployment keeping blue (within its
 * {@code scaleDownDelay}) switches the router back to blue in one step, a canary takes its weight to 0, a rolling
 * one restores its batches. Naming {@code toVersion} always asks for a new deployment.
 *
 * <p>Break-glass ({@code override} with a {@code reason}, admins only): the new deployment passes a closed deploy
 * window or a freeze and the approval gate (it goes back to a release that passed them here before), and only to a
 * version that SUCCEEDED in this environment before. Promotion, migrations and concurrency still apply. The reason
 * goes to the gates, the first timeline line and the audit entry.
 */
@ApplicationScoped
public class FleetUndo {
    /** Half the fleet per batch: quick, and never the whole fleet out of service at once. */
    public static final String UNDO_BATCH = "50%";

    /** How an undo was done: a new deployment of the last stable release, or the rollback of a running one. */
    public enum Mode {
        REDEPLOY, ROLLBACK
    }

    /** The deployment that carries the undo out, and how. */
    public record Undone(DeploymentView deployment, Mode mode) {
    }

    private final GuardedActions actions;
    private final Deployments deployments;
    private final AuditLog audit;
    private final ObjectMapper json;

    public FleetUndo(GuardedActions actions, Deployments deployments, AuditLog audit, ObjectMapper json) {
        this.actions = actions;
        this.deployments = deployments;
        this.audit = audit;
        this.json = json;
    }

    public Uni<Undone> undo(Grants who, String service, String environment, UndoBody request) {
        String toVersion = request == null ? null : request.toVersion();
        boolean override = request != null && request.override();
        // Checked before anything is looked up: a refused break-glass learns nothing and changes nothing.
        String reason = override ? BreakGlass.checkUndo(who.isAdmin(), who.name(), request.reason())
                : request == null ? null : request.reason();
        Uni<DeploymentEntity> running = toVersion != null ? Uni.createFrom().nullItem() : running(service, environment);
        return running.chain(current -> current != null
                ? rollBack(who, current, reason, override)
                : redeploy(who, service, environment, toVersion, reason, override));
    }

    private Uni<Undone> redeploy(Grants who, String service, String environment, String toVersion, String reason,
            boolean override) {
        Uni<String> target = toVersion == null ? lastStable(service, environment)
                : override ? succeededHere(service, environment, toVersion) : Uni.createFrom().item(toVersion);
        return target.chain(version -> actions.requestDeployment(who, body(service, version, environment,
                override ? reason : null), override)
                .call(view -> Panache.withTransaction(() -> audit.record(who.name(), "fleet.undo", "deployment",
                        view.id(), details(service, environment, version, reason, Mode.REDEPLOY, override),
                        override ? reason : null)))
                .map(view -> new Undone(view, Mode.REDEPLOY)));
    }

    /** A rollback passes no gate, so an override changes nothing but the audit entry, which says it was asked. */
    private Uni<Undone> rollBack(Grants who, DeploymentEntity current, String reason, boolean override) {
        String why = "undo" + (reason == null || reason.isBlank() ? "" : ": " + reason);
        return deployments.stop(current.id, true, why, who.name())
                .call(view -> Panache.withTransaction(() -> audit.record(who.name(), "fleet.undo", "deployment",
                        view.id(), details(current.service, current.environment, current.version, reason,
                                Mode.ROLLBACK, override), override ? reason : null)))
                .map(view -> new Undone(view, Mode.ROLLBACK));
    }

    /**
     * A break-glass undo goes back, never forward: {@code toVersion} must have SUCCEEDED in this environment before,
     * or the override would be a way to deploy any release through a freeze without an approval.
     */
    @WithSession
    Uni<String> succeededHere(String service, String environment, String version) {
        return DeploymentEntity.count("service = ?1 and environment = ?2 and version = ?3 and status = ?4", service,
                environment, version, DeploymentStatus.SUCCEEDED).map(count -> {
                    if (count == 0) {
                        throw ApiProblem.conflict("a break-glass undo goes back to a version that ran here",
                                List.of(new Problem.Violation("toVersion", service + " " + version + " never SUCCEEDED"
                                        + " in " + environment + "; a break-glass undo only goes back to a version"
                                        + " that did (deploy others with POST /api/v1/deployments)")));
                    }
                    return version;
                });
    }

    /** The newest deployment of the fleet that still runs, or null. */
    @WithSession
    Uni<DeploymentEntity> running(String service, String environment) {
        return DeploymentEntity.<DeploymentEntity>find("service = ?1 and environment = ?2 and status in ?3"
                + " order by createdAt desc", service, environment,
                List.of(DeploymentStatus.IN_PROGRESS, DeploymentStatus.PAUSED)).firstResult();
    }

    @WithSession
    Uni<String> lastStable(String service, String environment) {
        return DeploymentEntity.<DeploymentEntity>list(
                "service = ?1 and environment = ?2 and status = ?3 order by createdAt desc", service, environment,
                DeploymentStatus.SUCCEEDED).map(succeeded -> before(succeeded, service, environment));
    }

    static String before(List<DeploymentEntity> succeededNewestFirst, String service, String environment) {
        if (!succeededNewestFirst.isEmpty()) {
            String current = succeededNewestFirst.get(0).version;
            for (DeploymentEntity d : succeededNewestFirst) {
                if (!d.version.equals(current)) {
                    return d.version;
                }
            }
        }
        throw ApiProblem.conflict("nothing to undo", List.of(new Problem.Violation("toVersion", "no earlier successful"
                + " deployment of " + service + " in " + environment + " to go back to; name one with toVersion")));
    }

    private String body(String service, String version, String environment, String overrideReason) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("service", service);
        body.put("version", version);
        body.put("environment", environment);
        body.put("strategy", Map.of("type", "rolling", "maxUnavailable", UNDO_BATCH));
        if (overrideReason != null) {
            body.put("override", Map.of("reason", overrideReason));
        }
        try {
            return json.writeValueAsString(body);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Map<String, Object> details(String service, String environment, String version, String reason,
            Mode mode, boolean override) {
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("service", service);
        details.put("environment", environment);
        details.put("mode", mode.name().toLowerCase(java.util.Locale.ROOT));
        details.put("override", override);
        if (mode == Mode.ROLLBACK) {
            details.put("rolledBackVersion", version);
        } else {
            details.put("toVersion", version);
        }
        if (reason != null) {
            details.put("reason", reason);
        }
        return details;
    }
}
