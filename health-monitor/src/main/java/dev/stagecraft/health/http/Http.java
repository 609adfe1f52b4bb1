package dev.stagecraft.health.http;

import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeoutException;

import io.smallrye.mutiny.Uni;

/**
 * The JDK's asynchronous HTTP client as every part of health-monitor uses it towards instances and
 * Prometheus: HTTP/1.1, no redirects, a short connect timeout, and failures put in words an operator reads.
 * Items are emitted on the client's threads.
 */
public final class Http {

    public static HttpClient client(Duration connectTimeout) {
        return HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(connectTimeout)
                .followRedirects(HttpClient.Redirect.NEVER)
                .build();
    }

    /** A GET whose body is read as text. */
    public static Uni<HttpResponse<String>> getText(HttpClient client, URI uri, Duration timeout) {
        return sendText(client, HttpRequest.newBuilder(uri).GET().timeout(timeout).build());
    }

    /** Any request whose answer's body is read as text. */
    public static Uni<HttpResponse<String>> sendText(HttpClient client, HttpRequest request) {
        return Uni.createFrom().completionStage(() -> client.sendAsync(request, HttpResponse.BodyHandlers.ofString()));
    }

    /** A GET whose body is thrown away: only the status matters. */
    public static Uni<Integer> getStatus(HttpClient client, URI uri, Duration timeout) {
        HttpRequest request = HttpRequest.newBuilder(uri).GET().timeout(timeout).build();
        return Uni.createFrom().completionStage(() -> client.sendAsync(request, HttpResponse.BodyHandlers.discarding()))
                .map(HttpResponse::statusCode);
    }

    /** The JDK's exceptions often carry no message; say what went wrong in words an operator reads. */
    public static String describe(Throwable failure, Duration timeout) {
        Throwable t = failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure;
        if (t instanceof HttpTimeoutException || t instanceof TimeoutException) {
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

    private Http() {
    }
}
