package dev.stagecraft.release.api;

import java.util.List;
import java.util.Map;

import dev.stagecraft.contracts.SmokeCheck;

/**
 * Body of POST /api/v1/releases. {@code runtime} says how instances run the artifact ({@code java-jar}, the
 * default and so far the only one). {@code migrations} names the database migrations the release runs
 * (e.g. "V12__add_orders"); production refuses it until they have run in a SUCCEEDED deployment of the
 * prerequisite stage. {@code smokeChecks} are HTTP checks of key functionality that health-monitor runs against
 * every new instance of the release before it takes traffic ({@link SmokeCheck}).
 */
public record ReleaseRequest(String service, String version, String runtime, Artifact artifact,
        Map<String, String> config, List<String> migrations, List<SmokeCheck> smokeChecks) {
    public record Artifact(String uri, String sha256) {
    }
}
