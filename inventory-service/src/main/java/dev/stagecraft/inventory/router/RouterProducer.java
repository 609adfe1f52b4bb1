package dev.stagecraft.inventory.router;

import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.vertx.core.Vertx;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import jakarta.interceptor.Interceptor;

/** Chooses the traffic router from {@code stagecraft.router.kind}; only embedded exists so far. */
@ApplicationScoped
public class RouterProducer {
    private TrafficRouter router;

    @Produces
    @Singleton
    TrafficRouter router(RouterConfig config, Vertx vertx, MeterRegistry registry) {
        if (!config.kind().equals("embedded")) {
            throw new IllegalStateException("unknown stagecraft.router.kind '" + config.kind() + "'; available: embedded");
        }
        router = new EmbeddedRouter(vertx, EmbeddedRouter.Settings.of(config), new RouterMetrics(registry));
        return router;
    }

    /** Before the driver stops the instances (default priority): traffic stops coming in first. */
    void close(@Observes @Priority(Interceptor.Priority.APPLICATION) ShutdownEvent event) {
        if (router != null) {
            router.close();
        }
    }
}
