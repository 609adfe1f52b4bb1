package dev.stagecraft.release.commands;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import org.jose4j.jwt.consumer.ErrorCodes;
import org.jose4j.jwt.consumer.InvalidJwtException;

import dev.stagecraft.platform.api.ApiProblem;
import dev.stagecraft.platform.api.Problem;
import dev.stagecraft.platform.security.Grants;
import io.smallrye.jwt.auth.principal.JWTParser;
import io.smallrye.jwt.auth.principal.ParseException;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.jwt.JsonWebToken;

/**
 * Verifies a command's {@code authorization: Bearer <JWT>} header with the parser and configuration the
 * REST API uses ({@code mp.jwt.verify.*}: the same key, issuer, audience and expiry rules), and gives the
 * holder's {@link Grants}. A token that does not verify is a 401 problem that says why.
 *
 * <p>A command record can be copied off the topic by anyone who may read it, so command tokens must be
 * short-lived (issued and expiring, at most {@code stagecraft.commands.max-token-lifetime} apart, 10 minutes by
 * default) and carry a {@code jti}, which {@link UsedTokens} lets act once.
 */
@ApplicationScoped
public class CommandAuthenticator {
    /** Far beyond any real token; keeps a garbage header from costing a parse. */
    static final int MAX_TOKEN = 16_384;
    private static final String BEARER = "bearer ";

    static final int MAX_TOKEN_ID = 200;

    private final JWTParser parser;
    private final Duration maxLifetime;

    public CommandAuthenticator(JWTParser parser,
            @ConfigProperty(name = "stagecraft.commands.max-token-lifetime", defaultValue = "10m") Duration maxLifetime) {
        this.parser = parser;
        this.maxLifetime = maxLifetime;
    }

    public CommandToken authenticate(String authorization) {
        if (authorization == null || authorization.isBlank()) {
            throw unauthorised("no token: send the header authorization: Bearer <JWT>");
        }
        if (!authorization.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
            throw unauthorised("the authorization header must be 'Bearer <JWT>'");
        }
        String token = authorization.substring(BEARER.length()).strip();
        if (token.isEmpty()) {
            throw unauthorised("no token after 'Bearer '");
        }
        if (token.length() > MAX_TOKEN) {
            throw unauthorised("the token is longer than " + MAX_TOKEN + " characters");
        }
        JsonWebToken jwt;
        try {
            jwt = parser.parse(token);
        } catch (ParseException | RuntimeException e) {
            throw unauthorised(why(e));
        }
        Instant issued = instant(jwt, "iat");
        Instant expires = instant(jwt, "exp");
        if (issued == null || expires == null) {
            throw unauthorised("a command token needs iat and exp (a short-lived token)");
        }
        if (Duration.between(issued, expires).compareTo(maxLifetime) > 0) {
            throw unauthorised("a command token may live at most " + maxLifetime.toMinutes() + " minutes from iat to"
                    + " exp; this one lives " + Duration.between(issued, expires).toMinutes() + " minutes");
        }
        String id = jwt.getTokenID();
        if (id == null || id.isBlank()) {
            throw unauthorised("a command token needs a jti: each token acts once");
        }
        if (id.length() > MAX_TOKEN_ID) {
            throw unauthorised("the token's jti is longer than " + MAX_TOKEN_ID + " characters");
        }
        return new CommandToken(new Grants(jwt.getName(), jwt.getGroups()), id, expires);
    }

    /** A NumericDate claim, or null if it is absent or not a number. */
    private static Instant instant(JsonWebToken jwt, String claim) {
        Object value = jwt.getClaim(claim);
        if (value instanceof jakarta.json.JsonNumber number) {
            return Instant.ofEpochSecond(number.longValue());
        }
        if (value instanceof Number number) {
            return Instant.ofEpochSecond(number.longValue());
        }
        return null;
    }

    /** The token's fault in a few words; the parser's own messages are wrapped several layers deep. */
    static String why(Throwable failure) {
        for (Throwable t = failure; t != null && t.getCause() != t; t = t.getCause()) {
            if (t instanceof InvalidJwtException invalid) {
                if (invalid.hasExpired()) {
                    return "token expired";
                }
                if (invalid.hasErrorCode(ErrorCodes.SIGNATURE_INVALID)) {
                    return "token signature is not valid: it was not signed by a key this service trusts";
                }
                if (invalid.hasErrorCode(ErrorCodes.ISSUER_INVALID) || invalid.hasErrorCode(ErrorCodes.ISSUER_MISSING)) {
                    return "token issuer is not the one this service trusts";
                }
                if (invalid.hasErrorCode(ErrorCodes.ISSUED_AT_MISSING) || invalid.hasErrorCode(ErrorCodes.EXPIRATION_MISSING)) {
                    return "a command token needs iat and exp (a short-lived token)";
                }
                if (invalid.hasErrorCode(ErrorCodes.AUDIENCE_INVALID) || invalid.hasErrorCode(ErrorCodes.AUDIENCE_MISSING)) {
                    return "token audience is not stagecraft";
                }
            }
        }
        Throwable root = failure;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String message = root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
        return "token is not valid: " + CommandEnvelopes.shorten(message);
    }

    private static ApiProblem unauthorised(String why) {
        return new ApiProblem(401, "Unauthorized", why, List.of(new Problem.Violation("authorization", why)));
    }
}
