package dev.stagecraft.sample;

import com.sun.net.httpserver.HttpHandler;
import java.util.Optional;

/** Liveness and readiness probes, in the shape MicroProfile Health (and so Quarkus) answers. */
final class HealthHandlers {

    private static final String UP = Json.object("status", "UP");

    private HealthHandlers() {
    }

    /** Alive whenever the process can answer at all; injected faults never make it restart. */
    static HttpHandler live() {
        return exchange -> Responses.json(exchange, 200, UP);
    }

    static HttpHandler ready(Readiness readiness) {
        return exchange -> {
            Optional<String> reason = readiness.notReadyReason();
            if (reason.isPresent()) {
                Responses.json(exchange, 503, Json.object("status", "DOWN", "reason", reason.get()));
            } else {
                Responses.json(exchange, 200, UP);
            }
        };
    }
}
