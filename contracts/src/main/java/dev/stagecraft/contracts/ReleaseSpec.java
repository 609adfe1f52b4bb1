package dev.stagecraft.contracts;

import java.util.Map;

/**
 * Everything an instance needs to run one release: the artifact, how to run it ({@code runtime}), and the
 * environment variables (the release's config overlaid by the target environment's: the narrower scope wins).
 * A record without a runtime (written before releases declared one) runs as {@link #JAVA_JAR}, the only
 * runtime so far.
 */
public record ReleaseSpec(String service, String version, ArtifactRef artifact, Map<String, String> config,
        String runtime) {
    /** {@code java -jar <artifact>}. */
    public static final String JAVA_JAR = "java-jar";

    public ReleaseSpec {
        config = config == null ? Map.of() : Map.copyOf(config);
        runtime = runtime == null ? JAVA_JAR : runtime;
    }

    public ReleaseSpec(String service, String version, ArtifactRef artifact, Map<String, String> config) {
        this(service, version, artifact, config, JAVA_JAR);
    }
}
