package dev.stagecraft.contracts;

/** CloudEvents {@code type} values. The type names the fact; the payload record is listed beside it. */
public final class EventTypes {
    private static final String P = "dev.stagecraft.";

    /** {@link ReleaseCreated} on {@link Topics#RELEASES}. */
    public static final String RELEASE_CREATED = P + "release.created";

    /**
     * {@link DeploymentRequested} on {@link Topics#DEPLOYMENTS}, for followers: every secret's value shows as
     * {@value ReleaseSpec#MASK} ({@link DeploymentRequested#forFollowers()}). Written in the same transaction as its
     * {@link #SAGA_START_REQUESTED} twin.
     */
    public static final String DEPLOYMENT_REQUESTED = P + "deployment.requested";
    /**
     * {@link DeploymentRequested} on {@link Topics#SAGA_STARTS}: the same request with the secrets sealed, which
     * rollout-service starts the saga from.
     */
    public static final String SAGA_START_REQUESTED = P + "saga.start-requested";
    /** {@link DeploymentStatusChanged} on {@link Topics#DEPLOYMENTS}, one type per lifecycle fact. */
    public static final String DEPLOYMENT_STARTED = P + "deployment.started";
    public static final String DEPLOYMENT_PROGRESSED = P + "deployment.progressed";
    public static final String DEPLOYMENT_SUCCEEDED = P + "deployment.succeeded";
    public static final String DEPLOYMENT_ROLLING_BACK = P + "deployment.rolling-back";
    public static final String DEPLOYMENT_ROLLED_BACK = P + "deployment.rolled-back";
    public static final String DEPLOYMENT_FAILED = P + "deployment.failed";
    public static final String DEPLOYMENT_ABORTED = P + "deployment.aborted";
    /** Status PAUSED: held by a person or by an inconclusive analysis, until resumed, promoted or stopped. */
    public static final String DEPLOYMENT_PAUSED = P + "deployment.paused";
    /** Status IN_PROGRESS again after a pause. */
    public static final String DEPLOYMENT_RESUMED = P + "deployment.resumed";

    /**
     * {@link DeploymentStatusChanged} on {@link Topics#DEPLOYMENTS}, published by release-service: what
     * happens to a deployment before its saga starts, so that a follower never waits on a deployment
     * that is parked or has ended without reaching rollout-service. Status AWAITING_APPROVAL, REQUESTED
     * (queued behind another deployment, or waiting to supersede it), REJECTED and ABORTED (withdrawn
     * or superseded before it started). The last two are terminal.
     */
    public static final String DEPLOYMENT_AWAITING_APPROVAL = P + "deployment.awaiting-approval";
    public static final String DEPLOYMENT_QUEUED = P + "deployment.queued";
    public static final String DEPLOYMENT_REJECTED = P + "deployment.rejected";
    public static final String DEPLOYMENT_WITHDRAWN = P + "deployment.withdrawn";

    /**
     * {@link DeploymentStatusChanged} on {@link Topics#DEPLOYMENTS}, published by release-service after the
     * saga's {@link #DEPLOYMENT_SUCCEEDED} in an environment with a bake time: the rollout is done and the
     * release is watched. {@code baking} (status BAKING) follows the saga's {@code succeeded} at once; then
     * either {@code baked} (SUCCEEDED: the bake time passed without an alert), or {@code bake-failed}
     * (ROLLING_BACK: an alert fired, a rollback deployment of the last stable release was started) and later
     * {@code rollback-ended} (ROLLED_BACK once that rollback deployment succeeded, FAILED otherwise).
     */
    public static final String DEPLOYMENT_BAKING = P + "deployment.baking";
    public static final String DEPLOYMENT_BAKED = P + "deployment.baked";
    public static final String DEPLOYMENT_BAKE_FAILED = P + "deployment.bake-failed";
    public static final String DEPLOYMENT_ROLLBACK_ENDED = P + "deployment.rollback-ended";

    /** {@link OperatorRequest} on {@link Topics#ROLLBACKS}: a person or script steers a running saga. */
    public static final String ROLLBACK_REQUESTED = P + "deployment.rollback-requested";
    public static final String ABORT_REQUESTED = P + "deployment.abort-requested";
    public static final String PAUSE_REQUESTED = P + "deployment.pause-requested";
    public static final String RESUME_REQUESTED = P + "deployment.resume-requested";
    public static final String PROMOTE_REQUESTED = P + "deployment.promote-requested";

    /** {@link TargetsResolved} on {@link Topics#INSTANCES}. */
    public static final String TARGETS_RESOLVED = P + "targets.resolved";

