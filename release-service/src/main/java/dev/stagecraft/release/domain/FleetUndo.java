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
 */
@ApplicationScoped
public class FleetUndo {
    /** Half the fleet per batch: quick, and never the whole fleet out of service at once. */
    public static final String UNDO_BATCH = "50%";

    private final GuardedActions actions;
    private final AuditLog audit;
    private final ObjectMapper json;

    public FleetUndo(GuardedActions actions, AuditLog audit, ObjectMapper json) {
        this.actions = actions;
        this.audit = audit;
        this.json = json;
    }

    public Uni<DeploymentView> undo(Grants who, String service, String environment, UndoBody request) {
        String toVersion = request == null ? null : request.toVersion();
        String reason = request == null ? null : request.reason();
        Uni<String> target = toVersion != null ? Uni.createFrom().item(toVersion) : lastStable(service, environment);
        return target.chain(version -> actions.requestDeployment(who, body(service, version, environment))
                .call(view -> Panache.withTransaction(() -> audit.record(who.name(), "fleet.undo", "deployment",
                        view.id(), details(service, environment, version, reason)))));
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

    private String body(String service, String version, String environment) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("service", service);
        body.put("version", version);
        body.put("environment", environment);
        body.put("strategy", Map.of("type", "rolling", "maxUnavailable", UNDO_BATCH));
        try {
            return json.writeValueAsString(body);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Map<String, Object> details(String service, String environment, String version, String reason) {
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("service", service);
        details.put("environment", environment);
        details.put("toVersion", version);
        if (reason != null) {
            details.put("reason", reason);
        }
        return details;
    }
}
