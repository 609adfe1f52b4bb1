package dev.stagecraft.health.smoke;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.time.Duration;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.stagecraft.contracts.ProbeMeasurement;
import dev.stagecraft.contracts.SmokeCheck;
import dev.stagecraft.health.http.Http;
import dev.stagecraft.health.probe.ProbeConfig;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * One request per check, once: {@code <method> http://<instance><path>} with the check's headers, and for a POST its
 * JSON body ({@code Content-Type: application/json} unless the check sets one). It runs after the instance answered
 * ready, so a healthy release passes at the first try, and a check that needs retries to pass is itself a finding.
 * No redirects.
 */
@ApplicationScoped
public class HttpSmokeCheckRunner implements SmokeCheckRunner {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final HttpClient client;

    public HttpSmokeCheckRunner(ProbeConfig config) {
        this.client = Http.client(config.timeout());
    }

    @Override
    public Uni<ProbeMeasurement> run(String instanceId, String address, SmokeCheck check) {
        String probe = PROBE_PREFIX + "'" + check.label() + "'";
        Duration timeout = check.timeoutDuration();
        HttpRequest request;
        try {
            request = request(URI.create("http://" + address + check.path()), check, timeout);
        } catch (IllegalArgumentException | JsonProcessingException e) {
            // release-service's rules keep such checks out; a record from elsewhere still gets a verdict, not a throw
            return Uni.createFrom().item(new ProbeMeasurement(instanceId, address, probe, false, 0, null, 0,
                    "cannot make a request of " + check.verb() + " " + address + check.path() + ": " + e.getMessage()));
        }
        long started = System.nanoTime();
        return Http.sendText(client, request)
                .map(answer -> {
                    long elapsed = (System.nanoTime() - started) / 1_000_000;
                    String problem = SmokeJudge.problem(check, answer.statusCode(), answer.body()).orElse(null);
                    return new ProbeMeasurement(instanceId, address, probe, problem == null, 1, answer.statusCode(),
                            elapsed, problem);
                })
                .onFailure().recoverWithItem(failure -> new ProbeMeasurement(instanceId, address, probe, false, 1, null,
                        (System.nanoTime() - started) / 1_000_000, Http.describe(failure, timeout)));
    }

    static HttpRequest request(URI uri, SmokeCheck check, Duration timeout) throws JsonProcessingException {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri).timeout(timeout);
        check.headers().forEach(request::header);
        switch (check.verb()) {
            case SmokeCheck.HEAD -> request.method(SmokeCheck.HEAD, HttpRequest.BodyPublishers.noBody());
            case SmokeCheck.POST -> {
                if (check.body() == null) {
                    request.POST(HttpRequest.BodyPublishers.noBody());
                } else {
                    if (check.headers().keySet().stream().noneMatch("Content-Type"::equalsIgnoreCase)) {
                        request.header("Content-Type", "application/json");
                    }
                    request.POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(check.body())));
                }
            }
            case SmokeCheck.GET -> request.GET();
            default -> throw new IllegalArgumentException("method " + check.verb() + " is not one a smoke check sends");
        }
        return request.build();
    }
}
