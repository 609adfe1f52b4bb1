package dev.stagecraft.router;

import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeoutException;

import dev.stagecraft.router.RequestOutcomes.Outcome;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * One request through a fleet's entry point: pick an instance by weight, stream the request to it and
 * its answer back. An instance that does not accept the connection is replaced by another once,
 * since nothing was sent yet; once the request has been sent it is never retried, because it may not
 * be idempotent.
 */
final class ProxiedRequest {
    public static final String INSTANCE_HEADER = "X-Stagecraft-Instance";
    /**
     * Per connection, not per message (RFC 9110 7.6.1), and the backend gets its own Host. Expect is
     * answered by this server itself (100-continue), so the instance must not wait for a body twice.
     */
    private static final Set<String> NOT_FORWARDED = caseInsensitive(Set.of("connection", "keep-alive",
            "proxy-authenticate", "proxy-authorization", "proxy-connection", "te", "trailer", "transfer-encoding",
            "upgrade", "host", "expect"));

    private final FleetProxy fleet;
    private final HttpServerRequest request;
    private final HttpClient client;
    private final ProxySettings settings;
    private final RequestOutcomes metrics;
    private final long arrived = System.nanoTime();

    ProxiedRequest(FleetProxy fleet, HttpServerRequest request, HttpClient client, ProxySettings settings,
            RequestOutcomes metrics) {
        this.fleet = fleet;
        this.request = request;
        this.client = client;
        this.settings = settings;
        this.metrics = metrics;
    }

    void run() {
        // A body waits here until an instance has accepted the connection, so that a retry can still send it. A
        // request without one is not paused: pausing and resuming turn reading of the connection off and on again,
        // on every request.
        if (hasBody()) {
            request.pause();
        }
        attempt(null, null);
    }

    private void attempt(String refusedBy, String refusal) {
        FleetProxy.Lease lease = fleet.lease(refusedBy);
        if (lease == null) {
            if (refusedBy == null) {
                metrics.count(fleet.key(), RequestOutcomes.NO_INSTANCE, Outcome.UNAVAILABLE, elapsed());
                problem(503, "Service Unavailable", "no instance of " + fleet.key() + " is in service");
            } else {
                problem(502, "Bad Gateway", refusal + "; no other instance is in service");
            }
            return;
        }
        client.request(options(lease)).onComplete(connected -> {
            if (connected.failed()) {
                lease.release();
                String why = "instance " + lease.instanceId() + " at " + lease.backend().address()
                        + " did not accept the connection (" + connected.cause().getMessage() + ")";
                if (refusedBy == null) {
                    metrics.count(fleet.key(), lease.instanceId(), Outcome.UNREACHABLE);
                    attempt(lease.instanceId(), why);
                } else {
                    metrics.count(fleet.key(), lease.instanceId(), Outcome.UNREACHABLE, elapsed());
                    problem(502, "Bad Gateway", refusal + "; " + why);
                }
                return;
            }
            forward(connected.result(), lease);
        });
    }

    private RequestOptions options(FleetProxy.Lease lease) {
        return new RequestOptions().setMethod(request.method()).setHost(lease.host()).setPort(lease.port())
                .setURI(relativeUri()).setConnectTimeout(settings.connectTimeout().toMillis())
                .setIdleTimeout(settings.requestTimeout().toMillis());
    }

    private void forward(HttpClientRequest out, FleetProxy.Lease lease) {
        copy(request.headers(), out.headers());
        out.headers().add("X-Forwarded-For", request.remoteAddress() == null ? "" : request.remoteAddress().host());
        String host = request.headers().get(HttpHeaders.HOST);
        if (host != null) {
            out.headers().set("X-Forwarded-Host", host);
        }
        out.headers().set("X-Forwarded-Proto", "http");
        // A client that goes away stops the instance's work too.
        request.response().closeHandler(closed -> out.reset());
        Future<HttpClientResponse> answered;
        if (hasBody()) {
            answered = out.send(request);
        } else {
            answered = out.send();
        }
        answered.onComplete(response -> {
            if (response.failed()) {
                lease.release();
                metrics.count(fleet.key(), lease.instanceId(), Outcome.FAILED, elapsed());
                String where = "instance " + lease.instanceId() + " at " + lease.backend().address();
                if (response.cause() instanceof TimeoutException) {
                    problem(504, "Gateway Timeout", where + " did not answer within " + settings.requestTimeout());
                } else {
                    problem(502, "Bad Gateway", where + " failed to answer: " + response.cause().getMessage());
                }
                return;
            }
            relay(response.result(), lease);
        });
    }