    /** Step requests ({@link StepRequest}) on {@link Topics#ROLLOUT_STEPS}. */
    public static final String RESOLVE_REQUESTED = P + "instances.resolve-requested";
    public static final String PROVISION_REQUESTED = P + "instances.provision-requested";
    public static final String UPDATE_REQUESTED = P + "instances.update-requested";
    public static final String ENABLE_REQUESTED = P + "instances.enable-requested";
    public static final String DECOMMISSION_REQUESTED = P + "instances.decommission-requested";
    public static final String WEIGHTS_REQUESTED = P + "instances.weights-requested";
    /** {@link AnalysisRequest} on {@link Topics#ROLLOUT_STEPS}, for health-monitor. */
    public static final String ANALYSIS_REQUESTED = P + "analysis.requested";

    /** {@link InstancesChanged} on {@link Topics#INSTANCES}: what inventory-service did for a step. */
    public static final String INSTANCES_PROVISIONED = P + "instances.provisioned";
    public static final String INSTANCES_UPDATED = P + "instances.updated";
    public static final String INSTANCES_ENABLED = P + "instances.enabled";
    public static final String INSTANCES_DECOMMISSIONED = P + "instances.decommissioned";
    /** Every instance of the fleet with the weight the router confirmed (or why not). */
    public static final String INSTANCES_WEIGHTED = P + "instances.weighted";

    /**
     * {@link FleetChanged} on {@link Topics#INSTANCES}, keyed by fleet ({@code service/environment}), not by
     * deployment: a fleet's replicas or number of instances changed.
     */
    public static final String FLEET_CHANGED = P + "fleet.changed";
    /** A feature flag was created, changed or deleted ({@link FlagChanged} on {@link Topics#FLAGS}). */
    public static final String FLAG_CHANGED = P + "flag.changed";

    /** {@link VerdictReached} on {@link Topics#HEALTH}. */
    public static final String VERDICT_REACHED = P + "verdict.reached";

    /**
     * Commands on {@link Topics#COMMANDS}, from CI systems: the data is the body the matching REST
     * endpoint takes ({@code POST /api/v1/releases}, {@code POST /api/v1/deployments},
     * {@code POST /api/v1/deployments/{id}/approve} plus {@code deploymentId}).
     */
    public static final String COMMAND_CREATE_RELEASE = P + "command.create-release";
    public static final String COMMAND_REQUEST_DEPLOYMENT = P + "command.request-deployment";
    public static final String COMMAND_APPROVE_DEPLOYMENT = P + "command.approve-deployment";
    /**
     * {@link CommandOutcome} on {@link Topics#DEPLOYMENTS}: what became of a command. Commands carry the
     * headers of {@link CommandHeaders} besides the CloudEvents ones.
     */
    public static final String COMMAND_ACCEPTED = P + "command.accepted";
    public static final String COMMAND_REJECTED = P + "command.rejected";

    /** {@link HostCommand} on {@link Topics#HOST_COMMANDS}: run this instance spec (idempotent). */
    public static final String HOST_START_INSTANCE = P + "host.start-instance";
    /** {@link HostCommand} on {@link Topics#HOST_COMMANDS}: stop this instance and forget it (idempotent). */
    public static final String HOST_STOP_INSTANCE = P + "host.stop-instance";
    /** {@link InstanceStatusReport} on {@link Topics#HOST_STATUS}: one instance changed, or a command was applied. */
    public static final String HOST_INSTANCE_STATUS = P + "host.instance-status";
    /** {@link HostHeartbeat} on {@link Topics#HOST_STATUS}: the agent lives, and everything it runs. */
    public static final String HOST_HEARTBEAT = P + "host.heartbeat";
    /** {@link RouterCommand} on {@link Topics#HOST_COMMANDS}: this fleet router runs with this table (idempotent). */
    public static final String HOST_SET_ROUTES = P + "host.set-routes";
    /** {@link RouterCommand} on {@link Topics#HOST_COMMANDS}: stop this fleet router and forget it (idempotent). */
    public static final String HOST_REMOVE_ROUTER = P + "host.remove-router";
    /** {@link RouterStatusReport} on {@link Topics#HOST_STATUS}: one fleet router changed, or a command was applied. */
    public static final String HOST_ROUTER_STATUS = P + "host.router-status";
    /** {@link HostRouters} on {@link Topics#HOST_STATUS}: with every heartbeat, every fleet router the host runs. */
    public static final String HOST_ROUTERS = P + "host.routers";

    private EventTypes() {
    }
}
