package dev.stagecraft.release.api;

/** Optional body of POST /api/v1/deployments/{id}/rollback|abort. */
public record OperatorRequestBody(String reason) {
}
