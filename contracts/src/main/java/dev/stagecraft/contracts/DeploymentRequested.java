package dev.stagecraft.contracts;

import java.time.Instant;

/**
 * The gates passed: the saga may start. {@code release} already carries the merged config. It travels twice: with
 * the secrets sealed on {@link Topics#SAGA_STARTS} ({@link EventTypes#SAGA_START_REQUESTED}, services only), and
 * {@link #forFollowers() masked} on {@link Topics#DEPLOYMENTS} ({@link EventTypes#DEPLOYMENT_REQUESTED}).
 */
public record DeploymentRequested(String deploymentId, String service, String version, String environment,
        ReleaseSpec release, StrategySpec strategy, String requestedBy, Instant requestedAt) {

    /** The same request with every secret's value shown as {@value ReleaseSpec#MASK}: for the public topic. */
    public DeploymentRequested forFollowers() {
        return new DeploymentRequested(deploymentId, service, version, environment,
                release == null ? null : release.withSecretsMasked(), strategy, requestedBy, requestedAt);
    }

    /**
     * Whether a saga can start from this record alone: no secret of it is masked. True of every
     * {@link EventTypes#SAGA_START_REQUESTED}, of a {@link EventTypes#DEPLOYMENT_REQUESTED} of a release without
     * secrets, and of one an earlier release-service published with the sealed values still in it.
     */
    public boolean canStartSaga() {
        return release != null && !release.hasMaskedSecrets();
    }
}
