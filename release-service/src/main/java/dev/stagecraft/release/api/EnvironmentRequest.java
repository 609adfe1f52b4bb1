package dev.stagecraft.release.api;

import java.util.Map;

/**
 * Body of PUT /api/v1/environments/{name}. {@code order} places the stage in the promotion path;
 * {@code requiresSuccessIn} names the stage where a version must have SUCCEEDED first.
 */
public record EnvironmentRequest(Integer order, String requiresSuccessIn, Map<String, String> config) {
}
