package dev.stagecraft.health.probe;

import java.time.Duration;

import io.smallrye.mutiny.Uni;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;

/**
 * GETs whose answer's status is all that matters, on Vert.x's HTTP client: the probes' HTTP. The JDK's asynchronous
 * client it replaces ended every request by handing its answer to the {@code CompletableFuture} default executor,
 * which on a machine of one or two cores ({@code ForkJoinPool} common parallelism 1) starts a new thread for each
 * task: a step of 1,000 instances started over 2,000 threads in health-monitor, most of its CPU (docs/performance.md).
 * Here an answer is handled on an event loop, and an instance's connection is kept open for its next attempt (HTTP/1.1
 * keep-alive, at most two per instance: its liveness and its readiness probe) and closed soon after its probes end.
 * Items are emitted on Vert.x's event-loop threads; a failure is the client's exception ({@link java.net.ConnectException},
 * {@link java.util.concurrent.TimeoutException}, …), put in words by {@code Http.describe}.
 */
final class StatusClient implements AutoCloseable {
    /** An instance is asked two questions at once (liveness, readiness): one connection each, reused by retries. */
    static final int CONNECTIONS_PER_INSTANCE = 2;

    private final HttpClient client;

    StatusClient(Vertx vertx, Duration connectTimeout, Duration keepAlive) {
        this.client = vertx.createHttpClient(new HttpClientOptions()
                .setConnectTimeout((int) Math.min(Integer.MAX_VALUE, connectTimeout.toMillis()))
                .setKeepAlive(true)
                // seconds, at least one: long enough for the next attempt of a probe, short enough that the
                // connections of a step's thousand instances do not stay open once their probes are over
                .setKeepAliveTimeout((int) Math.max(1, keepAlive.toSeconds()))
                .setMaxPoolSize(CONNECTIONS_PER_INSTANCE));
    }

    /** The status of {@code GET http://host:port/path}, its body read and dropped; fails after {@code timeout}. */
    Uni<Integer> status(String host, int port, String path, Duration timeout) {
        RequestOptions request = new RequestOptions().setMethod(HttpMethod.GET).setHost(host).setPort(port)
                .setURI(path).setTimeout(timeout.toMillis()).setFollowRedirects(false); // a redirect is its own answer
        return Uni.createFrom().emitter(emitter -> client.request(request)
                .compose(r -> r.send().compose(response -> response.body().map(ignored -> response.statusCode())))
                .onComplete(answer -> {
                    if (answer.succeeded()) {
                        emitter.complete(answer.result());
                    } else {
                        emitter.fail(answer.cause());
                    }
                }));
    }

    @Override
    public void close() {
        client.close();
    }
}
