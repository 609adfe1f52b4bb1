package dev.stagecraft.contracts.cdevents;

import java.util.List;

/**
 * The CDEvents (spec {@value #SPEC_VERSION}) that Stagecraft publishes on {@link dev.stagecraft.contracts.Topics#CDEVENTS}:
 * each record's CloudEvents {@code ce_type} and its CDEvent's {@code context.type}. The versions are the ones the
 * spec's schemas fix ({@code context.type} is an enum of one value in each).
 */
public final class CdEventTypes {
    /** {@code context.specversion} of every CDEvent Stagecraft writes. */
    public static final String SPEC_VERSION = "0.6.0-draft";
    private static final String P = "dev.cdevents.";

    /** A service's first rollout to an environment ended: it runs there now. */
    public static final String SERVICE_DEPLOYED = P + "service.deployed.0.3.0";
    /** A rollout to an environment where the service ran already ended. */
    public static final String SERVICE_UPGRADED = P + "service.upgraded.0.3.0";
    /** A deployment was rolled back: the service runs its previous release again. */
    public static final String SERVICE_ROLLEDBACK = P + "service.rolledback.0.3.0";
    /** The service's last instance in an environment is gone. */
    public static final String SERVICE_REMOVED = P + "service.removed.0.3.0";
    public static final String ENVIRONMENT_CREATED = P + "environment.created.0.3.0";
    public static final String ENVIRONMENT_MODIFIED = P + "environment.modified.0.3.0";
    /** A release was created: its artifact can be deployed. */
    public static final String ARTIFACT_PUBLISHED = P + "artifact.published.0.3.0";
    /** A deployment went wrong: it is rolling back (a failing verdict, a missed deadline, an alert) or it failed. */
    public static final String INCIDENT_DETECTED = P + "incident.detected.0.3.0";
    /** The deployment that went wrong is rolled back: the previous release serves again. */
    public static final String INCIDENT_RESOLVED = P + "incident.resolved.0.3.0";

    public static final List<String> ALL = List.of(SERVICE_DEPLOYED, SERVICE_UPGRADED, SERVICE_ROLLEDBACK,
            SERVICE_REMOVED, ENVIRONMENT_CREATED, ENVIRONMENT_MODIFIED, ARTIFACT_PUBLISHED, INCIDENT_DETECTED,
            INCIDENT_RESOLVED);

    private CdEventTypes() {
    }
}
