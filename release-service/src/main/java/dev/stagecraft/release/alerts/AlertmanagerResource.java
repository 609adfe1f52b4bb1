package dev.stagecraft.release.alerts;

import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;

import dev.stagecraft.platform.api.ApiProblem;
import dev.stagecraft.platform.api.JsonBodies;
import dev.stagecraft.platform.api.Problem;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.PermitAll;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

/**
 * Alertmanager's webhook receiver: {@code POST /api/v1/alerts/alertmanager} with Alertmanager's standard body and
 * {@code Authorization: Bearer <token of a receiver in STAGECRAFT_ALERT_RECEIVERS>}. Each firing alert labelled
 * with a service and an environment rolls back that service's deployment if it is baking there
 * ({@link AlertRollbacks}); the answer lists what was done with every alert. {@code @PermitAll} because these
 * tokens are not platform JWTs: {@link AlertReceivers} checks them here, before the body is read.
 */
@Path("/api/v1/alerts/alertmanager")
@PermitAll
@Consumes(MediaType.WILDCARD)
@Produces(MediaType.APPLICATION_JSON)
public class AlertmanagerResource {
    public record Answer(String receiver, int firing, int skipped, List<AlertRollbacks.Outcome> outcomes) {
    }

    private final AlertReceivers receivers;
    private final AlertRollbacks rollbacks;
    private final JsonBodies bodies;

    public AlertmanagerResource(AlertReceivers receivers, AlertRollbacks rollbacks, JsonBodies bodies) {
        this.receivers = receivers;
        this.rollbacks = rollbacks;
        this.bodies = bodies;
    }

    @POST
    public Uni<Answer> receive(@HeaderParam("Authorization") String authorization, String body) {
        String receiver = receivers.receiverOf(authorization).orElseThrow(() -> new ApiProblem(401, "Unauthorized",
                receivers.anyConfigured() ? "a receiver's bearer token is required (Authorization: Bearer …)"
                        : "no alert receiver is configured (STAGECRAFT_ALERT_RECEIVERS)", List.of()));
        AlertmanagerNotification.Read read = AlertmanagerNotification.read(parse(body));
        // One after the other, each in its own transaction: two alerts for one deployment roll it back once.
        return Multi.createFrom().iterable(read.firing())
                .onItem().transformToUniAndConcatenate(alert -> rollbacks.onFiring(alert, receiver))
                .collect().asList()
                .map(outcomes -> new Answer(receiver, read.firing().size(), read.skipped(), outcomes));
    }

    private JsonNode parse(String body) {
        if (body == null || body.isBlank()) {
            throw ApiProblem.badRequest("not an Alertmanager notification",
                    List.of(new Problem.Violation("body", "is empty")));
        }
        return bodies.read(body, JsonNode.class);
    }
}
