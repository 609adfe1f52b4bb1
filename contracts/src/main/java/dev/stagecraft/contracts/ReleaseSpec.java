package dev.stagecraft.contracts;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Everything an instance needs to run one release: the artifact, how to run it ({@code runtime}), the
 * environment variables {@code config} (the release's config overlaid by the target environment's: the narrower
 * scope wins), and the environment's {@code secrets}, kept apart from config: each value is sealed for this
 * environment, service and variable name ({@code sealed:v2:…}), and only the instance driver opens them, only from
 * this field. A sealed-looking value in {@code config} is never opened. A record without a runtime (written before
 * releases declared one) runs as {@link #JAVA_JAR}, the only runtime so far. {@code smokeChecks} are the release's
 * checks of key functionality, run by health-monitor against each new instance before it takes traffic.
 */
public record ReleaseSpec(String service, String version, ArtifactRef artifact, Map<String, String> config,
        Map<String, String> secrets, String runtime, List<SmokeCheck> smokeChecks) {
    /** What every view shows instead of a secret's value. */
    public static final String MASK = "***";
    /** {@code java -jar <artifact>}. */
    public static final String JAVA_JAR = "java-jar";

    public ReleaseSpec {
        config = config == null ? Map.of() : Map.copyOf(config);
        secrets = secrets == null ? Map.of() : Map.copyOf(secrets);
        runtime = runtime == null ? JAVA_JAR : runtime;
        smokeChecks = smokeChecks == null ? List.of() : List.copyOf(smokeChecks);
    }

    /** A release without smoke checks. */
    public ReleaseSpec(String service, String version, ArtifactRef artifact, Map<String, String> config,
            Map<String, String> secrets, String runtime) {
        this(service, version, artifact, config, secrets, runtime, List.of());
    }

    /** A release without secrets, run as {@link #JAVA_JAR}. */
    public ReleaseSpec(String service, String version, ArtifactRef artifact, Map<String, String> config) {
        this(service, version, artifact, config, Map.of(), JAVA_JAR);
    }

    /** A release with secrets, run as {@link #JAVA_JAR}. */
    public ReleaseSpec(String service, String version, ArtifactRef artifact, Map<String, String> config,
            Map<String, String> secrets) {
        this(service, version, artifact, config, secrets, JAVA_JAR);
    }

    /** A release without secrets, run as {@code runtime}. */
    public ReleaseSpec(String service, String version, ArtifactRef artifact, Map<String, String> config,
            String runtime) {
        this(service, version, artifact, config, Map.of(), runtime);
    }

    /**
     * Whether some secret, or a smoke check's header, shows as {@value #MASK} instead of its value: a copy for
     * people, not for a saga.
     */
    public boolean hasMaskedSecrets() {
        return secrets.containsValue(MASK) || smokeChecks.stream().anyMatch(SmokeCheck::hasMaskedHeaders);
    }

    /**
     * The same spec with every secret value, and every smoke check's header value (which may carry a token), shown as
     * {@value #MASK}: for views people read and the followers' topic.
     */
    public ReleaseSpec withSecretsMasked() {
        Map<String, String> masked = new TreeMap<>();
        secrets.keySet().forEach(name -> masked.put(name, MASK));
        return new ReleaseSpec(service, version, artifact, config, masked, runtime,
                smokeChecks.stream().map(SmokeCheck::withHeadersMasked).toList());
    }
}
