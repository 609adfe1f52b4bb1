package dev.stagecraft.release.domain;

import java.util.function.Consumer;

import dev.stagecraft.platform.api.JsonBodies;
import dev.stagecraft.platform.security.Grants;
import dev.stagecraft.release.api.DeploymentRequest;
import dev.stagecraft.release.api.DeploymentView;
import dev.stagecraft.release.api.ReleaseRequest;
import dev.stagecraft.release.persistence.ReleaseEntity;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * The changes that both the REST API and the commands topic offer, each behind its one role rule, so
 * that a token is judged alike whichever way it arrives. Bodies are the JSON the REST endpoints take;
 * a malformed body, a missing role or a refused change is thrown as an {@code ApiProblem}, also before
 * the returned {@code Uni} exists.
 */
@ApplicationScoped
public class GuardedActions {
    private final ReleaseCatalog releases;
    private final DeploymentRequests requests;
    private final DeploymentApprovals approvals;
    private final Deployments deployments;
    private final JsonBodies bodies;

    public GuardedActions(ReleaseCatalog releases, DeploymentRequests requests, DeploymentApprovals approvals,
            Deployments deployments, JsonBodies bodies) {
        this.releases = releases;
        this.requests = requests;
        this.approvals = approvals;
        this.deployments = deployments;
        this.bodies = bodies;
    }

    /** A deployer of any scope; the role is checked before the body, so that outsiders learn nothing from it. */
    public Uni<ReleaseEntity> createRelease(Grants who, String body) {
        who.requireAnyDeployer();
        return releases.create(bodies.read(body, ReleaseRequest.class), who.name());
    }

    /**
     * A deployer of the environment asked for. A request naming no environment is invalid anyway; any
     * deployer may learn that, everyone else is refused first.
     */
    public Uni<DeploymentView> requestDeployment(Grants who, String body) {
        return requestDeployment(who, body, false);
    }

    /** {@code undoBreakGlass}: an admin's break-glass undo, which passes the approval gate too ({@code FleetUndo}). */
    public Uni<DeploymentView> requestDeployment(Grants who, String body, boolean undoBreakGlass) {
        DeploymentRequest request = bodies.read(body, DeploymentRequest.class);
        if (request != null && request.environment() != null) {
            who.requireDeployer(request.environment());
        } else {
            who.requireAnyDeployer();
        }
        return requests.request(request, who.name(), who.isAdmin(), undoBreakGlass);
    }

    /** An approver of the deployment's environment, who is not its requester (checked by the approval itself). */
    public Uni<DeploymentView> approve(Grants who, String deploymentId, String comment) {
        return inEnvironmentOf(deploymentId, who::requireApprover)
                .chain(() -> approvals.approve(deploymentId, who.name(), comment));
    }

    /** Roles may be scoped to an environment, which only the stored deployment knows (404 if there is none). */
    public Uni<Void> inEnvironmentOf(String deploymentId, Consumer<String> check) {
        return deployments.get(deploymentId).invoke(view -> check.accept(view.environment())).replaceWithVoid();
    }
}
