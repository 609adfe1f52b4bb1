package dev.stagecraft.contracts.cdevents;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Stagecraft's facts as CDEvents: which subject each one is about and what its content says. Pure, so that the
 * mapping is tested on its own (CdEventsTest) and against the spec's schemas with real deployments.
 *
 * <p>Subjects: a service is its name (the environment is in the content), an environment its name, an artifact its
 * package URL ({@link ArtifactPurl}), an incident {@code incident/<deployment id>} (detected and resolved share it).
 * Nothing here carries a release's config, an environment's variables or an artifact's URI: those may hold secrets
 * or credentials, and a CDEvents consumer needs none of them.
 */
public final class CdEvents {

    private CdEvents() {
    }

    public static CdEvent serviceDeployed(String service, String environment, String artifactId) {
        return serviceEvent(CdEventTypes.SERVICE_DEPLOYED, service, environment, artifactId);
    }

    public static CdEvent serviceUpgraded(String service, String environment, String artifactId) {
        return serviceEvent(CdEventTypes.SERVICE_UPGRADED, service, environment, artifactId);
    }

    /** {@code artifactId}: what the service runs again after the rollback. */
    public static CdEvent serviceRolledBack(String service, String environment, String artifactId) {
        return serviceEvent(CdEventTypes.SERVICE_ROLLEDBACK, service, environment, artifactId);
    }

    public static CdEvent serviceRemoved(String service, String environment) {
        Map<String, Object> content = new LinkedHashMap<>();
        content.put("environment", ref(environment));
        return new CdEvent(CdEventTypes.SERVICE_REMOVED, service, service, content);
    }

    public static CdEvent environmentCreated(String environment) {
        return new CdEvent(CdEventTypes.ENVIRONMENT_CREATED, environment, environment, Map.of("name", environment));
    }

    public static CdEvent environmentModified(String environment) {
        return new CdEvent(CdEventTypes.ENVIRONMENT_MODIFIED, environment, environment, Map.of("name", environment));
    }

    /** A release of {@code service}; {@code user}: who created it, left out when unknown. */
    public static CdEvent artifactPublished(String service, String artifactId, String user) {
        Map<String, Object> content = new LinkedHashMap<>();
        putIfPresent(content, "user", user);
        return new CdEvent(CdEventTypes.ARTIFACT_PUBLISHED, service, artifactId, content);
    }

    /** {@code artifactId} (the release that went wrong) may be null. */
    public static CdEvent incidentDetected(String deploymentId, String description, String service,
            String environment, String artifactId) {
        return incident(CdEventTypes.INCIDENT_DETECTED, deploymentId, description, service, environment, artifactId);
    }

    public static CdEvent incidentResolved(String deploymentId, String description, String service,
            String environment, String artifactId) {
        return incident(CdEventTypes.INCIDENT_RESOLVED, deploymentId, description, service, environment, artifactId);
    }

    /** The incident a deployment opened: one subject for its detection and its resolution. */
    public static String incidentId(String deploymentId) {
        return "incident/" + deploymentId;
    }

    private static CdEvent serviceEvent(String type, String service, String environment, String artifactId) {
        Map<String, Object> content = new LinkedHashMap<>();
        content.put("environment", ref(environment));
        content.put("artifactId", artifactId);
        return new CdEvent(type, service, service, content);
    }

    private static CdEvent incident(String type, String deploymentId, String description, String service,
            String environment, String artifactId) {
        Map<String, Object> content = new LinkedHashMap<>();
        putIfPresent(content, "description", description);
        content.put("environment", ref(environment));
        content.put("service", ref(service));
        putIfPresent(content, "artifactId", artifactId);
        return new CdEvent(type, service, incidentId(deploymentId), content);
    }

    private static Map<String, Object> ref(String id) {
        if (id == null || id.isEmpty()) {
            throw new IllegalArgumentException("a CDEvents reference needs an id");
        }
        return Map.of("id", id);
    }

    private static void putIfPresent(Map<String, Object> content, String key, String value) {
        if (value != null && !value.isBlank()) {
            content.put(key, value);
        }
    }
}
