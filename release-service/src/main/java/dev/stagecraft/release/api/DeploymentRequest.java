package dev.stagecraft.release.api;

/** Body of POST /api/v1/deployments. */
public record DeploymentRequest(String service, String version, String environment, Strategy strategy) {
    /** {@code maxUnavailable} (rolling): a count such as 1 or a percentage such as "25%"; default 1. */
    public record Strategy(String type, String maxUnavailable) {
    }
}
