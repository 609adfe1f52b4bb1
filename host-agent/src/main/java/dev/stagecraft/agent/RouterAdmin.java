package dev.stagecraft.agent;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.stagecraft.contracts.RouteBackend;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * The agent's side of a router process's admin API on 127.0.0.1 ({@code dev.stagecraft.router.AdminApi}): set a
 * whole table, read it back. HttpURLConnection, as for liveness: no thread pool of its own.
 */
final class RouterAdmin {
    private static final int TIMEOUT_MILLIS = 2_000;

    /** A table as the router answers it; {@code busy}: backends at weight 0 still in flight after the drain timeout. */
    record Table(long generation, Map<String, RouteBackend> backends, List<String> busy) {
        Table {
            backends = backends == null ? Map.of() : Map.copyOf(backends);
            busy = busy == null ? List.of() : List.copyOf(busy);
        }
    }

    private final HttpLivenessCheck liveness = new HttpLivenessCheck(Duration.ofMillis(TIMEOUT_MILLIS));

    boolean isLive(RouterHandle router) {
        return liveness.isLive("127.0.0.1", router.adminPort());
    }

    /**
     * Sends the handle's spec as the whole table; answers the router's table after it (with {@code busy}). A router
     * that routes a newer generation already keeps it (409) and answers that.
     */
    Table put(RouterHandle router) throws IOException {
        ObjectNode body = Json.MAPPER.createObjectNode();
        body.put("generation", router.spec().generation());
        body.set("backends", Json.MAPPER.valueToTree(router.spec().backends()));
        body.put("drainTimeoutMillis", router.spec().drainTimeoutMillis());
        return call(router, "PUT", Json.MAPPER.writeValueAsBytes(body),
                (int) Math.min(Integer.MAX_VALUE, router.spec().drainTimeoutMillis() + TIMEOUT_MILLIS));
    }

    /** The table the router routes now: the read-back every change is confirmed by. */
    Table get(RouterHandle router) throws IOException {
        return call(router, "GET", null, TIMEOUT_MILLIS);
    }

    private static Table call(RouterHandle router, String method, byte[] body, int readTimeout) throws IOException {
        HttpURLConnection connection = (HttpURLConnection) new URL("http", "127.0.0.1", router.adminPort(), "/routes")
                .openConnection();
        try {
            connection.setRequestMethod(method);
            connection.setConnectTimeout(TIMEOUT_MILLIS);
            connection.setReadTimeout(readTimeout);
            connection.setRequestProperty("Authorization", "Bearer " + router.adminToken());
            if (body != null) {
                connection.setDoOutput(true);
                connection.setRequestProperty("Content-Type", "application/json");
                try (OutputStream out = connection.getOutputStream()) {
                    out.write(body);
                }
            }
            int status = connection.getResponseCode();
            try (InputStream in = status < 400 ? connection.getInputStream() : connection.getErrorStream()) {
                byte[] answer = in == null ? new byte[0] : in.readAllBytes();
                if (status == 200 || status == 409) {
                    return Json.MAPPER.readValue(answer, Table.class);
                }
                throw new IOException(method + " /routes answered " + status + ": "
                        + new String(answer, StandardCharsets.UTF_8));
            }
        } finally {
            connection.disconnect();
        }
    }
}
