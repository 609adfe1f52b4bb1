package dev.stagecraft.release.flags;

import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.stagecraft.contracts.EventTypes;
import dev.stagecraft.contracts.FlagChanged;
import dev.stagecraft.contracts.Topics;
import dev.stagecraft.platform.api.ApiProblem;
import dev.stagecraft.platform.api.Problem;
import dev.stagecraft.platform.outbox.Outbox;
import dev.stagecraft.release.domain.AuditLog;
import dev.stagecraft.release.domain.DeploymentStatus;
import dev.stagecraft.release.persistence.DeploymentEntity;
import dev.stagecraft.release.persistence.TimelineEntry;
import dev.stagecraft.release.flags.engine.FlagValidation;
import dev.stagecraft.release.persistence.EnvironmentEntity;
import dev.stagecraft.release.persistence.FlagEntity;
import dev.stagecraft.release.persistence.FlagHistoryEntity;
import dev.stagecraft.release.persistence.FlagId;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.quarkus.hibernate.reactive.panache.common.WithTransaction;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Flag definitions in the database. A change, its {@code flag_history} row, its audit entry (before and after), its
 * {@code dev.stagecraft.flag.changed} event (before and after, for followers and webhooks) and a line on the timeline
 * of a deployment of that service running in that environment commit together; the caller updates this replica's
 * cache once the transaction has committed, other replicas theirs from the event.
 */
@ApplicationScoped
public class FlagStore {
    public static final String AUDIT_SUBJECT = "flag";
    /** Deployments whose saga runs (or whose rollout is watched): a flag change may explain what they see. */
    static final List<DeploymentStatus> RUNNING = List.of(DeploymentStatus.IN_PROGRESS, DeploymentStatus.PAUSED,
            DeploymentStatus.BAKING, DeploymentStatus.ROLLING_BACK);
    private final AuditLog audit;
    private final Outbox outbox;
    private final Clock clock;
    private final ObjectMapper mapper;

    public FlagStore(AuditLog audit, Outbox outbox, Clock clock, ObjectMapper mapper) {
        this.audit = audit;
        this.outbox = outbox;
        this.clock = clock;
        this.mapper = mapper;
    }

    /** Validates, then creates or replaces the flag; 400 names every bad field, 422 an unknown environment. */
    @WithTransaction
    public Uni<FlagEntity> put(String service, String environment, String key, JsonNode body, String actor) {
        FlagValidation.Result checked = FlagValidation.check(key, body);
        if (!checked.valid()) {
            throw ApiProblem.badRequest("the flag is not valid", checked.problems().entrySet().stream()
                    .map(p -> new Problem.Violation(p.getKey(), p.getValue())).toList());
        }
        String definition = canonical(body);
        return requireEnvironment(environment)
                .chain(() -> FlagEntity.<FlagEntity>findById(new FlagId(service, environment, key)))
                .chain(existing -> {
                    String before = existing == null ? null : existing.definition;
                    FlagEntity flag = existing != null ? existing : new FlagEntity();
                    flag.service = service;
                    flag.environment = environment;
                    flag.flagKey = key;
                    flag.definition = definition;
                    flag.updatedAt = clock.instant();
                    flag.updatedBy = actor;
                    Uni<FlagEntity> stored = existing != null ? Uni.createFrom().item(flag) : flag.persist();
                    // Flushed now so that the version the history, the audit and the event name is the stored one.
                    return stored.call(f -> f.flush())
                            .call(f -> changed(f.service, f.environment, key, f.version, "put", before, definition, actor));
                });
    }

    /** 404 for a flag that does not exist; otherwise gone, with its last definition in history and audit. */
    @WithTransaction
    public Uni<Void> delete(String service, String environment, String key, String actor) {
        return FlagEntity.<FlagEntity>findById(new FlagId(service, environment, key)).chain(existing -> {
            if (existing == null) {
                throw notFound(service, environment, key);
            }
            long version = existing.version + 1;
            String before = existing.definition;
            return existing.delete().call(() -> changed(service, environment, key, version, "delete", before, null, actor));
        });
    }

