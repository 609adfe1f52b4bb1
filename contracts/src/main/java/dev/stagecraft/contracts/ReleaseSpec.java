package dev.stagecraft.contracts;

import java.util.Map;

/**
 * Everything an instance needs to run one release: the artifact and the environment variables
 * (the release's config overlaid by the target environment's: the narrower scope wins).
 */
public record ReleaseSpec(String service, String version, ArtifactRef artifact, Map<String, String> config) {
    public ReleaseSpec {
        config = config == null ? Map.of() : Map.copyOf(config);
    }
}
