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
import dev.stagecraft.platform.secrets.SecretBox;
import dev.stagecraft.platform.secrets.Secrets;
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
    private final Secrets secrets;

    public SagaStarts(Outbox outbox, Secrets secrets) {
        this.outbox = outbox;
        this.secrets = secrets;
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
     * with Octopus variables. Secrets are sealed: only the instance driver, which holds the same key,
     * opens them, so no event, log or other service's table shows them.
     */
    ReleaseSpec releaseSpec(ReleaseEntity release, EnvironmentEntity environment) {
        Map<String, String> config = new LinkedHashMap<>(release.config);
        config.putAll(environment.config);
        if (!environment.secrets.isEmpty()) {
            SecretBox box = secrets.box().orElseThrow(() -> new IllegalStateException(
                    "environment " + environment.name + " has secrets but STAGECRAFT_SECRETS_KEY is not set"));
            environment.secrets.forEach((name, value) -> config.put(name, box.seal(value)));
        }
        return new ReleaseSpec(release.service, release.version,
                new ArtifactRef(release.artifactUri, release.artifactSha256), config, release.runtime);
    }
}
