package dev.stagecraft.release.flags;

import java.util.Map;
import java.util.Optional;


import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.stagecraft.release.flags.engine.ErrorCode;
import dev.stagecraft.release.flags.engine.Evaluation;
import dev.stagecraft.release.flags.engine.FlagDefinition;
import dev.stagecraft.release.flags.engine.CanaryOverride;
import io.smallrye.jwt.auth.principal.JWTParser;
import io.smallrye.jwt.auth.principal.ParseException;
import jakarta.annotation.security.PermitAll;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

/**
 * The OpenFeature Remote Evaluation Protocol (OFREP 0.3): single and bulk evaluation. The flags evaluated are those
 * of the service and environment the caller's OFREP token names; nothing else in the request can widen that.
 * {@code @PermitAll} because the platform's JWT mechanism does not know these tokens: this class checks them
 * itself, before anything else. Evaluations are served from {@link FlagCache} and, for the instances of a running
 * canary with flag overrides, {@link CanaryFlagOverrides}; no request touches the database.
 */
@Path("/ofrep/v1/evaluate/flags")
@PermitAll
@Produces(MediaType.APPLICATION_JSON)
public class OfrepResource {
    private final OfrepTokens tokens;
    private final OfrepRateLimiter limiter;
    private final FlagCache cache;
    private final ObjectMapper mapper;
    private final JWTParser platformTokens;
    private final CanaryFlagOverrides canaryOverrides;

    public OfrepResource(OfrepTokens tokens, OfrepRateLimiter limiter, FlagCache cache, ObjectMapper mapper,
            JWTParser platformTokens, CanaryFlagOverrides canaryOverrides) {
        this.tokens = tokens;
        this.canaryOverrides = canaryOverrides;
        this.limiter = limiter;
        this.cache = cache;
        this.mapper = mapper;
        this.platformTokens = platformTokens;
    }

    @POST
    @Path("/{key}")
    public Response evaluate(@PathParam("key") String key, @HeaderParam("Authorization") String authorization,
            @HeaderParam("X-API-Key") String apiKey, String body) {
        Admission admission = admit(authorization, apiKey);
        if (admission.refusal() != null) {
            return admission.refusal();
        }
        Context context = context(body, key);
        if (context.failure() != null) {
            return Response.status(400).entity(context.failure()).build();
        }
        FlagDefinition flag = cache.snapshot(admission.scope()).flags().get(key);
        if (flag == null) {
            return Response.status(404).entity(OfrepAnswers.failure(key, ErrorCode.FLAG_NOT_FOUND,
                    "flag '" + key + "' was not found in " + admission.scope(), mapper)).build();
        }
        Map<String, String> overrides = canaryOverrides.of(admission.claims());
        Evaluation evaluation = CanaryOverride.evaluate(flag, context.node(), overrides.get(key),
                admission.claims().deploymentId());
        return Response.status(evaluation.failed() ? 400 : 200).entity(OfrepAnswers.of(evaluation, mapper)).build();
    }

    @POST
    public Response evaluateAll(@HeaderParam("Authorization") String authorization,
            @HeaderParam("X-API-Key") String apiKey, @HeaderParam("If-None-Match") String ifNoneMatch, String body) {
        Admission admission = admit(authorization, apiKey);
        if (admission.refusal() != null) {
            return admission.refusal();
        }
        Context context = context(body, null);
        if (context.failure() != null) {
            return Response.status(400).entity(context.failure()).build();
        }
        FlagCache.Snapshot snapshot = cache.snapshot(admission.scope());
        Map<String, String> overrides = canaryOverrides.of(admission.claims());
        // The answer depends on the flags, on the context and on a running canary's overrides: the ETag covers all,
        // so an instance's next poll sees its overrides go when its canary ends.
        String etag = "\"" + FlagCache.sha256(snapshot.revision() + "|" + context.node().toString() + "|"
                + new java.util.TreeMap<>(overrides)).substring(0, 32) + "\"";
        if (ifNoneMatch != null && ifNoneMatch.trim().equals(etag)) {
            return Response.notModified().header("ETag", etag).build();
        }
        ObjectNode answer = mapper.createObjectNode();
        ArrayNode flags = answer.putArray("flags");
        String deployment = admission.claims().deploymentId();
        snapshot.flags().values().forEach(flag -> flags.add(OfrepAnswers.of(CanaryOverride.evaluate(flag,
                context.node(), overrides.get(flag.key()), deployment), mapper)));
        ObjectNode metadata = answer.putObject("metadata");
        metadata.put("service", admission.scope().service());
        metadata.put("environment", admission.scope().environment());
        return Response.ok(answer).header("ETag", etag).build();
    }

