package dev.stagecraft.release.api;

import java.util.List;
import java.util.Locale;

import dev.stagecraft.platform.api.Problem;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.Response;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

/**
 * The NUL character (%00) in a path or query parameter would reach a database lookup, which PostgreSQL
 * refuses with an error (a 500). No name or id can contain it, so such a request is answered 400 here.
 */
public class NulFreeUrls {

    @ServerRequestFilter(preMatching = true)
    public Response refuseNul(ContainerRequestContext request) {
        var uri = request.getUriInfo().getRequestUri();
        String raw = (uri.getRawPath() == null ? "" : uri.getRawPath()) + "?"
                + (uri.getRawQuery() == null ? "" : uri.getRawQuery());
        if (!raw.toLowerCase(Locale.ROOT).contains("%00") && raw.indexOf('\u0000') < 0) {
            return null;
        }
        return Response.status(400).type(Problem.MEDIA_TYPE).entity(new Problem("about:blank", "Bad Request", 400,
                "the URL contains the NUL character (%00)", List.of(new Problem.Violation("url",
                        "no name, id or parameter may contain %00")))).build();
    }
}
