package dev.stagecraft.contracts;

import java.time.Instant;

/** The gates passed: the saga may start. {@code release} already carries the merged config. */
public record DeploymentRequested(String deploymentId, String service, String version, String environment,
        ReleaseSpec release, StrategySpec strategy, String requestedBy, Instant requestedAt) {
}
