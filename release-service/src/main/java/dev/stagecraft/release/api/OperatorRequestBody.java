package dev.stagecraft.release.api;

/** Optional body of POST /api/v1/deployments/{id}/rollback|abort|pause|resume (and reject, where it is required). */
public record OperatorRequestBody(String reason) {
}
