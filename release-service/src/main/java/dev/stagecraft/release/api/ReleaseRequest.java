package dev.stagecraft.release.api;

import java.util.Map;

/** Body of POST /api/v1/releases. */
public record ReleaseRequest(String service, String version, Artifact artifact, Map<String, String> config) {
    public record Artifact(String uri, String sha256) {
    }
}
