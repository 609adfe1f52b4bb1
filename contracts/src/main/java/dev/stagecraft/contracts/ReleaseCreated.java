package dev.stagecraft.contracts;

import java.time.Instant;
import java.util.Map;

public record ReleaseCreated(String service, String version, ArtifactRef artifact, Map<String, String> config,
        Instant createdAt) {
}
