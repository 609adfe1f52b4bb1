package dev.stagecraft.contracts;

import java.util.Map;

/**
 * Everything an instance needs to run one release: the artifact and the environment variables
 * (environment config overlaid with the release's own config).
 */
public record ReleaseSpec(String service, String version, ArtifactRef artifact, Map<String, String> config) {
    public ReleaseSpec {
        config = config == null ? Map.of() : Map.copyOf(config);
    }
}