    @WithSession
    public Uni<List<FlagEntity>> list(String service, String environment) {
        return FlagEntity.list("service = ?1 and environment = ?2 order by flagKey", service, environment);
    }

    @WithSession
    public Uni<FlagEntity> get(String service, String environment, String key) {
        return FlagEntity.<FlagEntity>findById(new FlagId(service, environment, key)).invoke(found -> {
            if (found == null) {
                throw notFound(service, environment, key);
            }
        });
    }

    /** What another replica's event points at, as committed now (null once deleted). */
    @WithSession
    public Uni<FlagEntity> current(String service, String environment, String key) {
        return FlagEntity.findById(new FlagId(service, environment, key));
    }

    private Uni<Void> changed(String service, String environment, String key, long version, String action,
            String before, String after, String actor) {
        FlagHistoryEntity history = new FlagHistoryEntity();
        history.service = service;
        history.environment = environment;
        history.flagKey = key;
        history.version = version;
        history.action = action;
        history.before = before;
        history.after = after;
        history.at = clock.instant();
        history.actor = actor;
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("version", version);
        details.put("before", tree(before));
        details.put("after", tree(after));
        FlagChanged event = new FlagChanged(service, environment, key, version, after == null, actor, history.at,
                map(before), map(after));
        String line = FlagChangeSummary.line(key, version, actor, tree(before), tree(after));
        return history.persist()
                .call(() -> audit.record(actor, "flag." + action, AUDIT_SUBJECT, subject(service, environment, key), details))
                .call(() -> outbox.add(Topics.FLAGS, FlagChanged.key(service, environment), EventTypes.FLAG_CHANGED, event))
                .call(() -> onRunningDeployments(service, environment, history.at, line))
                .replaceWithVoid();
    }

    /**
     * A line on the timeline of the deployment of this service running in this environment, if there is one: a
     * flag flipped in the middle of a rollout or a bake is the first thing to look at when its analysis turns bad.
     */
    private static Uni<Void> onRunningDeployments(String service, String environment, java.time.Instant at,
            String line) {
        return DeploymentEntity.<DeploymentEntity>list("service = ?1 and environment = ?2 and status in ?3", service,
                environment, RUNNING).chain(running -> running.isEmpty() ? Uni.createFrom().voidItem()
                        : TimelineEntry.persist(running.stream()
                                .map(d -> TimelineEntry.of(d.id, at, d.status.name(), EventTypes.FLAG_CHANGED, line))
                                .toList()));
    }

    /** The audit subject of a flag, e.g. {@code shop/staging/new-checkout}. */
    public static String subject(String service, String environment, String key) {
        return service + "/" + environment + "/" + key;
    }

    private static Uni<Void> requireEnvironment(String environment) {
        return EnvironmentEntity.<EnvironmentEntity>findById(environment).invoke(found -> {
            if (found == null) {
                throw ApiProblem.unprocessable("the flag refers to an unknown environment",
                        List.of(new Problem.Violation("environment", "environment '" + environment + "' does not exist")));
            }
        }).replaceWithVoid();
    }

    static ApiProblem notFound(String service, String environment, String key) {
        return ApiProblem.notFound("flag '" + key + "' of " + service + " in " + environment + " does not exist");
    }

    /** The stored form: the four fields in a fixed order, state filled in. */
    private String canonical(JsonNode body) {
        ObjectNode out = mapper.createObjectNode();
        out.set("variants", body.get("variants"));
        out.put("defaultVariant", body.get("defaultVariant").asText());
        JsonNode state = body.get("state");
        out.put("state", state == null || state.isNull() ? "ENABLED" : state.asText());
        out.set("rules", body.has("rules") && !body.get("rules").isNull() ? body.get("rules") : mapper.createArrayNode());
        return out.toString();
    }

    @SuppressWarnings("unchecked")
    private Map<String, Object> map(String json) {
        return json == null ? null : mapper.convertValue(tree(json), Map.class);
    }

    private JsonNode tree(String json) {
        try {
            return json == null ? null : mapper.readTree(json);
        } catch (java.io.IOException e) {
            throw new IllegalStateException("a stored flag is not JSON", e);
        }
    }
}
