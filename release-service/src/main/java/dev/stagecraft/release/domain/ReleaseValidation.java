package dev.stagecraft.release.domain;

import java.util.Map;
import java.util.regex.Pattern;

import dev.stagecraft.contracts.ReleaseSpec;
import dev.stagecraft.contracts.SemanticVersion;
import dev.stagecraft.platform.api.Violations;
import dev.stagecraft.platform.artifact.ArtifactUris;
import dev.stagecraft.contracts.secrets.SecretBox;
import dev.stagecraft.release.api.ReleaseRequest;

/** The shape rules of a release request; every broken rule is reported, not just the first. */
public final class ReleaseValidation {
    public static final Pattern SERVICE_NAME = Pattern.compile("[a-z][a-z0-9-]{0,62}");
    private static final Pattern SHA256 = Pattern.compile("[0-9a-fA-F]{64}");
    static final int MAX_MIGRATIONS = 500;
    private static final Pattern ENV_VAR = Pattern.compile("[A-Za-z_][A-Za-z0-9_]{0,127}");
    /** How instances may run an artifact; an instance driver executes nothing else. */
    public static final java.util.List<String> RUNTIMES = java.util.List.of(ReleaseSpec.JAVA_JAR);

    public static Violations check(ReleaseRequest request) {
        Violations v = new Violations();
        if (request == null) {
            return v.add("body", "a release needs a JSON body with service, version and artifact");
        }
        checkServiceName(v, "service", request.service());
        if (request.version() == null || request.version().isBlank()) {
            v.add("version", "is required");
        } else if (!SemanticVersion.isValid(request.version())) {
            v.add("version", "'" + request.version() + "' is not a semantic version (MAJOR.MINOR.PATCH, see semver.org)");
        }
        if (request.runtime() != null && !RUNTIMES.contains(request.runtime())) {
            v.add("runtime", "'" + request.runtime() + "' is not one of " + RUNTIMES
                    + " (leave it out for " + ReleaseSpec.JAVA_JAR + ")");
        }
        if (request.artifact() == null) {
            v.add("artifact", "is required: {uri, sha256}");
        } else {
            checkArtifact(v, request.artifact());
        }
        checkConfig(v, "config", request.config());
        checkMigrations(v, request.migrations());
        ReleaseSmokeChecks.check(v, request.smokeChecks());
        return v;
    }

    /** Syntax only (it reveals nothing): whether the artifact may be used is the fetcher's single answer. */
    private static void checkArtifact(Violations v, ReleaseRequest.Artifact artifact) {
        String uri = artifact.uri();
        String sha = artifact.sha256();
        boolean shaValid = sha != null && SHA256.matcher(sha).matches();
        if (uri == null || uri.isBlank()) {
            v.add("artifact.uri", "is required");
        } else {
            ArtifactUris.syntaxProblem(uri).ifPresent(problem -> v.add("artifact.uri", "'" + uri + "' " + problem));
            ArtifactUris.storeSha(uri).filter(named -> shaValid && !named.equalsIgnoreCase(sha)).ifPresent(named ->
                    v.add("artifact.sha256", "must be the sha256 that artifact.uri names"));
        }
        if (sha == null || sha.isBlank()) {
            v.add("artifact.sha256", "is required");
        } else if (!shaValid) {
            v.add("artifact.sha256", "must be 64 hexadecimal characters");
        }
    }

    /** Migration ids are compared as written, so they must be unambiguous: present, trimmed, unique. */
    static void checkMigrations(Violations v, java.util.List<String> migrations) {
        if (migrations == null) {
            return;
        }
        if (migrations.size() > MAX_MIGRATIONS) {
            v.add("migrations", "at most " + MAX_MIGRATIONS + " migrations per release");
        }
        java.util.Set<String> seen = new java.util.HashSet<>();
        for (int i = 0; i < migrations.size(); i++) {
            String id = migrations.get(i);
            String field = "migrations[" + i + "]";
            if (id == null || id.isBlank()) {
                v.add(field, "must be a migration id such as V12__add_orders");
            } else if (!id.equals(id.strip()) || id.length() > 200) {
                v.add(field, "'" + id + "' must have no surrounding spaces and at most 200 characters");
            } else if (!seen.add(id)) {
                v.add(field, "'" + id + "' is listed twice");
            }
        }
    }

    public static void checkServiceName(Violations v, String field, String service) {
        if (service == null || service.isBlank()) {
            v.add(field, "is required");
        } else if (!SERVICE_NAME.matcher(service).matches()) {
            v.add(field, "'" + service + "' must be lower-case letters, digits and '-', starting with a letter, at most 63");
        }
    }

    public static void checkConfig(Violations v, String field, Map<String, String> config) {
        if (config == null) {
            return;
        }
        config.forEach((key, value) -> {
            if (!ENV_VAR.matcher(key).matches()) {
                v.add(field + "." + key, "is not a valid environment variable name");
            }
            if (value == null) {
                v.add(field + "." + key, "must have a value");
            } else if (SecretBox.looksSealed(value)) {
                // Nothing a user sends is ever opened: a sealed value can only be someone else's secret.
                v.add(field + "." + key, "must not be a sealed value; " + (field.equals("secrets")
                        ? "give the plain value, it is sealed when stored" : "put secrets in the environment's secrets"));
            }
        });
    }

    private ReleaseValidation() {
    }
}
