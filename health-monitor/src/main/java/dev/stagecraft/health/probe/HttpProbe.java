package dev.stagecraft.health.probe;

import java.net.URI;
import java.time.Duration;

import dev.stagecraft.contracts.ProbeMeasurement;
import dev.stagecraft.health.http.Http;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Vertx;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Probes over HTTP with an asynchronous client ({@link StatusClient}): no thread waits while an instance takes its
 * time, and at most {@code max-in-flight} probes run at once. Items are emitted on the client's or the timer's
 * threads; callers that go on to use the reactive session must hop back to their context.
 */
@ApplicationScoped
public class HttpProbe implements Probe {
    private final ProbeConfig config;
    private final StatusClient client;
    private final InFlightLimit inFlight;

    public HttpProbe(ProbeConfig config, Vertx vertx) {
        this.config = config;
        // kept open across an instance's attempts (one interval apart), closed within a few seconds after them
        this.client = new StatusClient(vertx, config.timeout(), config.interval().multipliedBy(4).plusSeconds(1));
        this.inFlight = new InFlightLimit(config.maxInFlight());
    }

    @PreDestroy
    void close() {
        client.close();
    }

    /** Waits its turn among the probes in flight; its deadline starts with its turn. */
    @Override
    public Uni<ProbeMeasurement> check(String instanceId, String address, ProbeKind kind) {
        return inFlight.run(() -> probe(instanceId, address, kind));
    }

    private Uni<ProbeMeasurement> probe(String instanceId, String address, ProbeKind kind) {
        ProbeRun run = new ProbeRun(instanceId, address, kind, config.deadline());
        URI uri;
        try {
            uri = URI.create("http://" + address + kind.path(config));
            if (uri.getHost() == null || uri.getPort() < 0) {
                throw new IllegalArgumentException("expected host:port");
            }
        } catch (RuntimeException e) {
            run.noAnswer("address '" + address + "' is not host:port");
            return Uni.createFrom().item(run.measurement(false));
        }
        return attempt(run, uri);
    }

    private Uni<ProbeMeasurement> attempt(ProbeRun run, URI uri) {
        return send(run, uri).chain(() -> {
            if (run.passed(config.consecutiveSuccesses())) {
                return Uni.createFrom().item(run.measurement(true));
            }
            if (!run.hasTimeFor(config.interval())) {
                return Uni.createFrom().item(run.measurement(false));
            }
            long pausedAt = run.now();
            return Uni.createFrom().voidItem().onItem().delayIt().by(config.interval())
                    .invoke(() -> run.pausedSince(pausedAt, config.interval())).chain(() -> attempt(run, uri));
        });
    }

    private Uni<Void> send(ProbeRun run, URI uri) {
        // Not cut short by the deadline: a truncated last attempt would report its own timeout, not the instance.
        Duration timeout = config.timeout();
        long sentAt = run.now();
        return client.status(uri.getHost(), uri.getPort(),
                uri.getRawQuery() == null ? uri.getRawPath() : uri.getRawPath() + "?" + uri.getRawQuery(), timeout)
                .onItem().invoke(run::answered)
                .onFailure().invoke(failure -> run.noAnswer(Http.describe(failure, timeout), sentAt, timeout))
                .onFailure().recoverWithNull()
                .replaceWithVoid();
    }
}
