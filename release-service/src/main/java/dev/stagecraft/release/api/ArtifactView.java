package dev.stagecraft.release.api;

import dev.stagecraft.platform.artifact.ArtifactStore;

/** An artifact in the store: the URI a release names it by, its sha256 and its size in bytes. */
public record ArtifactView(String uri, String sha256, long size) {
    static ArtifactView of(ArtifactStore.Stored stored) {
        return new ArtifactView(stored.uri(), stored.sha256(), stored.size());
    }
}
