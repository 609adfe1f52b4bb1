package dev.stagecraft.contracts;

import java.time.Instant;
import java.util.Map;

/** A release was stored. {@code runtime}: how its instances run the artifact ({@link ReleaseSpec#JAVA_JAR}). */
public record ReleaseCreated(String service, String version, ArtifactRef artifact, Map<String, String> config,
        Instant createdAt, String runtime) {
}