    private void relay(HttpClientResponse in, FleetProxy.Lease lease) {
        HttpServerResponse out = request.response();
        if (out.closed()) {
            in.request().reset();
            lease.release();
            return;
        }
        out.setStatusCode(in.statusCode());
        if (in.statusMessage() != null) {
            out.setStatusMessage(in.statusMessage());
        }
        copy(in.headers(), out.headers());
        out.putHeader(INSTANCE_HEADER, lease.instanceId());
        if (!in.headers().contains(HttpHeaders.CONTENT_LENGTH) && bodyAllowed(in.statusCode())) {
            out.setChunked(true);
        }
        // Not ended on failure: a cut-off answer must look cut off to the client, not complete.
        in.pipe().endOnFailure(false).to(out).onComplete(done -> {
            lease.release();
            if (done.succeeded()) {
                metrics.count(fleet.key(), lease.instanceId(), Outcome.ANSWERED, elapsed());
            } else {
                metrics.count(fleet.key(), lease.instanceId(), Outcome.FAILED, elapsed());
                out.reset();
            }
        });
    }

    private void problem(int status, String title, String detail) {
        request.resume();
        HttpServerResponse out = request.response();
        if (out.headWritten() || out.ended() || out.closed()) {
            out.reset();
            return;
        }
        JsonObject body = new JsonObject().put("type", "about:blank").put("title", title).put("status", status)
                .put("detail", detail).put("errors", new JsonArray());
        out.setStatusCode(status).putHeader(HttpHeaders.CONTENT_TYPE, "application/problem+json");
        if (status == 503) {
            out.putHeader(HttpHeaders.RETRY_AFTER, "1");
        }
        out.end(body.encode());
    }

    private long elapsed() {
        return System.nanoTime() - arrived;
    }

    /**
     * Copies end-to-end headers, leaving out hop-by-hop ones, including those the Connection header names. On every
     * request and answer: names are compared without case and without copies, and a set is built only for a
     * Connection header that names more than the usual keep-alive or close.
     */
    private static void copy(MultiMap from, MultiMap to) {
        Set<String> named = null;
        for (String connection : from.getAll(HttpHeaders.CONNECTION)) {
            for (String token : connection.split(",")) {
                String name = token.trim();
                if (!NOT_FORWARDED.contains(name) && !name.equalsIgnoreCase("close")) {
                    if (named == null) {
                        named = caseInsensitive(Set.of());
                    }
                    named.add(name);
                }
            }
        }
        for (Map.Entry<String, String> header : from) {
            String name = header.getKey();
            if (!NOT_FORWARDED.contains(name) && (named == null || !named.contains(name))) {
                to.add(name, header.getValue());
            }
        }
    }

    private static Set<String> caseInsensitive(Set<String> names) {
        Set<String> set = new TreeSet<>(String.CASE_INSENSITIVE_ORDER);
        set.addAll(names);
        return set;
    }

    private boolean hasBody() {
        String length = request.headers().get(HttpHeaders.CONTENT_LENGTH);
        return (length != null && !length.trim().equals("0")) || request.headers().contains(
                HttpHeaders.TRANSFER_ENCODING);
    }

    private boolean bodyAllowed(int status) {
        return request.method() != HttpMethod.HEAD && status >= 200 && status != 204 && status != 304;
    }

    /** Path and query only: a client that sent an absolute URI (proxy form) must not choose the host. */
    private String relativeUri() {
        String uri = request.uri();
        if (uri.startsWith("/")) {
            return uri;
        }
        String query = request.query();
        return request.path() + (query == null ? "" : "?" + query);
    }
}
