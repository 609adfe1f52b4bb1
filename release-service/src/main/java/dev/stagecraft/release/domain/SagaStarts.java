package dev.stagecraft.release.domain;

import java.util.LinkedHashMap;
import java.util.Map;

import dev.stagecraft.contracts.ArtifactRef;
import dev.stagecraft.contracts.DeploymentRequested;
import dev.stagecraft.contracts.EventTypes;
import dev.stagecraft.contracts.ReleaseSpec;
import dev.stagecraft.contracts.StrategySpec;
import dev.stagecraft.contracts.Topics;
import dev.stagecraft.platform.outbox.Outbox;
import dev.stagecraft.platform.persistence.JsonText;
import dev.stagecraft.release.persistence.DeploymentEntity;
import dev.stagecraft.release.persistence.EnvironmentEntity;
import dev.stagecraft.release.persistence.ReleaseEntity;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Asks rollout-service to start a deployment's saga: {@code deployment.requested} through the outbox,
 * in the caller's transaction. Called when a deployment gets the slot with nothing left to wait for:
 * at the request, at its approval, or when the deployment before it ends.
 */
@ApplicationScoped
public class SagaStarts {
    private final Outbox outbox;

    public SagaStarts(Outbox outbox) {
        this.outbox = outbox;
    }

    public Uni<Void> start(DeploymentEntity d) {
        return ReleaseEntity.find(d.service, d.version).chain(release -> EnvironmentEntity
                .<EnvironmentEntity>findById(d.environment).chain(env -> start(d, release, env)));
    }

    public Uni<Void> start(DeploymentEntity d, ReleaseEntity release, EnvironmentEntity env) {
        DeploymentRequested event = new DeploymentRequested(d.id, d.service, d.version, d.environment,
                releaseSpec(release, env), JsonText.read(d.strategy, StrategySpec.class), d.requestedBy, d.createdAt);
        return outbox.add(Topics.DEPLOYMENTS, d.id, EventTypes.DEPLOYMENT_REQUESTED, event);
    }

    /**
     * Release config first, then the environment's config, then its secrets: the narrower scope wins, as
     * with Octopus variables. Secrets travel in this internal event in plain text, because the instance
     * driver needs their values (see the README on secrets).
     */
    static ReleaseSpec releaseSpec(ReleaseEntity release, EnvironmentEntity environment) {
        Map<String, String> config = new LinkedHashMap<>(release.config);
        config.putAll(environment.config);
        config.putAll(environment.secrets);
        return new ReleaseSpec(release.service, release.version,
                new ArtifactRef(release.artifactUri, release.artifactSha256), config);
    }
}
