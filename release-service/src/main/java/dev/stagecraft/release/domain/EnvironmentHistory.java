package dev.stagecraft.release.domain;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.stagecraft.contracts.StrategySpec;
import dev.stagecraft.platform.api.ApiProblem;
import dev.stagecraft.platform.persistence.JsonText;
import dev.stagecraft.release.api.EnvironmentHistoryEntry;
import dev.stagecraft.release.api.EnvironmentHistoryEntry.Deployment;
import dev.stagecraft.release.api.EnvironmentHistoryEntry.FlagChange;
import dev.stagecraft.release.flags.FlagChangeSummary;
import dev.stagecraft.release.persistence.DeploymentEntity;
import dev.stagecraft.release.persistence.EnvironmentEntity;
import dev.stagecraft.release.persistence.FlagHistoryEntity;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * What happened in an environment, newest first: its deployments and the changes of its feature flags in one list,
 * so that "what changed before it broke" has one answer whether a release or a flag did it.
 */
@ApplicationScoped
public class EnvironmentHistory {
    static final int DEFAULT_LIMIT = 100;
    static final int MAX_LIMIT = 500;

    private final ObjectMapper mapper;

    public EnvironmentHistory(ObjectMapper mapper) {
        this.mapper = mapper;
    }

    /** 404 for an unknown environment; {@code service} narrows it to one service. */
    @WithSession
    public Uni<List<EnvironmentHistoryEntry>> of(String environment, String service, String limit) {
        int size = QueryLimit.parse(limit, DEFAULT_LIMIT, MAX_LIMIT, "history query");
        String where = "environment = ?1" + (service == null || service.isBlank() ? "" : " and service = ?2");
        Object[] params = service == null || service.isBlank() ? new Object[] { environment }
                : new Object[] { environment, service };
        return EnvironmentEntity.<EnvironmentEntity>findById(environment).onItem().ifNull()
                .failWith(() -> ApiProblem.notFound("environment " + environment + " does not exist"))
                .chain(() -> DeploymentEntity.<DeploymentEntity>find(where + " order by createdAt desc", params)
                        .page(0, size).list())
                .chain(deployments -> FlagHistoryEntity.<FlagHistoryEntity>find(where + " order by id desc",
                        params).page(0, size).list().map(flags -> newestFirst(deployments, flags, size)));
    }

    private List<EnvironmentHistoryEntry> newestFirst(List<DeploymentEntity> deployments, List<FlagHistoryEntity> flags,
            int size) {
        List<EnvironmentHistoryEntry> all = new ArrayList<>();
        deployments.forEach(d -> all.add(deployment(d)));
        flags.forEach(f -> all.add(flag(f)));
        all.sort(Comparator.comparing(EnvironmentHistoryEntry::at).reversed());
        return all.subList(0, Math.min(size, all.size()));
    }

    private static EnvironmentHistoryEntry deployment(DeploymentEntity d) {
        String strategy = JsonText.read(d.strategy, StrategySpec.class).type();
        return new EnvironmentHistoryEntry(EnvironmentHistoryEntry.DEPLOYMENT, d.createdAt, d.service,
                d.service + " " + d.version + " (" + strategy + ") requested by " + d.requestedBy + ": " + d.status,
                new Deployment(d.id, d.version, strategy, d.status.name(), d.requestedBy, d.finishedAt), null);
    }

    private EnvironmentHistoryEntry flag(FlagHistoryEntity f) {
        JsonNode before = tree(f.before);
        JsonNode after = tree(f.after);
        return new EnvironmentHistoryEntry(EnvironmentHistoryEntry.FLAG, f.at, f.service,
                FlagChangeSummary.line(f.flagKey, f.version, f.actor, before, after), null,
                new FlagChange(f.flagKey, f.version, f.action, f.actor, map(before), map(after)));
    }

    private JsonNode tree(String json) {
        return json == null ? null : JsonText.read(json, JsonNode.class);
    }

    @SuppressWarnings("unchecked")
    private Map<String, Object> map(JsonNode tree) {
        return tree == null ? null : mapper.convertValue(tree, Map.class);
    }
}
