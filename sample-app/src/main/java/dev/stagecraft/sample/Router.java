package dev.stagecraft.sample;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import java.io.IOException;
import java.util.Map;

/**
 * Dispatches on the exact path. HttpServer contexts match by prefix, which would let
 * {@code /anything} reach the root handler and be counted as application traffic.
 */
final class Router implements HttpHandler {

    private final Map<String, HttpHandler> routes;

    Router(Map<String, HttpHandler> routes) {
        this.routes = Map.copyOf(routes);
    }

    @Override
    public void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            HttpHandler handler = routes.get(exchange.getRequestURI().getPath());
            if (handler == null) {
                Responses.json(exchange, 404, Json.object("error", "not found"));
            } else if (!"GET".equals(exchange.getRequestMethod())) {
                exchange.getResponseHeaders().set("Allow", "GET");
                Responses.json(exchange, 405, Json.object("error", "method not allowed"));
            } else {
                handler.handle(exchange);
            }
        }
    }
}
