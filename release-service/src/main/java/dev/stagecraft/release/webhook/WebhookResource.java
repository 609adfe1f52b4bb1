package dev.stagecraft.release.webhook;

import java.net.URI;
import java.util.List;

import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;

import dev.stagecraft.platform.api.JsonBodies;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.core.Response;

/**
 * Outgoing webhooks: subscribe a URL to lifecycle events, and see how each delivery went. Admins only,
 * reads included: a subscription decides where the platform sends data, and its URL may embed the
 * receiver's own token.
 */
@Path("/api/v1/webhooks")
@RolesAllowed("admin")
public class WebhookResource {
    private final WebhookSubscriptions subscriptions;
    private final JsonBodies bodies;

    public WebhookResource(WebhookSubscriptions subscriptions, JsonBodies bodies) {
        this.subscriptions = subscriptions;
        this.bodies = bodies;
    }

    /** 201 {id, url, events, secret: "***", createdAt}; 400 naming every invalid field. */
    @POST
    public Uni<Response> subscribe(@RequestBody(content = @Content(mediaType = "application/json",
            schema = @Schema(implementation = SubscriptionRequest.class))) String body) {
        return subscriptions.create(bodies.read(body, SubscriptionRequest.class)).map(view -> Response
                .created(URI.create("/api/v1/webhooks/" + view.id())).entity(view).build());
    }

    @GET
    public Uni<List<SubscriptionView>> list() {
        return subscriptions.list();
    }

    @DELETE
    @Path("/{id}")
    public Uni<Response> unsubscribe(@PathParam("id") String id) {
        return subscriptions.delete(id).map(ignored -> Response.noContent().build());
    }

    @GET
    @Path("/{id}/deliveries")
    public Uni<List<DeliveryView>> deliveries(@PathParam("id") String id) {
        return subscriptions.deliveries(id);
    }
}
