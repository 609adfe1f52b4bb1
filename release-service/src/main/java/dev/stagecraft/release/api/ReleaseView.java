package dev.stagecraft.release.api;

import java.time.Instant;
import java.util.Map;

import dev.stagecraft.release.persistence.ReleaseEntity;

public record ReleaseView(String service, String version, ReleaseRequest.Artifact artifact, Map<String, String> config,
        Instant createdAt) {
    public static ReleaseView of(ReleaseEntity e) {
        return new ReleaseView(e.service, e.version, new ReleaseRequest.Artifact(e.artifactUri, e.artifactSha256),
                e.config, e.createdAt);
    }
}
