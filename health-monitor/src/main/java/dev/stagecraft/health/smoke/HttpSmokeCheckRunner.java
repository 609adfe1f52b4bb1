package dev.stagecraft.health.smoke;

import java.net.URI;
import java.net.http.HttpClient;
import java.time.Duration;

import dev.stagecraft.contracts.ProbeMeasurement;
import dev.stagecraft.contracts.SmokeCheck;
import dev.stagecraft.health.http.Http;
import dev.stagecraft.health.probe.ProbeConfig;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * One {@code GET http://<instance><path>} per check, once: it runs after the instance answered ready, so a healthy
 * release passes at the first try, and a check that needs retries to pass is itself a finding. No redirects.
 */
@ApplicationScoped
public class HttpSmokeCheckRunner implements SmokeCheckRunner {
    private final HttpClient client;

    public HttpSmokeCheckRunner(ProbeConfig config) {
        this.client = Http.client(config.timeout());
    }

    @Override
    public Uni<ProbeMeasurement> run(String instanceId, String address, SmokeCheck check) {
        String probe = PROBE_PREFIX + "'" + check.label() + "'";
        Duration timeout = check.timeoutDuration();
        URI uri;
        try {
            uri = URI.create("http://" + address + check.path());
        } catch (IllegalArgumentException e) {
            return Uni.createFrom().item(new ProbeMeasurement(instanceId, address, probe, false, 0, null, 0,
                    "cannot make a URL of " + address + " and " + check.path()));
        }
        long started = System.nanoTime();
        return Http.getText(client, uri, timeout)
                .map(answer -> {
                    long elapsed = (System.nanoTime() - started) / 1_000_000;
                    String problem = SmokeJudge.problem(check, answer.statusCode(), answer.body()).orElse(null);
                    return new ProbeMeasurement(instanceId, address, probe, problem == null, 1, answer.statusCode(),
                            elapsed, problem);
                })
                .onFailure().recoverWithItem(failure -> new ProbeMeasurement(instanceId, address, probe, false, 1, null,
                        (System.nanoTime() - started) / 1_000_000, Http.describe(failure, timeout)));
    }
}
