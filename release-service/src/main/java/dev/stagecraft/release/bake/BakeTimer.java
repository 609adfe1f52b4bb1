package dev.stagecraft.release.bake;

import java.time.Duration;

import org.eclipse.microprofile.config.inject.ConfigProperty;

import dev.stagecraft.platform.reactive.PeriodicReactiveTask;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.vertx.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

/**
 * Ends due bakes every {@code stagecraft.bake.sweep-interval}. Every replica sweeps; the environment's row lock
 * and the status check make a bake end once.
 */
@ApplicationScoped
public class BakeTimer {
    private final Bakes bakes;
    private final Vertx vertx;
    private final Duration interval;
    private PeriodicReactiveTask task;

    public BakeTimer(Bakes bakes, Vertx vertx,
            @ConfigProperty(name = "stagecraft.bake.sweep-interval", defaultValue = "5s") Duration interval) {
        this.bakes = bakes;
        this.vertx = vertx;
        this.interval = interval;
    }

    void start(@Observes StartupEvent event) {
        task = PeriodicReactiveTask.start("bake timer", vertx, interval, bakes::endDueBakes);
    }

    void stop(@Observes ShutdownEvent event) {
        if (task != null) {
            task.stop();
        }
    }
}
