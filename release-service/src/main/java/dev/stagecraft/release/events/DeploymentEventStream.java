package dev.stagecraft.release.events;

import dev.stagecraft.platform.api.ApiProblem;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * A deployment's timeline as a stream: the lines after a sequence number, then every new line as the
 * deployments topic brings it, until the deployment ends. Streams are woken by {@link TimelineSignals}; a
 * sweep every two seconds also wakes them, for lines no record on the topic announces (an approval or a
 * steering request made through another replica) and as a safety net for a missed signal.
 */
@ApplicationScoped
public class DeploymentEventStream {
    private final TimelineReader reader;
    private final TimelineSignals signals;

    public DeploymentEventStream(TimelineReader reader, TimelineSignals signals) {
        this.reader = reader;
        this.signals = signals;
    }

    /** Fails with 404 before any line when the deployment does not exist. */
    public Uni<Multi<TimelineEvent>> follow(String deploymentId, long after) {
        return reader.status(deploymentId).map(status -> {
            if (status.isEmpty()) {
                throw ApiProblem.notFound("deployment " + deploymentId + " does not exist");
            }
            return Multi.createFrom().<TimelineEvent>emitter(emitter -> {
                TimelineFollower follower = new TimelineFollower(deploymentId, after, reader, emitter);
                AutoCloseable registration = signals.listen(deploymentId, follower::wake);
                emitter.onTermination(() -> close(registration));
                follower.wake();
            });
        });
    }

    @Scheduled(every = "2s", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void sweep() {
        signals.wakeAll();
    }

    private static void close(AutoCloseable registration) {
        try {
            registration.close();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
