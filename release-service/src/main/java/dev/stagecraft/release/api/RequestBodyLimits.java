package dev.stagecraft.release.api;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.Router;

/**
 * The HTTP server's body limit ({@code quarkus.http.limits.max-body-size}) must let artifact uploads through,
 * so it is as large as the artifact limit. JSON endpoints read whole bodies into memory, so everything but an
 * upload keeps the small limit here, refused from its Content-Length before a byte is read.
 */
@ApplicationScoped
public class RequestBodyLimits {
    static final long MAX_JSON_BODY = 10L * 1024 * 1024;
    static final String UPLOAD_PATH = "/api/v1/artifacts";

    void install(@Observes Router router) {
        router.route().order(-3).handler(context -> {
            boolean upload = context.request().method() == HttpMethod.POST
                    && UPLOAD_PATH.equals(context.normalizedPath());
            if (!upload && declaredLength(context.request().getHeader("Content-Length")) > MAX_JSON_BODY) {
                context.response().setStatusCode(413).putHeader("Content-Type", "application/problem+json")
                        .putHeader("Connection", "close")
                        .end("{\"type\":\"about:blank\",\"title\":\"Content Too Large\",\"status\":413,"
                                + "\"detail\":\"the request body is larger than " + MAX_JSON_BODY + " bytes\","
                                + "\"errors\":[{\"field\":\"body\",\"message\":\"at most " + MAX_JSON_BODY
                                + " bytes\"}]}");
                return;
            }
            context.next();
        });
    }

    private static long declaredLength(String header) {
        try {
            return header == null ? 0 : Long.parseLong(header.trim());
        } catch (NumberFormatException e) {
            return 0; // the server's own parser answers a malformed length
        }
    }
}
