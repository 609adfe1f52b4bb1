package dev.stagecraft.release.flags;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;

import dev.stagecraft.devinfra.StagecraftTestInfra;
import dev.stagecraft.release.flags.engine.FlagDefinition;
import dev.stagecraft.release.flags.engine.FlagEvaluator;
import dev.stagecraft.release.flags.engine.FlagValidation;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;

/**
 * Figures, not a test: not in the default run (the name does not end in Test). Run with
 * {@code ./mvnw -B -o -pl release-service -am verify -Dtest=OfrepBench -Dsurefire.failIfNoSpecifiedTests=false}.
 * Prints the engine's evaluations per second in-process, then single and bulk OFREP evaluations per second and
 * their p50/p99 over HTTP, with 8 client threads on this machine.
 */
@QuarkusTest
@QuarkusTestResource(value = StagecraftTestInfra.class, initArgs = @ResourceArg(name = "database", value = "release"))
class OfrepBench {
    static final String ENV = "ofrep-bench";
    static final String SVC = "bench-svc";
    static final int THREADS = 8;

    @Test
    void figures() throws Exception {
        String rules = """
                {"variants":{"on":true,"off":false},"defaultVariant":"off","rules":[
                 {"when":{"attribute":"plan","op":"in","value":["pro","enterprise"]},"variant":"on"},
                 {"split":[{"variant":"on","percent":20},{"variant":"off","percent":80}]}]}""";
        ObjectMapper json = new ObjectMapper();
        FlagDefinition flag = FlagValidation.check("bench", json.readTree(rules)).definition();
        var context = json.readTree("{\"targetingKey\":\"user-1\",\"plan\":\"free\"}");
        long n = 0;
        long t0 = System.nanoTime();
        while (System.nanoTime() - t0 < 2_000_000_000L) {
            FlagEvaluator.evaluate(flag, context);
            n++;
        }
        System.out.printf("BENCH engine (one thread, rule miss + split): %.0f evaluations/s%n", n / ((System.nanoTime() - t0) / 1e9));

        Flags.environment(ENV);
        for (int i = 0; i < 20; i++) {
            Flags.put(SVC, ENV, "flag-" + i, rules);
        }
        String token = Flags.token(SVC, ENV, null);
        int port = ConfigProvider.getConfig().getValue("quarkus.http.test-port", Integer.class);
        String base = "http://127.0.0.1:" + port + "/ofrep/v1/evaluate/flags";
        run("single", URI.create(base + "/flag-7"), token);
        run("bulk (20 flags)", URI.create(base), token);
    }

    private static void run(String what, URI uri, String token) throws Exception {
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        ExecutorService pool = Executors.newFixedThreadPool(THREADS);
        long seconds = 10;
        long warmUntil = System.nanoTime() + 2_000_000_000L;
        long endAt = warmUntil + seconds * 1_000_000_000L;
        List<Future<List<Long>>> futures = new ArrayList<>();
        for (int t = 0; t < THREADS; t++) {
            int thread = t;
            futures.add(pool.submit(() -> {
                List<Long> latencies = new ArrayList<>();
                int i = 0;
                while (System.nanoTime() < endAt) {
                    HttpRequest request = HttpRequest.newBuilder(uri).header("Authorization", "Bearer " + token)
                            .header("Content-Type", "application/json").timeout(Duration.ofSeconds(5))
                            .POST(HttpRequest.BodyPublishers.ofString("{\"context\":{\"targetingKey\":\"u-" + thread + "-"
                                    + (i++) + "\",\"plan\":\"free\"}}")).build();
                    long s = System.nanoTime();
                    HttpResponse<String> answer = http.send(request, HttpResponse.BodyHandlers.ofString());
                    long took = System.nanoTime() - s;
                    if (answer.statusCode() != 200) {
                        throw new AssertionError(answer.statusCode() + " " + answer.body());
                    }
                    if (s > warmUntil) {
                        latencies.add(took);
                    }
                }
                return latencies;
            }));
        }
        List<Long> all = new ArrayList<>();
        for (Future<List<Long>> f : futures) {
            all.addAll(f.get());
        }
        pool.shutdown();
        Collections.sort(all);
        System.out.printf("BENCH OFREP %s over HTTP, %d threads, %d s: %.0f requests/s, p50 %.2f ms, p99 %.2f ms%n", what,
                THREADS, seconds, all.size() / (double) seconds, all.get(all.size() / 2) / 1e6,
                all.get((int) (all.size() * 0.99)) / 1e6);
    }
}
