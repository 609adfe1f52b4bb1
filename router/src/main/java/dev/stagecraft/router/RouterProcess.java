package dev.stagecraft.router;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import io.vertx.core.AbstractVerticle;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpServer;

/**
 * One fleet's entry point as a process of its own (see {@link RouterMain}): it loads the table it last saved, so it
 * routes at its last weights from its first request, listens on its fixed address, and takes new tables from its
 * host agent over {@link AdminApi}.
 *
 * <p>It proxies on {@code ROUTER_EVENT_LOOPS} event loops (1 by default; HAProxy runs a thread per core): one
 * {@link Loop} per event loop, each with its server on the shared port (Vert.x hands accepted connections to them in
 * turn) and its own HTTP client, so that a request, its connection to the instance and the answer stay on one thread.
 * On the 2 shared cores of the benchmark (docs/performance.md), one loop answered more than two.
 */
public final class RouterProcess implements AutoCloseable {
    private final Vertx vertx;
    private final FleetProxy proxy;
    private final AdminApi admin;

    private RouterProcess(Vertx vertx, FleetProxy proxy, AdminApi admin) {
        this.vertx = vertx;
        this.proxy = proxy;
        this.admin = admin;
    }

    /** One event loop's share of the proxy: its own client to the instances and its own server on the fleet's port. */
    private static final class Loop extends AbstractVerticle {
        private final RouterProcessConfig config;
        private final FleetProxy proxy;
        private final RequestOutcomes outcomes;
        private final int port;
        private final List<HttpServer> servers;
        private HttpClient client;

        Loop(RouterProcessConfig config, int port, FleetProxy proxy, RequestOutcomes outcomes, List<HttpServer> servers) {
            this.config = config;
            this.port = port;
            this.proxy = proxy;
            this.outcomes = outcomes;
            this.servers = servers;
        }

        @Override
        public void start(Promise<Void> started) {
            client = ProxyServers.client(vertx, config.proxy());
            ProxyServers.listen(vertx, config.bindAddress(), port, proxy, client, config.proxy(), outcomes)
                    .onSuccess(servers::add).<Void>mapEmpty().onComplete(started);
        }

        @Override
        public void stop() {
            client.close();
        }
    }

    public static RouterProcess start(RouterProcessConfig config) throws Exception {
        RouteTableFile file = new RouteTableFile(config.routesFile());
        RouteTable table = file.load();
        // Few event loops: a router process shares its host with instances and other routers.
        int loops = config.eventLoops();
        Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(loops).setWorkerPoolSize(1)
                .setInternalBlockingPoolSize(1));
        try {
            FleetProxy proxy = new FleetProxy(config.fleet(), config.bindAddress());
            proxy.replaceAll(table.backends());
            CountingOutcomes outcomes = new CountingOutcomes();
            // Vert.x shares a port among servers that ask for the same one, but gives each its own free port for 0:
            // so a free port is chosen first (the host agent always names one; tests may not).
            int port = config.port() > 0 ? config.port() : freePort(config.bindAddress());
            List<HttpServer> servers = new CopyOnWriteArrayList<>();
            await(vertx.deployVerticle(() -> new Loop(config, port, proxy, outcomes, servers),
                    new DeploymentOptions().setInstances(loops)));
            if (servers.stream().mapToInt(HttpServer::actualPort).distinct().count() != 1) {
                throw new IllegalStateException("the router's event loops listen on different ports: "
                        + servers.stream().map(HttpServer::actualPort).toList());
            }
            proxy.boundTo(servers.get(0));
            AdminApi admin = new AdminApi(config.adminPort(), config.adminToken(), proxy, file, outcomes,
                    table.generation());
            return new RouterProcess(vertx, proxy, admin);
        } catch (Exception e) {
            vertx.close();
            throw e;
        }
    }

    private static int freePort(String host) throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName(host))) {
            return socket.getLocalPort();
        }
    }

    private static <T> T await(io.vertx.core.Future<T> future) throws Exception {
        return future.toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    public String url() {
        return proxy.url();
    }

    public int adminPort() {
        return admin.port();
    }

    @Override
    public void close() throws IOException {
        admin.close();
        try {
            vertx.close().toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IOException("cannot close the router's Vert.x: " + e, e);
        }
    }
}
