package dev.stagecraft.router;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.PoolOptions;

/**
 * The Vert.x pieces of an entry point, the same wherever it runs (in inventory-service's JVM or in a router process
 * under a host agent): the HTTP client to the instances and the server that proxies each request.
 */
public final class ProxyServers {
    /**
     * Idle connections to instances are closed well before common servers close theirs (the JDK's after
     * 30 s), so that a request is not sent on a connection the instance is closing at that moment.
     */
    private static final int KEEP_ALIVE_SECONDS = 4;
    private static final int CONNECTIONS_PER_INSTANCE = 64;

    private ProxyServers() {
    }

    /** One client for all of a process's fleets: connections to instances are pooled per instance address. */
    public static HttpClient client(Vertx vertx, ProxySettings settings) {
        return vertx.createHttpClient(new HttpClientOptions()
                .setConnectTimeout((int) settings.connectTimeout().toMillis())
                .setKeepAliveTimeout(KEEP_ALIVE_SECONDS), new PoolOptions().setHttp1MaxSize(CONNECTIONS_PER_INSTANCE));
    }

    /**
     * Starts listening on {@code host:port} (0: any free port) for the fleet's requests. Call it from a thread without
     * a Vert.x context, so that the server gets a plain event loop context of its own.
     */
    public static Future<HttpServer> listen(Vertx vertx, String host, int port, FleetProxy proxy, HttpClient client,
            ProxySettings settings, RequestOutcomes outcomes) {
        HttpServerOptions options = new HttpServerOptions().setHost(host).setPort(port)
                .setHttp2ClearTextEnabled(false).setHandle100ContinueAutomatically(true);
        return vertx.createHttpServer(options)
                .requestHandler(request -> new ProxiedRequest(proxy, request, client, settings, outcomes).run())
                .listen();
    }
}
