package dev.stagecraft.release.flags;

import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.stagecraft.platform.api.JsonBodies;
import dev.stagecraft.platform.api.Violations;
import dev.stagecraft.release.flags.engine.FlagValidation;
import dev.stagecraft.platform.security.Caller;
import io.quarkus.security.Authenticated;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.core.Response;

/**
 * Feature flags per service and environment. Changing them (and minting OFREP tokens for them) takes a deployer
 * of that environment ({@code deployer}, {@code deployer:ENV}) or an admin; every role may read them.
 */
@Path("/api/v1/flags/{service}/{environment}")
@Authenticated
public class FlagResource {
    private final FlagStore store;
    private final FlagCache cache;
    private final OfrepTokens tokens;
    private final JsonBodies bodies;
    private final Caller caller;
    private final ObjectMapper mapper;

    public FlagResource(FlagStore store, FlagCache cache, OfrepTokens tokens, JsonBodies bodies, Caller caller,
            ObjectMapper mapper) {
        this.store = store;
        this.cache = cache;
        this.tokens = tokens;
        this.bodies = bodies;
        this.caller = caller;
        this.mapper = mapper;
    }

    @PUT
    @Path("/{key}")
    public Uni<ObjectNode> put(@PathParam("service") String service, @PathParam("environment") String environment,
            @PathParam("key") String key, String body) {
        caller.requireDeployer(environment);
        requireNames(service, environment);
        JsonNode tree = bodies.read(body, JsonNode.class);
        return store.put(service, environment, key, tree, caller.name())
                .invoke(cache::apply)
                .map(flag -> FlagView.of(flag, mapper));
    }

    @GET
    public Uni<List<ObjectNode>> list(@PathParam("service") String service, @PathParam("environment") String environment) {
        caller.requireViewer();
        return store.list(service, environment).map(flags -> flags.stream().map(f -> FlagView.of(f, mapper)).toList());
    }

    @GET
    @Path("/{key}")
    public Uni<ObjectNode> get(@PathParam("service") String service, @PathParam("environment") String environment,
            @PathParam("key") String key) {
        caller.requireViewer();
        return store.get(service, environment, key).map(flag -> FlagView.of(flag, mapper));
    }

    @DELETE
    @Path("/{key}")
    public Uni<Response> delete(@PathParam("service") String service, @PathParam("environment") String environment,
            @PathParam("key") String key) {
        caller.requireDeployer(environment);
        return store.delete(service, environment, key, caller.name())
                .invoke(() -> cache.remove(new FlagScope(service, environment), key))
                .map(nothing -> Response.noContent().build());
    }

    /**
     * An OFREP token for this service and environment, for people's own applications ({@code ttl} e.g. "30d", at
     * most {@link OfrepTokens#MAX_TTL}; {@code ratePerSecond} lowers the configured limit for this token).
     */
    @POST
    @Path("/tokens")
    public Response mint(@PathParam("service") String service, @PathParam("environment") String environment,
            String body) {
        caller.requireDeployer(environment);
        requireNames(service, environment);
        TokenRequest request = bodies.read(body, TokenRequest.class);
        OfrepTokens.Minted minted = tokens.mint(new FlagScope(service, environment),
                request == null ? null : request.ttl(), request == null ? null : request.ratePerSecond());
        return Response.status(201).entity(minted).build();
    }

    public record TokenRequest(String ttl, Integer ratePerSecond) {
    }

    private static void requireNames(String service, String environment) {
        Violations violations = new Violations();
        violations.require(FlagValidation.KEY.matcher(service).matches(), "service",
                "'" + service + "' must be 1-128 letters, digits, '.', '_' or '-'");
        violations.require(FlagValidation.KEY.matcher(environment).matches(),
                "environment", "'" + environment + "' must be 1-128 letters, digits, '.', '_' or '-'");
        violations.throwIfAny("the flag's address is not valid");
    }

}
