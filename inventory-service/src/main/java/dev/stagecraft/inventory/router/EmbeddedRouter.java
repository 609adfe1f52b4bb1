package dev.stagecraft.inventory.router;

import dev.stagecraft.router.RouterException;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpServer;
import org.jboss.logging.Logger;

import dev.stagecraft.router.Backend;
import dev.stagecraft.router.FleetKey;
import dev.stagecraft.router.FleetProxy;
import dev.stagecraft.router.ProxyServers;
import dev.stagecraft.router.ProxySettings;

/**
 * A weighted HTTP reverse proxy inside this service, for a local platform with nothing to install: one
 * Vert.x HTTP server per fleet on 127.0.0.1, and one shared HTTP client to the instances. HTTP/1.1 only.
 * The proxy itself is the {@code router} module's, which host agents also run as a process per fleet
 * ({@link AgentRouter}).
 */
public class EmbeddedRouter implements TrafficRouter {
    private static final Logger LOG = Logger.getLogger(EmbeddedRouter.class);
    private static final String HOST = "127.0.0.1";
    private static final Duration OPEN_TIMEOUT = Duration.ofSeconds(10);

    public record Settings(OptionalInt basePort, Duration connectTimeout, Duration requestTimeout) {
        public static Settings of(RouterConfig config) {
            return new Settings(config.basePort(), config.connectTimeout(), config.requestTimeout());
        }

        ProxySettings proxy() {
            return new ProxySettings(connectTimeout, requestTimeout);
        }
    }

    private final Vertx vertx;
    private final Settings settings;
    private final RouterMetrics metrics;
    private final HttpClient client;
    /**
     * Servers are bound from this thread, which has no Vert.x context: each server then gets a plain event
     * loop context rather than whatever the caller runs on (a worker, or one request's duplicated context).
     */
    private final ExecutorService binder = Executors.newSingleThreadExecutor(r -> {
        Thread thread = new Thread(r, "stagecraft-router-binder");
        thread.setDaemon(true);
        return thread;
    });
    private final Map<FleetKey, FleetProxy> fleets = new ConcurrentHashMap<>();
    private int opened;

    public EmbeddedRouter(Vertx vertx, Settings settings, RouterMetrics metrics) {
        this.vertx = vertx;
        this.settings = settings;
        this.metrics = metrics;
        this.client = ProxyServers.client(vertx, settings.proxy());
    }

    @Override
    public String open(FleetKey fleet, OptionalInt port) {
        return proxyOf(fleet, port).url();
    }

    private FleetProxy proxyOf(FleetKey fleet) {
        return proxyOf(fleet, OptionalInt.empty());
    }

    private synchronized FleetProxy proxyOf(FleetKey fleet, OptionalInt wanted) {
        FleetProxy proxy = fleets.get(fleet);
        if (proxy == null) {
            proxy = bind(fleet, wanted);
            fleets.put(fleet, proxy);
        }
        return proxy;
    }

    @Override
    public Optional<String> routerUrl(FleetKey fleet) {
        return Optional.ofNullable(fleets.get(fleet)).map(FleetProxy::url);
    }

    @Override
    public void update(FleetKey fleet, Map<String, Backend> backends) {
        proxyOf(fleet).update(backends);
    }

    @Override
    public void remove(FleetKey fleet, Collection<String> instanceIds) {
        FleetProxy proxy = fleets.get(fleet);
        if (proxy != null) {
            proxy.remove(instanceIds);
        }
    }

    @Override
    public Map<String, Integer> appliedWeights(FleetKey fleet) {
        FleetProxy proxy = fleets.get(fleet);
        return proxy == null ? Map.of() : proxy.appliedWeights();
    }

    @Override
    public Set<String> awaitIdle(FleetKey fleet, Collection<String> instanceIds, Duration timeout) {
        FleetProxy proxy = fleets.get(fleet);
        return proxy == null ? Set.of() : proxy.awaitIdle(instanceIds, timeout);
    }

    @Override
    public synchronized void removeFleet(FleetKey fleet) {
        FleetProxy proxy = fleets.remove(fleet);
        if (proxy != null) {
            await(proxy.server().close(), "close the router of " + fleet);
        }
    }

    @Override
    public synchronized void close() {
        List<FleetKey> all = new ArrayList<>(fleets.keySet());
        for (FleetKey fleet : all) {
            try {
                removeFleet(fleet);
            } catch (RouterException e) {
                LOG.warn(e.getMessage());
            }
        }
        client.close();
        binder.shutdownNow();
    }

    private FleetProxy bind(FleetKey fleet, OptionalInt wanted) {
        requireWorker("open the router of " + fleet);
        int port = wanted.isPresent() ? wanted.getAsInt()
                : settings.basePort().isPresent() ? settings.basePort().getAsInt() + opened : 0;
        FleetProxy proxy = new FleetProxy(fleet, HOST);
        Future<HttpServer> listening;
        try {
            listening = CompletableFuture.supplyAsync(() -> ProxyServers.listen(vertx, HOST, port, proxy, client,
                    settings.proxy(), metrics), binder).get(OPEN_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException | TimeoutException e) {
            throw new RouterException("cannot open the router of " + fleet + ": " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RouterException("interrupted while opening the router of " + fleet, e);
        }
        proxy.boundTo(await(listening, "open the router of " + fleet + " on " + HOST + ":" + port));
        opened++;
        LOG.infof("router of %s listens on %s", fleet, proxy.url());
        return proxy;
    }

    /** Opening and closing block: never on an event loop, whose answer could only come once this thread returned. */
    private static void requireWorker(String what) {
        if (Context.isOnEventLoopThread()) {
            throw new IllegalStateException("the embedded router blocks to " + what + "; call it from a worker thread");
        }
    }

    private static <T> T await(Future<T> future, String what) {
        requireWorker(what);
        try {
            return future.toCompletionStage().toCompletableFuture().get(OPEN_TIMEOUT.toMillis(),
                    TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            throw new RouterException("cannot " + what + ": " + e.getCause().getMessage(), e.getCause());
        } catch (TimeoutException e) {
            throw new RouterException("cannot " + what + " within " + OPEN_TIMEOUT, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RouterException("interrupted while trying to " + what, e);
        }
    }
}
