package dev.stagecraft.release.commands;

import java.util.List;

import org.jose4j.jwt.consumer.ErrorCodes;
import org.jose4j.jwt.consumer.InvalidJwtException;

import dev.stagecraft.platform.api.ApiProblem;
import dev.stagecraft.platform.api.Problem;
import dev.stagecraft.platform.security.Grants;
import io.smallrye.jwt.auth.principal.JWTParser;
import io.smallrye.jwt.auth.principal.ParseException;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.jwt.JsonWebToken;

/**
 * Verifies a command's {@code authorization: Bearer <JWT>} header with the parser and configuration the
 * REST API uses ({@code mp.jwt.verify.*}: the same key, issuer and expiry rules), and gives the
 * holder's {@link Grants}. A token that does not verify is a 401 problem that says why.
 */
@ApplicationScoped
public class CommandAuthenticator {
    /** Far beyond any real token; keeps a garbage header from costing a parse. */
    static final int MAX_TOKEN = 16_384;
    private static final String BEARER = "bearer ";

    private final JWTParser parser;

    public CommandAuthenticator(JWTParser parser) {
        this.parser = parser;
    }

    public Grants authenticate(String authorization) {
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
        try {
            JsonWebToken jwt = parser.parse(token);
            return new Grants(jwt.getName(), jwt.getGroups());
        } catch (ParseException | RuntimeException e) {
            throw unauthorised(why(e));
        }
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
