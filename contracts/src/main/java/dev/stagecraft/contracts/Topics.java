package dev.stagecraft.contracts;

/** Kafka topic names. Every saga record is keyed by its deployment id; {@link FleetChanged} by its fleet. */
public final class Topics {
    public static final String COMMANDS = "stagecraft.commands";
    public static final String RELEASES = "stagecraft.releases";
    /** The deployment lifecycle, which CI systems follow: never a secret, sealed or plain. */
    public static final String DEPLOYMENTS = "stagecraft.deployments";
    /**
     * {@link DeploymentRequested} with the release's sealed secrets, from release-service to rollout-service only:
     * the saga's start. Services-only (Kafka ACLs): the public twin on {@link #DEPLOYMENTS} shows secrets masked.
     */
    public static final String SAGA_STARTS = "stagecraft.saga-starts";
    public static final String ROLLOUT_STEPS = "stagecraft.rollout-steps";
    public static final String INSTANCES = "stagecraft.instances";
    public static final String HEALTH = "stagecraft.health";
    public static final String ROLLBACKS = "stagecraft.rollbacks";
    /** {@link HostCommand}s to host agents, keyed by host id: one host's commands stay in order. */
    public static final String HOST_COMMANDS = "stagecraft.host-commands";
    /** {@link InstanceStatusReport}s and {@link HostHeartbeat}s from host agents, keyed by host id. */
    public static final String HOST_STATUS = "stagecraft.host-status";
    /** {@link FlagChanged} from release-service, keyed by service/environment; every replica reads all of it. */
    public static final String FLAGS = "stagecraft.flags";
    /**
     * Outward-facing CDEvents for any CDEvents consumer (Tekton, Jenkins, Spinnaker, Keptn): the types of
     * {@link dev.stagecraft.contracts.cdevents.CdEventTypes}, keyed by service (an environment's by its name).
     * Never a secret.
     */
    public static final String CDEVENTS = "stagecraft.cdevents";

    /** One dead-letter topic per consuming service, e.g. {@code stagecraft.dlq.rollout-service}. */
    public static String deadLetter(String consumer) {
        return "stagecraft.dlq." + consumer;
    }

    private Topics() {
    }
}
