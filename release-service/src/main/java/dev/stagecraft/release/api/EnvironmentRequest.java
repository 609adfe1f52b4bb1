package dev.stagecraft.release.api;

import java.util.List;
import java.util.Map;

/**
 * Body of PUT /api/v1/environments/{name}; the whole environment (a field left out takes its default).
 * {@code order} places the stage in the promotion path; {@code requiresSuccessIn} names the stage where
 * a version must have SUCCEEDED first; {@code windows} and {@code freezes} say when deployments may
 * start; {@code secrets} are variables like {@code config} that are never shown ("***" keeps the stored
 * value); {@code concurrency} is reject (default), queue or supersede, {@code concurrencyByService}
 * overrides it per service; {@code bakeTime} ({@code 30m}, at most 24h; absent or {@code 0s}: none) is how long a
 * deployment is watched after its rollout, in status BAKING, before it is SUCCEEDED.
 */
public record EnvironmentRequest(Integer order, String requiresSuccessIn, Map<String, String> config,
        Boolean requiresApproval, List<WindowSpec> windows, List<FreezeSpec> freezes, Map<String, String> secrets,
        String concurrency, Map<String, String> concurrencyByService, String bakeTime) {
}
