package dev.stagecraft.release.commands;

import java.util.List;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.stagecraft.contracts.EventTypes;
import dev.stagecraft.platform.api.JsonBodies;
import dev.stagecraft.platform.api.Violations;
import dev.stagecraft.platform.security.Grants;
import dev.stagecraft.release.api.DeploymentView;
import dev.stagecraft.release.domain.GuardedActions;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * What each command type does: the same {@link GuardedActions} the REST endpoints call, with the command's
 * data as their body and the token's holder as the caller. A refusal is thrown as the REST endpoint would
 * answer it (an {@code ApiProblem}).
 */
@ApplicationScoped
public class CommandHandlers {
    public static final List<String> TYPES = List.of(EventTypes.COMMAND_CREATE_RELEASE,
            EventTypes.COMMAND_REQUEST_DEPLOYMENT, EventTypes.COMMAND_APPROVE_DEPLOYMENT);
    /** Deployment ids are UUIDs; anything else cannot name one, nor serve as the outcome's Kafka key. */
    static final Pattern DEPLOYMENT_ID = Pattern.compile(
            "[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");

    /** What an accepted command did; {@code deploymentId} when it concerns one. */
    public record Accepted(String deploymentId, String detail) {
    }

    private final GuardedActions actions;
    private final JsonBodies bodies;
    private final ObjectMapper mapper;

    public CommandHandlers(GuardedActions actions, JsonBodies bodies, ObjectMapper mapper) {
        this.actions = actions;
        this.bodies = bodies;
        this.mapper = mapper;
    }

    /** {@code command.type()} must be one of {@link #TYPES}. */
    public Uni<Accepted> handle(CommandEnvelope command, Grants who) {
        return switch (command.type()) {
            case EventTypes.COMMAND_CREATE_RELEASE -> actions.createRelease(who, command.data())
                    .map(r -> new Accepted(null, "release " + r.service + " " + r.version + " created by " + who.name()));
            case EventTypes.COMMAND_REQUEST_DEPLOYMENT -> actions.requestDeployment(who, command.data())
                    .map(d -> new Accepted(d.id(), "deployment " + d.id() + " of " + d.service() + " " + d.version()
                            + " to " + d.environment() + " requested by " + who.name() + ": " + standing(d)));
            case EventTypes.COMMAND_APPROVE_DEPLOYMENT -> approve(command, who);
            default -> throw new IllegalArgumentException("not a command type: " + command.type());
        };
    }

    private Uni<Accepted> approve(CommandEnvelope command, Grants who) {
        ApproveDeployment approval = bodies.read(command.data(), ApproveDeployment.class);
        Violations v = new Violations();
        if (approval == null || approval.deploymentId() == null || approval.deploymentId().isBlank()) {
            v.add("deploymentId", "is required: the id of the deployment to approve");
        } else if (!DEPLOYMENT_ID.matcher(approval.deploymentId()).matches()) {
            v.add("deploymentId", CommandEnvelopes.quote(approval.deploymentId()) + " is not a deployment id (a UUID)");
        }
        v.throwIfAny("the approval is not valid");
        return actions.approve(who, approval.deploymentId(), approval.comment())
                .map(d -> new Accepted(d.id(), "deployment " + d.id() + " approved by " + who.name() + ": "
                        + standing(d)));
    }

    /**
     * The deployment a command concerns, read from its data before anything else is checked, so that
     * even its rejection can be keyed by (and ordered with) that deployment. Null if the data names none.
     */
    String deploymentIdOf(CommandEnvelope command) {
        if (!EventTypes.COMMAND_APPROVE_DEPLOYMENT.equals(command.type()) || command.data() == null) {
            return null;
        }
        try {
            JsonNode id = mapper.readTree(command.data()).path("deploymentId");
            return id.isTextual() && DEPLOYMENT_ID.matcher(id.textValue()).matches() ? id.textValue() : null;
        } catch (Exception e) {
            return null; // the handler names what is wrong with the data
        }
    }

    private static String standing(DeploymentView d) {
        String status = d.status();
        if ("AWAITING_APPROVAL".equals(status)) {
            return status + ", waiting for approval by someone else";
        }
        if (d.waitingFor() != null) {
            return status + ", queued behind deployment " + d.waitingFor();
        }
        return status;
    }
}
