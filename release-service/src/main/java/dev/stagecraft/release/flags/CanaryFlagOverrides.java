package dev.stagecraft.release.flags;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.eclipse.microprofile.config.inject.ConfigProperty;

import dev.stagecraft.contracts.StrategySpec;
import dev.stagecraft.platform.persistence.JsonText;
import dev.stagecraft.platform.reactive.PeriodicReactiveTask;
import dev.stagecraft.release.domain.DeploymentStatus;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Vertx;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

/**
 * The flag overrides of the canary deployments that run now, by deployment id, in memory: an OFREP evaluation looks
 * them up without touching the database. A deployment counts while it is {@link #APPLY_WHILE IN_PROGRESS or PAUSED};
 * from the moment it rolls back, succeeds or ends otherwise its instances evaluate the flags as stored. Every
 * replica re-reads the running deployments every {@code stagecraft.flags.canary-refresh} (1 s) and at once after it
 * applies a lifecycle event itself, so a replica that did not see the event is at most that much behind.
 */
@ApplicationScoped
public class CanaryFlagOverrides {
    /** The statuses in which a canary's overrides apply: its saga runs and has not turned back. */
    public static final List<DeploymentStatus> APPLY_WHILE = List.of(DeploymentStatus.IN_PROGRESS,
            DeploymentStatus.PAUSED);
    /**
     * Every running deployment: few rows, and the stored strategy names {@code flagOverrides} (null) whether it has
     * any or not, so only reading it tells. The statuses are the enum's own names, not input: written as literals.
     */
    private static final String RUNNING = "SELECT id, service, environment, strategy FROM deployment"
            + " WHERE status IN (" + String.join(", ", APPLY_WHILE.stream().map(s -> "'" + s.name() + "'").toList())
            + ")";

    private record Running(FlagScope scope, Map<String, String> overrides) {
    }

    private final Pool pool;
    private final Vertx vertx;
    private final Duration interval;
    private volatile Map<String, Running> byDeployment = Map.of();
    private volatile PeriodicReactiveTask task;

    public CanaryFlagOverrides(Pool pool, Vertx vertx,
            @ConfigProperty(name = "stagecraft.flags.canary-refresh", defaultValue = "1s") Duration interval) {
        this.pool = pool;
        this.vertx = vertx;
        this.interval = interval;
    }

    /**
     * The overrides the holder of {@code claims} gets: those of the running canary its token names, if the token's
     * scope is that deployment's; none for every other token.
     */
    public Map<String, String> of(OfrepTokens.Claims claims) {
        Running running = claims.deploymentId() == null ? null : byDeployment.get(claims.deploymentId());
        return running == null || !running.scope().equals(claims.scope()) ? Map.of() : running.overrides();
    }

    /** Reads again now (after this replica applied a lifecycle event); any thread. */
    public void refreshSoon() {
        if (task != null) {
            task.runNow();
        }
    }

    Uni<Void> refresh() {
        return pool.query(RUNNING).execute()
                .map(rows -> {
                    Map<String, Running> next = new HashMap<>();
                    for (Row row : rows) {
                        Map<String, String> overrides = JsonText.read(row.getString("strategy"), StrategySpec.class)
                                .flagOverrides();
                        if (overrides != null && !overrides.isEmpty()) {
                            next.put(row.getString("id"), new Running(new FlagScope(row.getString("service"),
                                    row.getString("environment")), overrides));
                        }
                    }
                    byDeployment = Map.copyOf(next);
                    return null;
                })
                .replaceWithVoid(); // a failed pass is logged by the task, and the next one tries again
    }

    void start(@Observes StartupEvent event) {
        task = PeriodicReactiveTask.start("canary flag overrides", vertx, interval, this::refresh);
    }

    void stop(@Observes ShutdownEvent event) {
        if (task != null) {
            task.stop();
        }
    }
}