    private record Admission(OfrepTokens.Claims claims, Response refusal) {
        FlagScope scope() {
            return claims.scope();
        }
    }

    private Admission admit(String authorization, String apiKey) {
        String token = apiKey != null && !apiKey.isBlank() ? apiKey.trim() : bearer(authorization);
        if (token == null) {
            return new Admission(null, refuse(401, "an OFREP token is required (Authorization: Bearer ofrep_…)"));
        }
        Optional<OfrepTokens.Claims> claims = tokens.verify(token);
        if (claims.isEmpty()) {
            if (isPlatformToken(token)) {
                return new Admission(null, refuse(403,
                        "platform tokens do not evaluate flags; use an OFREP token scoped to one service and environment"));
            }
            return new Admission(null, refuse(401, "the OFREP token is not valid or has expired"));
        }
        long wait = limiter.acquire(claims.get().tokenId(), claims.get().ratePerSecond());
        if (wait > 0) {
            return new Admission(null, Response.status(429).header("Retry-After", String.valueOf(wait))
                    .type("application/problem+json").entity(problem(429, "Too Many Requests",
                            "this token's rate limit is exceeded; retry after " + wait + "s")).build());
        }
        return new Admission(claims.get(), null);
    }

    private boolean isPlatformToken(String token) {
        try {
            platformTokens.parse(token);
            return true;
        } catch (ParseException | RuntimeException e) {
            return false;
        }
    }

    private static String bearer(String authorization) {
        if (authorization == null || !authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return null;
        }
        String token = authorization.substring(7).trim();
        return token.isEmpty() ? null : token;
    }

    private Response refuse(int status, String detail) {
        Response.ResponseBuilder answer = Response.status(status).type("application/problem+json")
                .entity(problem(status, status == 401 ? "Unauthorized" : "Forbidden", detail));
        if (status == 401) {
            answer.header("WWW-Authenticate", "Bearer realm=\"ofrep\"");
        }
        return answer.build();
    }

    private ObjectNode problem(int status, String title, String detail) {
        ObjectNode problem = mapper.createObjectNode();
        problem.put("type", "about:blank");
        problem.put("title", title);
        problem.put("status", status);
        problem.put("detail", detail);
        return problem;
    }

    /** The request's context object, or the 400 answer (PARSE_ERROR, INVALID_CONTEXT) that refuses it. */
    private record Context(JsonNode node, ObjectNode failure) {
    }

    private Context context(String body, String key) {
        JsonNode request;
        try {
            request = body == null || body.isBlank() ? null : mapper.readTree(body);
        } catch (JsonProcessingException e) {
            return new Context(null, OfrepAnswers.failure(key, ErrorCode.PARSE_ERROR,
                    "the request body is not JSON: " + e.getOriginalMessage(), mapper));
        }
        if (request == null || !request.isObject()) {
            return new Context(null, OfrepAnswers.failure(key, ErrorCode.PARSE_ERROR,
                    "the request body must be a JSON object {\"context\": {…}}", mapper));
        }
        JsonNode context = request.get("context");
        if (context == null || !context.isObject()) {
            return new Context(null, OfrepAnswers.failure(key, ErrorCode.INVALID_CONTEXT,
                    "the request needs a context object", mapper));
        }
        JsonNode targetingKey = context.get("targetingKey");
        if (targetingKey != null && !targetingKey.isNull() && !targetingKey.isTextual()) {
            return new Context(null, OfrepAnswers.failure(key, ErrorCode.INVALID_CONTEXT,
                    "targetingKey must be a string", mapper));
        }
        return new Context(context, null);
    }
}
