package dev.stagecraft.release.events;

import java.util.concurrent.atomic.AtomicBoolean;

import io.smallrye.mutiny.subscription.MultiEmitter;
import org.jboss.logging.Logger;

/**
 * One open stream: sends the lines after the last one sent whenever it is woken, one read at a time (a wake
 * during a read asks for one more read afterwards), and completes once the deployment has a final status and
 * every line up to it was sent.
 */
final class TimelineFollower {
    private static final Logger LOG = Logger.getLogger(TimelineFollower.class);

    private final String deploymentId;
    private final TimelineReader reader;
    private final MultiEmitter<? super TimelineEvent> emitter;
    private final AtomicBoolean reading = new AtomicBoolean();
    private final AtomicBoolean again = new AtomicBoolean();
    private volatile long lastSent;

    TimelineFollower(String deploymentId, long after, TimelineReader reader, MultiEmitter<? super TimelineEvent> emitter) {
        this.deploymentId = deploymentId;
        this.lastSent = after;
        this.reader = reader;
        this.emitter = emitter;
    }

    void wake() {
        again.set(true);
        if (reading.compareAndSet(false, true)) {
            read();
        }
    }

    private void read() {
        again.set(false);
        if (emitter.isCancelled()) {
            return;
        }
        // the status first: a final status read before the lines means the lines read next include the one
        // that set it (both were committed together), so completing after them loses nothing
        reader.status(deploymentId)
                .chain(status -> reader.after(deploymentId, lastSent)
                        .map(events -> new Batch(events, status.map(s -> s.isTerminal()).orElse(true))))
                .subscribe().with(this::send, failure -> {
                    // the next wake (a record or the sweep) tries again; the client keeps its stream
                    LOG.debugf("reading the timeline of %s failed: %s", deploymentId, failure);
                    done();
                });
    }

    private void send(Batch batch) {
        for (TimelineEvent event : batch.events()) {
            emitter.emit(event);
            lastSent = event.seq();
        }
        if (batch.finished() && batch.events().size() < TimelineReader.PAGE) {
            emitter.complete();
            return;
        }
        if (batch.events().size() == TimelineReader.PAGE) {
            again.set(true);
        }
        done();
    }

    private void done() {
        reading.set(false);
        if (again.get() && reading.compareAndSet(false, true)) {
            read();
        }
    }

    private record Batch(java.util.List<TimelineEvent> events, boolean finished) {
    }
}
