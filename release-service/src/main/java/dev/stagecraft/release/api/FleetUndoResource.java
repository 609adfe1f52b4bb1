package dev.stagecraft.release.api;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;

import dev.stagecraft.platform.api.ApiProblem;
import dev.stagecraft.platform.api.JsonBodies;
import dev.stagecraft.platform.api.Problem;
import dev.stagecraft.platform.security.Caller;
import dev.stagecraft.release.domain.FleetUndo;
import io.quarkus.security.Authenticated;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.core.Response;

/**
 * Undo: deploy the fleet's last stable release again, as a deployment of its own (202 with its view, like
 * {@code POST /api/v1/deployments}, and {@code "undo": "redeploy"}), or, while a deployment of the fleet still runs,
 * roll that one back (its view, {@code "undo": "rollback"}; blue/green within scaleDownDelay: an instant switch). Lives here rather than on inventory-service because release-service owns
 * the releases, the deployments and their gates.
 */
@Path("/api/v1/fleets/{service}/{environment}/undo")
@Authenticated
public class FleetUndoResource {
    private static final Set<String> TEXT_FIELDS = Set.of("toVersion", "reason");
    private final FleetUndo undo;
    private final JsonBodies bodies;
    private final Caller caller;
    private final com.fasterxml.jackson.databind.ObjectMapper json;

    public FleetUndoResource(FleetUndo undo, JsonBodies bodies, Caller caller,
            com.fasterxml.jackson.databind.ObjectMapper json) {
        this.undo = undo;
        this.bodies = bodies;
        this.caller = caller;
        this.json = json;
    }

    @POST
    public Uni<Response> undo(@PathParam("service") String service, @PathParam("environment") String environment,
            @RequestBody(content = @Content(mediaType = "application/json", schema = @Schema(implementation = UndoBody.class))) String body) {
        caller.grants().requireDeployer(environment);
        UndoBody request = body == null || body.isBlank() ? null : read(body);
        return undo.undo(caller.grants(), service, environment, request).map(undone -> {
            // The deployment's view plus "undo": "redeploy" (a new deployment) or "rollback" (of the running one).
            ObjectNode answer = json.valueToTree(undone.deployment());
            answer.put("undo", undone.mode().name().toLowerCase(java.util.Locale.ROOT));
            return Response.accepted(answer).location(URI.create("/api/v1/deployments/" + undone.deployment().id()))
                    .build();
        });
    }

    /** Strict: a misspelt field must not turn into an undo to the default version. */
    private UndoBody read(String body) {
        JsonNode tree = bodies.read(body, JsonNode.class);
        List<Problem.Violation> problems = new ArrayList<>();
        if (tree == null || !tree.isObject()) {
            throw ApiProblem.badRequest("invalid undo request", List.of(new Problem.Violation("body", "must be a JSON object")));
        }
        tree.fieldNames().forEachRemaining(field -> {
            if (!TEXT_FIELDS.contains(field) && !"override".equals(field)) {
                problems.add(new Problem.Violation(field, "unknown field (allowed: toVersion, reason, override)"));
            }
        });
        if (tree.has("override") && !tree.get("override").isBoolean() && !tree.get("override").isNull()) {
            problems.add(new Problem.Violation("override", "must be true or false"));
        }
        for (String field : TEXT_FIELDS) {
            if (tree.has(field) && !tree.get(field).isTextual() && !tree.get(field).isNull()) {
                problems.add(new Problem.Violation(field, "must be a string"));
            }
        }
        if (!problems.isEmpty()) {
            throw ApiProblem.badRequest("invalid undo request", problems);
        }
        return new UndoBody(text(tree, "toVersion"), text(tree, "reason"), tree.path("override").asBoolean(false));
    }

    private static String text(JsonNode tree, String field) {
        JsonNode value = tree.get(field);
        return value == null || value.isNull() ? null : value.asText();
    }
}
