package dev.stagecraft.health.probe;

import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.concurrent.CompletionException;

import dev.stagecraft.contracts.ProbeMeasurement;
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

    public HttpProbe(ProbeConfig config) {
        this.config = config;
        this.client = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(config.timeout())
                .followRedirects(HttpClient.Redirect.NEVER)
                .build();
    }

    @Override
    public Uni<ProbeMeasurement> check(String instanceId, String address, ProbeKind kind) {
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
            return Uni.createFrom().voidItem().onItem().delayIt().by(config.interval()).chain(() -> attempt(run, uri));
        });
    }

    private Uni<Void> send(ProbeRun run, URI uri) {
        // Not cut short by the deadline: a truncated last attempt would report its own timeout, not the instance.
        Duration timeout = config.timeout();
        HttpRequest request = HttpRequest.newBuilder(uri).GET().timeout(timeout).build();
        return Uni.createFrom()
                .completionStage(() -> client.sendAsync(request, HttpResponse.BodyHandlers.discarding()))
                .onItem().invoke(response -> run.answered(response.statusCode()))
                .onFailure().invoke(failure -> run.noAnswer(describe(failure, timeout)))
                .onFailure().recoverWithNull()
                .replaceWithVoid();
    }

    /** The JDK's exceptions often carry no message; say what went wrong in words an operator reads. */
    static String describe(Throwable failure, Duration timeout) {
        Throwable t = failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure;
        if (t instanceof HttpTimeoutException) {
            return "no answer within " + timeout.toMillis() + "ms";
        }
        String cause = deepestMessage(t);
        if (t instanceof ConnectException) {
            return cause == null ? "could not connect" : "could not connect: " + cause;
        }
        return cause == null ? t.getClass().getSimpleName() : t.getClass().getSimpleName() + ": " + cause;
    }

    private static String deepestMessage(Throwable t) {
        String message = null;
        for (Throwable c = t; c != null && c.getCause() != c; c = c.getCause()) {
            message = c.getMessage() != null ? c.getMessage() : message;
        }
        return message;
    }
}
