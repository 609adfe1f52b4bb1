package dev.stagecraft.health.probe;

import java.net.URI;
import java.net.http.HttpClient;
import java.time.Duration;

import dev.stagecraft.contracts.ProbeMeasurement;
import dev.stagecraft.health.http.Http;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Probes over HTTP with the JDK's asynchronous client: no thread waits while an instance takes its
 * time, so every instance of a step is probed at once. Items are emitted on the client's or the
 * timer's threads; callers that go on to use the reactive session must hop back to their context.
 */
@ApplicationScoped
public class HttpProbe implements Probe {
    private final ProbeConfig config;
    private final HttpClient client;
    private final InFlightLimit inFlight;

    public HttpProbe(ProbeConfig config) {
        this.config = config;
        this.client = Http.client(config.timeout());
        this.inFlight = new InFlightLimit(config.maxInFlight());
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
        return Http.getStatus(client, uri, timeout)
                .onItem().invoke(run::answered)
                .onFailure().invoke(failure -> run.noAnswer(Http.describe(failure, timeout), sentAt, timeout))
                .onFailure().recoverWithNull()
                .replaceWithVoid();
    }
}
