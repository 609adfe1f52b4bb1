package dev.stagecraft.router;

import java.io.IOException;
import java.util.concurrent.TimeUnit;

import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.http.HttpClient;

/**
 * One fleet's entry point as a process of its own (see {@link RouterMain}): it loads the table it last saved, so it
 * routes at its last weights from its first request, listens on its fixed address, and takes new tables from its
 * host agent over {@link AdminApi}.
 */
public final class RouterProcess implements AutoCloseable {
    private final Vertx vertx;
    private final HttpClient client;
    private final FleetProxy proxy;
    private final AdminApi admin;

    private RouterProcess(Vertx vertx, HttpClient client, FleetProxy proxy, AdminApi admin) {
        this.vertx = vertx;
        this.client = client;
        this.proxy = proxy;
        this.admin = admin;
    }

    public static RouterProcess start(RouterProcessConfig config) throws Exception {
        RouteTableFile file = new RouteTableFile(config.routesFile());
        RouteTable table = file.load();
        // Two event loops: a router process shares its host with instances and other routers.
        Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(2).setWorkerPoolSize(1)
                .setInternalBlockingPoolSize(1));
        try {
            HttpClient client = ProxyServers.client(vertx, config.proxy());
            FleetProxy proxy = new FleetProxy(config.fleet(), config.bindAddress());
            proxy.replaceAll(table.backends());
            CountingOutcomes outcomes = new CountingOutcomes();
            proxy.boundTo(ProxyServers.listen(vertx, config.bindAddress(), config.port(), proxy, client,
                    config.proxy(), outcomes).toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS));
            AdminApi admin = new AdminApi(config.adminPort(), config.adminToken(), proxy, file, outcomes,
                    table.generation());
            return new RouterProcess(vertx, client, proxy, admin);
        } catch (Exception e) {
            vertx.close();
            throw e;
        }
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
        client.close();
        try {
            vertx.close().toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IOException("cannot close the router's Vert.x: " + e, e);
        }
    }
}
