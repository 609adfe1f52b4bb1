package dev.stagecraft.release.api;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import dev.stagecraft.contracts.SmokeCheck;
import dev.stagecraft.release.domain.ReleaseMigrations;
import dev.stagecraft.release.domain.ReleaseSmokeChecks;
import dev.stagecraft.release.persistence.ReleaseEntity;

public record ReleaseView(String service, String version, String runtime, ReleaseRequest.Artifact artifact,
        Map<String, String> config, List<String> migrations, List<SmokeCheck> smokeChecks, Instant createdAt) {
    public static ReleaseView of(ReleaseEntity e) {
        return new ReleaseView(e.service, e.version, e.runtime,
                new ReleaseRequest.Artifact(e.artifactUri, e.artifactSha256),
                e.config, ReleaseMigrations.of(e), ReleaseSmokeChecks.shown(ReleaseSmokeChecks.of(e)), e.createdAt);
    }
}
