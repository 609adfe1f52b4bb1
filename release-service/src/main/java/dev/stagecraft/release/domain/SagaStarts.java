package dev.stagecraft.release.domain;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.stagecraft.contracts.ArtifactRef;
import dev.stagecraft.contracts.DeploymentRequested;
import dev.stagecraft.contracts.EventTypes;
import dev.stagecraft.contracts.ReleaseSpec;
import dev.stagecraft.contracts.SmokeCheck;
import dev.stagecraft.contracts.SmokeCheckRules;
import dev.stagecraft.contracts.StrategySpec;
import dev.stagecraft.contracts.Topics;
import dev.stagecraft.platform.outbox.Outbox;
import dev.stagecraft.release.flags.InstanceFlagAccess;
import dev.stagecraft.platform.persistence.JsonText;
import dev.stagecraft.release.persistence.DeploymentEntity;
import dev.stagecraft.release.persistence.EnvironmentEntity;
import dev.stagecraft.release.persistence.ReleaseEntity;
import dev.stagecraft.release.secrets.StoredSecrets;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Asks rollout-service to start a deployment's saga, through the outbox in the caller's transaction: the request
 * with its sealed secrets as {@code saga.start-requested} on the services-only {@code stagecraft.saga-starts}, and
 * the same request with every secret masked as {@code deployment.requested} on {@code stagecraft.deployments}, which
 * CI systems follow. One transaction writes both, so followers see a request exactly when the saga is asked to
 * start. Called when a deployment gets the slot with nothing left to wait for: at the request, at its approval, or
 * when the deployment before it ends.
 */
@ApplicationScoped
public class SagaStarts {
    private final Outbox outbox;
    private final StoredSecrets secrets;
    private final InstanceFlagAccess flagAccess;

    public SagaStarts(Outbox outbox, StoredSecrets secrets, InstanceFlagAccess flagAccess) {
        this.outbox = outbox;
        this.secrets = secrets;
        this.flagAccess = flagAccess;
    }

    public Uni<Void> start(DeploymentEntity d) {
        return ReleaseEntity.find(d.service, d.version).chain(release -> EnvironmentEntity
                .<EnvironmentEntity>findById(d.environment).chain(env -> start(d, release, env)));
    }

    public Uni<Void> start(DeploymentEntity d, ReleaseEntity release, EnvironmentEntity env) {
        DeploymentRequested event = new DeploymentRequested(d.id, d.service, d.version, d.environment,
                releaseSpec(release, env, d.id, ReleaseSmokeChecks.of(d)), JsonText.read(d.strategy, StrategySpec.class),
                d.requestedBy, d.createdAt);
        // The public record first: the relay publishes oldest first, so followers rarely see started before requested.
        return outbox.add(Topics.DEPLOYMENTS, d.id, EventTypes.DEPLOYMENT_REQUESTED, event.forFollowers())
                .chain(() -> outbox.add(Topics.SAGA_STARTS, d.id, EventTypes.SAGA_START_REQUESTED, event));
    }

    /**
     * Release config first, then the environment's config: the narrower scope wins, as with Octopus variables.
     * The environment's secrets travel apart from config, each sealed for this environment, this service and its
     * own name: only the instance driver opens them, only from that field, so no event, log or other service's
     * table shows them, and a copied value opens nowhere else. The OFREP token names the deployment, so the instances
     * it starts (a canary's pool) are the ones its flag overrides apply to. The smoke checks are the release's with
     * the deployment's own ({@link SmokeCheckRules#combined}).
     */
    ReleaseSpec releaseSpec(ReleaseEntity release, EnvironmentEntity environment, String deploymentId,
            List<SmokeCheck> deploymentChecks) {
        InstanceFlagAccess.Grant flags = flagAccess.grant(environment.name, release.service, deploymentId);
        Map<String, String> config = new LinkedHashMap<>(flags.config());
        config.putAll(release.config);
        config.putAll(environment.config);
        // The environment's own secrets win over the platform's OFREP credentials, like its config over the release's.
        Map<String, String> sealed = new LinkedHashMap<>(flags.sealedSecrets());
        sealed.putAll(secrets.sealedForInstances(environment, release.service));
        sealed.keySet().forEach(config::remove);
        return new ReleaseSpec(release.service, release.version,
                new ArtifactRef(release.artifactUri, release.artifactSha256), config, sealed, release.runtime,
                SmokeCheckRules.combined(ReleaseSmokeChecks.of(release), deploymentChecks));
    }
}
