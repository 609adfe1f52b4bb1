package dev.stagecraft.inventory.router;

import dev.stagecraft.inventory.driver.AgentDriver;
import dev.stagecraft.inventory.driver.InstanceDriver;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.vertx.core.Vertx;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import jakarta.interceptor.Interceptor;

/**
 * Chooses the traffic router from {@code stagecraft.router.kind}: {@code embedded} or {@code haproxy}. With the agent
 * driver, {@code embedded} fleet routers run under the host agents ({@link AgentRouter}), outside this service: an
 * HAProxy per fleet where the agents have one, else a router process (the agents choose; this service does not care).
 */
@ApplicationScoped
public class RouterProducer {
    private TrafficRouter router;

    @Produces
    @Singleton
    TrafficRouter router(RouterConfig config, Vertx vertx, MeterRegistry registry, InstanceDriver driver) {
        router = switch (config.kind()) {
            case "embedded" -> driver instanceof AgentDriver agents
                    ? new AgentRouter(agents.hosts(), agents.routers(), agents.commands(),
                            new AgentRouter.Settings(config.agentAnswerTimeout(), config.drainTimeout()))
                    : new EmbeddedRouter(vertx, EmbeddedRouter.Settings.of(config), new RouterMetrics(registry));
            case "haproxy" -> new HaproxyRouter(HaproxyRouter.Settings.of(config));
            default -> throw new IllegalStateException("unknown stagecraft.router.kind '" + config.kind()
                    + "'; available: embedded, haproxy");
        };
        return router;
    }

    /**
     * Creates the router on the start-up thread, before the instances are recovered and the fleets reopened
     * (InstanceRecovery, RouterStartup): the haproxy router starts HAProxy and waits for it, which must not
     * happen on the event loop where its first caller may run, and a missing HAProxy must fail the start-up.
     */
    void create(@Observes @Priority(Interceptor.Priority.LIBRARY_BEFORE - 3) StartupEvent event, TrafficRouter created) {
        // injecting it is what creates it
    }

    /** Before the driver stops the instances (default priority): traffic stops coming in first. */
    void close(@Observes @Priority(Interceptor.Priority.APPLICATION) ShutdownEvent event) {
        if (router != null) {
            router.close();
        }
    }
}
